import type { Pod } from "../api/pod.ts";

/**
 * Karpenter's `pod.IsProvisionable`: a pod kube-scheduler has tried and could not place
 * (`PodScheduled=False`, reason `Unschedulable`), not bound, not finished, not being deleted, and
 * not a daemonset's or a node's own pod (those follow the node, they do not ask for one).
 */
export function isProvisionable(pod: Pod): boolean {
  if (pod.spec.nodeName) return false;
  if (pod.metadata.deletionTimestamp !== undefined) return false;
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") return false;
  const owners = pod.metadata.ownerReferences ?? [];
  if (owners.some((o) => o.controller === true && (o.kind === "DaemonSet" || o.kind === "Node")))
    return false;
  return (pod.status?.conditions ?? []).some(
    (c) => c.type === "PodScheduled" && c.status === "False" && c.reason === "Unschedulable",
  );
}
