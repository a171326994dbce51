import type { NodeClaim } from "../api/nodeclaim.ts";
import { defaultNodePool, type NodePool } from "../api/nodepool.ts";
import { Annotations, Finalizers, Labels } from "../api/wellknown.ts";
import { CarpoolHashVersion, nodePoolHash } from "../disruption/drift.ts";
import type { ClusterStore } from "../ports/cluster-store.ts";
import { Requirements } from "../scheduling/requirements.ts";

/** What a new node must be: the pool, the instance types that would do, where and how to buy it. */
export interface ClaimRequest {
  /** The claim's name; without one the API server names it `<nodepool>-<random>` (generateName). */
  readonly name?: string;
  readonly nodePool: NodePool;
  readonly instanceTypeOptions: readonly string[];
  readonly zone: string;
  readonly capacityType: string;
}

/**
 * A NodeClaim as Karpenter creates it from a NodePool's template: the template's labels, taints,
 * startup taints, node class and lifetimes, the termination finalizer, the template hash for
 * drift, and requirements: the pool's, narrowed to let the cloud provider launch any of the
 * options in that zone and capacity type.
 */
export function nodeClaimFor(request: ClaimRequest): NodeClaim {
  const pool = request.nodePool;
  const template = pool.spec.template;
  const poolName = pool.metadata.name ?? "";
  return {
    apiVersion: "karpenter.sh/v1",
    kind: "NodeClaim",
    metadata: {
      ...(request.name === undefined ? { generateName: `${poolName}-` } : { name: request.name }),
      // With the single values of the pool's requirements, as Karpenter's scheduler labels claims.
      labels: {
        ...Requirements.from(template.spec.requirements).labels(),
        ...template.metadata?.labels,
        [Labels.nodePool]: poolName,
      },
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
        // The pool's own requirements, as Karpenter's claims carry them: their single values
        // become the node's labels, so a pod selecting one finds the node and the node is not
        // drifted from its pool for lacking it. The keys below narrow them to the plan's choice.
        ...template.spec.requirements,
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

/** A node some plan wants launched, by NodePool name. */
export interface PlannedNode {
  readonly nodePool: string;
  readonly instanceTypeOptions: readonly string[];
  readonly zone: string;
  readonly capacityType: string;
}

/**
 * Creates NodeClaims for planned nodes (disruption replacements, interruption pre-provisioning),
 * named by the store as Karpenter's are (`<nodepool>-<suffix>`); nodes of a NodePool that no
 * longer exists are skipped. Returns the names.
 */
export async function createClaims(
  store: ClusterStore,
  planned: readonly PlannedNode[],
): Promise<string[]> {
  const names: string[] = [];
  for (const node of planned) {
    const pool = await store.get("NodePool", node.nodePool);
    if (pool === undefined) continue;
    const created = await store.create(
      nodeClaimFor({
        nodePool: defaultNodePool(pool),
        instanceTypeOptions: node.instanceTypeOptions,
        zone: node.zone,
        capacityType: node.capacityType,
      }),
    );
    names.push(created.metadata.name ?? "");
  }
  return names;
}
