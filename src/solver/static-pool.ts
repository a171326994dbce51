import type { NodePool } from "../api/nodepool.ts";

/**
 * A static NodePool's replica count, or undefined for a dynamic pool: Karpenter makes a pool
 * static by setting spec.replicas (v1.8, kubernetes-sigs/karpenter#2521), and its own
 * controllers then keep that many nodes whatever the pods want.
 */
export function staticReplicas(nodePool: NodePool): number | undefined {
  return nodePool.spec.replicas;
}
