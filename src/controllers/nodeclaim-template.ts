import type { NodeClaim } from "../api/nodeclaim.ts";
import type { NodePool } from "../api/nodepool.ts";
import { Annotations, Finalizers, Labels } from "../api/wellknown.ts";
import { CarpoolHashVersion, nodePoolHash } from "../disruption/drift.ts";

/** What a new node must be: the pool, the instance types that would do, where and how to buy it. */
export interface ClaimRequest {
  readonly name: string;
  readonly nodePool: NodePool;
  readonly instanceTypeOptions: readonly string[];
  readonly zone: string;
  readonly capacityType: string;
}

/**
 * A NodeClaim as Karpenter creates it from a NodePool's template: the template's labels, taints,
 * startup taints, node class and lifetimes, the termination finalizer, the template hash for
 * drift, and requirements that let the cloud provider launch any of the options in that zone
 * and capacity type.
 */
export function nodeClaimFor(request: ClaimRequest): NodeClaim {
  const pool = request.nodePool;
  const template = pool.spec.template;
  const poolName = pool.metadata.name ?? "";
  return {
    apiVersion: "karpenter.sh/v1",
    kind: "NodeClaim",
    metadata: {
      name: request.name,
      labels: { ...template.metadata?.labels, [Labels.nodePool]: poolName },
      annotations: {
        ...template.metadata?.annotations,
        [Annotations.nodePoolHash]: nodePoolHash(pool),
        [Annotations.nodePoolHashVersion]: CarpoolHashVersion,
      },
      finalizers: [Finalizers.termination],
    },
    spec: {
      ...(template.spec.taints && { taints: template.spec.taints }),
      ...(template.spec.startupTaints && { startupTaints: template.spec.startupTaints }),
      requirements: [
        { key: Labels.nodePool, operator: "In", values: [poolName] },
        { key: Labels.instanceType, operator: "In", values: [...request.instanceTypeOptions] },
        { key: Labels.zone, operator: "In", values: [request.zone] },
        { key: Labels.capacityType, operator: "In", values: [request.capacityType] },
      ],
      nodeClassRef: template.spec.nodeClassRef,
      ...(template.spec.expireAfter && { expireAfter: template.spec.expireAfter }),
      ...(template.spec.terminationGracePeriod && {
        terminationGracePeriod: template.spec.terminationGracePeriod,
      }),
    },
  };
}
