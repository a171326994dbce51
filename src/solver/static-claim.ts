import type { NodePool } from "../api/nodepool.ts";
import type { Catalog } from "../catalog/instance-type.ts";
import type { NodeExtrasOf } from "../catalog/node-class-extras.ts";
import { claimNode } from "./new-claim.ts";
import type { PlannedNodeClaim } from "./plan.ts";
import { plannedClaim } from "./planned-claim.ts";
import { poolTemplates } from "./pool-template.ts";

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
): PlannedNodeClaim | undefined {
  const [pool] = poolTemplates([nodePool], catalog.instanceTypes, [], extrasOf);
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
