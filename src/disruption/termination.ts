import type { Node } from "../api/node.ts";
import type { Pod } from "../api/pod.ts";
import { Taints } from "../api/wellknown.ts";
import { podKey } from "../cluster/snapshot.ts";
import { toleratedByAny } from "../scheduling/taints.ts";
import { isProtected } from "./do-not-disrupt.ts";
import type { EvictionBudgets } from "./pdb.ts";
import type { EvictionRefusal } from "./reasons.ts";

/** What the termination controller does next for a node being deleted. */
export interface TerminationStep {
  /** Put `karpenter.sh/disrupted:NoSchedule` on the node first (nothing new lands there). */
  readonly taint: boolean;
  /** Pods to evict now, through the eviction API (their PodDisruptionBudgets allow it). */
  readonly evict: readonly Pod[];
  /** Pods to delete now without a budget check: the node's grace period is running out. */
  readonly forceDelete: readonly Pod[];
  /** Pods that must wait, and why. */
  readonly waiting: readonly { readonly pod: string; readonly why: TerminationWait }[];
  /** Every pod that must go is gone, or the grace period is over: delete the instance, drop the finalizer. */
  readonly deleteInstance: boolean;
}

export type TerminationWait =
  | { readonly code: "do_not_disrupt" }
  | { readonly code: "eviction"; readonly refusal: EvictionRefusal }
  | { readonly code: "earlier_group" };

export interface TerminationInput {
  readonly node: Node;
  /** Pods bound to the node, as they are now. */
  readonly pods: readonly Pod[];
  readonly budgets: EvictionBudgets;
  /** When deletion began (the node's deletionTimestamp), ms since the epoch. */
  readonly deletingSince: number;
  /** The NodeClaim's terminationGracePeriod, ms; undefined waits for ever. */
  readonly gracePeriodMs: number | undefined;
  readonly now: number;
}

const criticalClasses = new Set(["system-cluster-critical", "system-node-critical"]);

/**
 * Karpenter v1's termination, one step at a time (the controller calls it until deleteInstance):
 * taint the node `karpenter.sh/disrupted:NoSchedule`; drain it in four groups — ordinary pods,
 * then ordinary DaemonSet pods, then critical pods (system-cluster-critical / system-node-critical),
 * then critical DaemonSet pods — each group only once the one before is gone; evictions honour
 * PodDisruptionBudgets and `karpenter.sh/do-not-disrupt`. With a terminationGracePeriod, each pod
 * is deleted regardless once only its own grace period is left before the node's deadline, and
 * at the deadline the instance goes whatever remains. Pods that need no draining: finished ones,
 * static (mirror) pods, and pods that tolerate the disrupted taint.
 */
export function terminationStep(input: TerminationInput): TerminationStep {
  const taint = !(input.node.spec?.taints ?? []).some(
    (t) => t.key === Taints.disrupted.key && t.effect === Taints.disrupted.effect,
  );
  const deadline =
    input.gracePeriodMs === undefined
      ? Number.POSITIVE_INFINITY
      : input.deletingSince + input.gracePeriodMs;
  const drainable = input.pods.filter(needsDrain);
  if (drainable.length === 0 || input.now >= deadline)
    return { taint, evict: [], forceDelete: [], waiting: [], deleteInstance: true };

  const forceDelete = drainable.filter(
    (pod) => input.now >= deadline - (pod.spec.terminationGracePeriodSeconds ?? 30) * 1000,
  );
  const remaining = drainable.filter((pod) => !forceDelete.includes(pod));
  const groups = [0, 1, 2, 3].map((g) => remaining.filter((pod) => drainGroup(pod) === g));
  const current = groups.find((group) => group.length > 0) ?? [];
  const evict: Pod[] = [];
  const waiting: { pod: string; why: TerminationWait }[] = [];
  for (const pod of current) {
    if (isProtected(pod, input.now)) {
      waiting.push({ pod: podKey(pod), why: { code: "do_not_disrupt" } });
      continue;
    }
    const check = input.budgets.check([pod]);
    if (!check.ok) {
      waiting.push({ pod: podKey(pod), why: { code: "eviction", refusal: check.refusal } });
      continue;
    }
    input.budgets.commit(check.consumes);
    evict.push(pod);
  }
  for (const pod of remaining.filter((p) => !current.includes(p)))
    waiting.push({ pod: podKey(pod), why: { code: "earlier_group" } });
  return { taint, evict, forceDelete, waiting, deleteInstance: false };
}

/** Pods the drain must remove: not finished, not static, not tolerating the disrupted taint. */
function needsDrain(pod: Pod): boolean {
  if (pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") return false;
  if (pod.metadata.annotations?.["kubernetes.io/config.mirror"] !== undefined) return false;
  if ((pod.metadata.ownerReferences ?? []).some((o) => o.kind === "Node")) return false;
  return !toleratedByAny({ ...Taints.disrupted }, pod.spec.tolerations);
}

/** Karpenter's drain order: 0 ordinary, 1 ordinary DaemonSet, 2 critical, 3 critical DaemonSet. */
function drainGroup(pod: Pod): number {
  const daemon = (pod.metadata.ownerReferences ?? []).some((o) => o.kind === "DaemonSet");
  const critical = criticalClasses.has(pod.spec.priorityClassName ?? "");
  return (critical ? 2 : 0) + (daemon ? 1 : 0);
}
