import type { Resources } from "../resources/resource-list.ts";

/**
 * The resource name under which a NodePool's `limits.nodes` counts nodes: Karpenter gives every
 * node (and every NodeClaim it plans) a capacity of one `nodes`, so the limit is enforced by the
 * same arithmetic as cpu or memory (pkg/utils/resources.Node, StateNode.Capacity).
 */
export const NodesResource = "nodes";

/** What one node of this capacity counts against its pool's limits: its capacity and one node. */
export function limitCapacity(capacity: Resources): Resources {
  return { ...capacity, [NodesResource]: 1 };
}

/** A node's amount of `resource` as its pool's limits count it, without building the whole list. */
export function limitAmount(capacity: Resources, resource: string): number {
  return resource === NodesResource ? 1 : (capacity[resource] ?? 0);
}
