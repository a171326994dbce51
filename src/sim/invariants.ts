import type { Node } from "../api/node.ts";
import type { NodeClaim } from "../api/nodeclaim.ts";
import type { NodePool } from "../api/nodepool.ts";
import type { Pod } from "../api/pod.ts";
import { Labels, Taints } from "../api/wellknown.ts";
import { podKey } from "../cluster/snapshot.ts";
import { addResources, parseResources, type Resources } from "../resources/resource-list.ts";
import { nodeAffinityReasons } from "../scheduling/node-affinity.ts";
import { podRequests } from "../scheduling/pod-requests.ts";
import { untoleratedTaints } from "../scheduling/taints.ts";

/** A broken invariant, before its time is attached. */
export interface Breach {
  readonly invariant: string;
  readonly object: string;
  readonly message: string;
}

/**
 * At binding: the pod tolerates the node's NoSchedule and NoExecute taints and selects the node.
 * Taints Karpenter itself adds for disruption come after binding and are not held against it.
 */
export function bindingBreaches(pod: Pod, node: Node): Breach[] {
  const breaches: Breach[] = [];
  const taints = (node.spec?.taints ?? []).filter((t) => t.key !== Taints.disrupted.key);
  const untolerated = untoleratedTaints(taints, pod.spec.tolerations, {
    preferNoScheduleBlocks: false,
  });
  for (const reason of untolerated) {
    if (reason.code !== "untolerated_taint") continue;
    breaches.push({
      invariant: "untolerated_taint",
      object: `Pod/${podKey(pod)}`,
      message: `bound to Node/${node.metadata.name} with taint ${reason.taint.key}:${reason.taint.effect}`,
    });
  }
  const target = {
    name: node.metadata.name ?? "",
    labels: { [Labels.hostname]: node.metadata.name ?? "", ...node.metadata.labels },
  };
  if (nodeAffinityReasons(pod, target).length > 0)
    breaches.push({
      invariant: "node_selector",
      object: `Pod/${podKey(pod)}`,
      message: `bound to Node/${node.metadata.name}, which it does not select`,
    });
  return breaches;
}

/**
 * Every node within its allocatable; every NodePool within its limits, not counting the nodes a
 * disruption is replacing: Karpenter's consolidation and drift simulate without the candidates
 * (the limits' room includes theirs) and launch the replacements before the candidates go, so a
 * pool is over its limits while a replacement comes up, as in Karpenter.
 */
export function capacityBreaches(
  nodes: readonly Node[],
  pods: readonly Pod[],
  claims: readonly NodeClaim[],
  pools: readonly NodePool[],
): Breach[] {
  const breaches: Breach[] = [];
  const used = new Map<string, Resources>();
  for (const pod of pods) {
    if (!pod.spec.nodeName || pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed")
      continue;
    const requests = podRequests(pod);
    if (requests.ok)
      used.set(
        pod.spec.nodeName,
        addResources(used.get(pod.spec.nodeName) ?? {}, requests.requests),
      );
  }
  for (const node of nodes) {
    const allocatable = resources(node.status?.allocatable);
    const usage = used.get(node.metadata.name ?? "") ?? {};
    for (const [resource, amount] of Object.entries(usage)) {
      if (amount > 0 && amount > (allocatable[resource] ?? 0))
        breaches.push({
          invariant: "over_allocatable",
          object: `Node/${node.metadata.name}`,
          message: `${resource} requested ${amount} > allocatable ${allocatable[resource] ?? 0}`,
        });
    }
  }
  const disrupting = new Set(
    nodes
      .filter((n) => (n.spec?.taints ?? []).some((t) => t.key === Taints.disrupted.key))
      .map((n) => n.metadata.name ?? ""),
  );
  for (const pool of pools) {
    const limits = resources(pool.spec.limits);
    if (Object.keys(limits).length === 0) continue;
    let total: Resources = {};
    for (const claim of claims) {
      if (claim.metadata.labels?.[Labels.nodePool] !== pool.metadata.name) continue;
      if (claim.metadata.deletionTimestamp !== undefined) continue;
      if (disrupting.has(claim.status?.nodeName ?? "")) continue;
      total = addResources(total, resources(claim.status?.capacity));
    }
    for (const [resource, limit] of Object.entries(limits)) {
      if ((total[resource] ?? 0) > limit)
        breaches.push({
          invariant: "pool_limit",
          object: `NodePool/${pool.metadata.name}`,
          message: `${resource} ${total[resource]} > limit ${limit}`,
        });
    }
  }
  return breaches;
}

function resources(list: Readonly<Record<string, string | number>> | undefined): Resources {
  const parsed = parseResources(list);
  return parsed.ok ? parsed.resources : {};
}
