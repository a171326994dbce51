import { isVirtualPod } from "../api/capacitybuffer-pods.ts";
import type { Pod } from "../api/pod.ts";
import type { Catalog } from "../catalog/instance-type.ts";
import { type ClusterSnapshot, podKey } from "../cluster/snapshot.ts";
import { solverInput } from "../solver/snapshot-input.ts";
import { solve } from "../solver/solve.ts";

/**
 * Buffer capacity held through disruption, as Karpenter holds it: a CapacityBuffer's virtual pods
 * count on the existing nodes provisioning would place them on (its state's buffer pod counts make
 * such a node not empty; consolidation's simulation must fit them again, from GetPendingPods). They
 * are placed once, on the cluster as it stands, and bound there in the snapshot disruption reads;
 * any that need new capacity stay pending, provisioning's to launch.
 */
export function withBufferPodsPlaced(snapshot: ClusterSnapshot, catalog: Catalog): ClusterSnapshot {
  const virtual = snapshot.pendingPods.filter(isVirtualPod);
  if (virtual.length === 0) return snapshot;
  const solution = solve({ ...solverInput(snapshot), pendingPods: virtual, catalog });
  const nodes = new Set(snapshot.nodes.map((n) => n.metadata.name ?? ""));
  const bound: Pod[] = [];
  for (const [nodeName, pods] of solution.onExisting) {
    // An in-flight claim has no node yet to hold the pod; the claim itself is kept as capacity.
    if (!nodes.has(nodeName)) continue;
    for (const { pod } of pods) bound.push({ ...pod, spec: { ...pod.spec, nodeName } });
  }
  if (bound.length === 0) return snapshot;
  const placed = new Set(bound.map(podKey));
  return {
    ...snapshot,
    boundPods: [...snapshot.boundPods, ...bound],
    pendingPods: snapshot.pendingPods.filter((pod) => !placed.has(podKey(pod))),
  };
}
