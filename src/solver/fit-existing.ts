import { hostPortConflicts } from "../scheduling/host-ports.ts";
import { nodeAffinityReasons } from "../scheduling/node-affinity.ts";
import { podAffinityReasons } from "../scheduling/pod-affinity.ts";
import type { Reason } from "../scheduling/reasons.ts";
import { fitsResources, resourceFit } from "../scheduling/resource-fit.ts";
import { untoleratedTaints } from "../scheduling/taints.ts";
import type { TopologyIndex } from "../scheduling/topology-index.ts";
import { type ExtraDomains, topologySpreadReasons } from "../scheduling/topology-spread.ts";
import { volumeTopologyReasons } from "../scheduling/volume-topology.ts";
import type { ExistingCapacity } from "./existing-capacity.ts";
import type { Attempt } from "./pending-pod.ts";

/**
 * Can an existing node or in-flight claim take the pod, as kube-scheduler would bind it (with
 * Karpenter's stricter PreferNoSchedule until relaxed)? With `all`, every failing rule is
 * reported; otherwise the check stops at the first failing rule, cheapest rules first.
 */
export function existingFitReasons(
  capacity: ExistingCapacity,
  attempt: Attempt,
  index: TopologyIndex,
  extraDomains: ExtraDomains,
  all: boolean,
): Reason[] {
  const { pod, pending } = attempt;
  const reasons: Reason[] = [];
  const done = () => !all && reasons.length > 0;
  if (!all && !fitsResources(pending.requests, capacity.allocatable, capacity.used)) {
    return resourceFit(pending.requests, capacity.allocatable, capacity.used);
  }
  reasons.push(
    ...untoleratedTaints(capacity.taints, pod.spec.tolerations, { preferNoScheduleBlocks: true }),
  );
  if (done()) return reasons;
  reasons.push(...nodeAffinityReasons(pod, capacity));
  if (done()) return reasons;
  if (all) reasons.push(...resourceFit(pending.requests, capacity.allocatable, capacity.used));
  reasons.push(...hostPortConflicts(pending.ports, capacity.ports));
  reasons.push(...volumeTopologyReasons(pending.volumes, capacity.labels));
  if (done()) return reasons;
  const node = index.nodes.get(capacity.name);
  if (node !== undefined) {
    reasons.push(...podAffinityReasons(pod, node, index));
    if (done()) return reasons;
    reasons.push(...topologySpreadReasons(pod, node, index, extraDomains));
  }
  return reasons;
}
