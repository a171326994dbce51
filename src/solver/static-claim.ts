import type { NodePool } from "../api/nodepool.ts";
import type { Pod } from "../api/pod.ts";
import type { Catalog } from "../catalog/instance-type.ts";
import type { NodeExtrasOf } from "../catalog/node-class-extras.ts";
import { poolInstanceTypes } from "../catalog/overlay.ts";
import { parseResources } from "../resources/resource-list.ts";
import { claimNode } from "./new-claim.ts";
import type { PlannedNodeClaim } from "./plan.ts";
import { plannedClaim } from "./planned-claim.ts";
import { NodesResource } from "./pool-limits.ts";
import { poolTemplates } from "./pool-template.ts";
import { staticReplicas } from "./static-pool.ts";

/**
 * The node a static pool's controller launches: Karpenter builds it from the pool's template
 * alone — every instance type its requirements allow, no pod's requests (static provisioning's
 * NodeClaimTemplate with empty requests) — and launches it as any claim is launched (capacity
 * type by launch order, then the cheapest offering). Undefined when no type is allowed.
 */
export function staticClaim(
  nodePool: NodePool,
  catalog: Catalog,
  extrasOf?: NodeExtrasOf,
  daemonPods: readonly Pod[] = [],
): PlannedNodeClaim | undefined {
  // The pool's types as NodeOverlays left them, as every decision for it sees them.
  const types = poolInstanceTypes(catalog, nodePool.metadata.name ?? "");
  const [pool] = poolTemplates([nodePool], types, daemonPods, extrasOf);
  if (pool === undefined || pool.instanceTypes.length === 0) return undefined;
  const name = pool.name;
  return plannedClaim({
    name,
    pool,
    requirements: pool.requirements,
    options: pool.instanceTypes,
    prices: pool.cheapestPrices,
    largest: {},
    pods: [],
    requests: {},
    ports: [],
    node: claimNode(name, pool, pool.requirements),
    price: pool.cheapestPrices[0] ?? 0,
    committed: {},
  });
}

/**
 * What replaces a drifted node of a static pool (Karpenter's StaticDrift): one node of the pool's
 * own template, launched before the old one goes — unless that would take the pool over
 * limits.nodes, when the old one goes first (no replacement here) and the static controller
 * launches its successor. Undefined for a dynamic pool, whose drift re-packs the pods.
 */
export function staticDriftReplacements(
  nodePool: NodePool,
  catalog: Catalog,
  poolNodes: number,
): PlannedNodeClaim[] | undefined {
  if (staticReplicas(nodePool) === undefined) return undefined;
  const limits = parseResources(nodePool.spec.limits);
  const nodeLimit = limits.ok ? limits.resources[NodesResource] : undefined;
  if (nodeLimit !== undefined && poolNodes + 1 > nodeLimit) return [];
  const claim = staticClaim(nodePool, catalog);
  return claim === undefined ? [] : [claim];
}
