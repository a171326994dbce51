import { parseCron, windowActive } from "../api/cron.ts";
import type { DisruptionReason, NodePool } from "../api/nodepool.ts";
import { parseDuration } from "./duration.ts";

/**
 * How many of a NodePool's nodes may be disrupting at once for a reason, Karpenter's way
 * (NodePool.GetAllowedDisruptionsByReason): every budget that is active now and applies to the
 * reason (no `reasons` means all) gives a count, a percentage of the pool's nodes rounded up, and
 * the smallest wins; with no such budget the reason is unlimited. A budget with a schedule is
 * active for `duration` after each firing (cron, UTC). The pool must carry Karpenter's defaults
 * (`defaultNodePool`): no `budgets` field means one budget of 10%.
 */
export function allowedDisruptions(
  pool: NodePool,
  reason: DisruptionReason,
  poolNodes: number,
  now: Date,
): number {
  let allowed = Number.POSITIVE_INFINITY;
  for (const budget of pool.spec.disruption?.budgets ?? []) {
    if (budget.reasons !== undefined && !budget.reasons.includes(reason)) continue;
    if (!budgetActive(budget, now)) continue;
    allowed = Math.min(allowed, budgetNodes(budget.nodes, poolNodes));
  }
  return allowed;
}

/** `nodes` as a count, or a percentage of the pool's nodes rounded up. */
export function budgetNodes(nodes: string, poolNodes: number): number {
  if (nodes.endsWith("%")) return Math.ceil((Number(nodes.slice(0, -1)) * poolNodes) / 100);
  return Number(nodes);
}

function budgetActive(
  budget: { readonly schedule?: string; readonly duration?: string },
  now: Date,
): boolean {
  if (budget.schedule === undefined || budget.duration === undefined) return true;
  return windowActive(parseCron(budget.schedule), parseDuration(budget.duration), now);
}
