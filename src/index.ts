/**
 * carpool's library: the same computations as the CLI, on already-parsed objects.
 * This file is the public surface; everything else is internal.
 */

export type { NodeClaim } from "./api/nodeclaim.ts";
export type { NodePool } from "./api/nodepool.ts";
export type { Pod, Taint, Toleration } from "./api/pod.ts";
export {
  type DisruptionPlan,
  type DisruptionReplacement,
  type DisruptOptions,
  disrupt,
} from "./disrupt.ts";
export { type PlanOptions, plan } from "./plan.ts";
export { formatQuantity, parseQuantity, type Quantity } from "./resources/quantity.ts";
export { tolerates } from "./scheduling/toleration.ts";
export type { Plan, PlannedNodeClaim } from "./solver/plan.ts";
