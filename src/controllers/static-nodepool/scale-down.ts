import type { Node } from "../../api/node.ts";
import type { NodeClaim } from "../../api/nodeclaim.ts";
import type { Pod } from "../../api/pod.ts";
import { evictionCost } from "../../disruption/disrupt.ts";
import { isProtected } from "../../disruption/do-not-disrupt.ts";
import { parseDuration } from "../../disruption/duration.ts";

/** What the choice reads of a static pool's claims, their nodes and pods, at one instant. */
export interface ScaleDownInput {
  /** The pool's NodeClaims not being deleted. */
  readonly claims: readonly NodeClaim[];
  readonly nodes: readonly Node[];
  /** Pods bound to nodes (finished pods left out by the caller). */
  readonly pods: readonly Pod[];
  /** The pool's template expireAfter, for claims that carry none. */
  readonly expireAfter: string | undefined;
  readonly now: number;
}

/**
 * The claims to delete when a static pool has `count` more than spec.replicas, in Karpenter's order
 * (pkg/controllers/static/deprovisioning): claims not launched yet first, then empty nodes (only
 * DaemonSet pods, none protected by do-not-disrupt), then the rest — unprotected before protected,
 * and the cheapest to disrupt first (eviction cost of its pods × the fraction of its lifetime
 * left). Ties go by name, so the choice is the same every time.
 */
export function scaleDownCandidates(input: ScaleDownInput, count: number): NodeClaim[] {
  if (count <= 0) return [];
  const ranked = input.claims.map((claim) => rank(claim, input));
  ranked.sort(
    (a, b) =>
      a.group - b.group ||
      a.cost - b.cost ||
      compareText(a.claim.metadata.name ?? "", b.claim.metadata.name ?? ""),
  );
  return ranked.slice(0, count).map((r) => r.claim);
}

/** 0: not launched, 1: empty, 2: pods without do-not-disrupt, 3: protected pods. */
function rank(
  claim: NodeClaim,
  input: ScaleDownInput,
): { claim: NodeClaim; group: number; cost: number } {
  if (claim.status?.providerID === undefined || claim.status.providerID === "")
    return { claim, group: 0, cost: 0 };
  const node = input.nodes.find(
    (n) =>
      n.metadata.name === claim.status?.nodeName ||
      (n.spec?.providerID !== undefined && n.spec.providerID === claim.status?.providerID),
  );
  const pods =
    node === undefined ? [] : input.pods.filter((p) => p.spec.nodeName === node.metadata.name);
  const protectedPods = pods.some((p) => isProtected(p, input.now));
  if (!protectedPods && pods.every(ownedByDaemonSet)) return { claim, group: 1, cost: 0 };
  const rescheduling = pods.reduce((sum, pod) => sum + evictionCost(pod), 0);
  return {
    claim,
    group: protectedPods ? 3 : 2,
    cost: rescheduling * lifetimeRemaining(claim, input),
  };
}

/** The fraction of its expireAfter the claim has left, in [0, 1]; 1 when it never expires. */
function lifetimeRemaining(claim: NodeClaim, input: ScaleDownInput): number {
  const text = claim.spec.expireAfter ?? input.expireAfter ?? "720h";
  const expireAfter = parseDuration(text);
  const created = Date.parse(claim.metadata.creationTimestamp ?? "");
  if (!Number.isFinite(expireAfter) || !Number.isFinite(created)) return 1;
  return Math.min(1, Math.max(0, (expireAfter - (input.now - created)) / expireAfter));
}

function ownedByDaemonSet(pod: Pod): boolean {
  return (pod.metadata.ownerReferences ?? []).some((o) => o.kind === "DaemonSet");
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
