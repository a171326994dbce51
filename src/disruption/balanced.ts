/**
 * Karpenter v1.14's `consolidationPolicy: Balanced` (kubernetes-sigs/karpenter#2962,
 * designs/balanced-consolidation.md): a consolidation move goes ahead only when the share of the
 * NodePool's cost it saves is at least half the share of the pool's disruption it causes.
 *
 *   score = (savings / pool cost) / (move disruption / pool disruption), approved when score ≥ 1/k
 *
 * Disruption is counted per node: 1 for the node itself plus each reschedulable pod's eviction
 * cost, negative costs counted as 0. WhenEmpty and WhenEmptyOrUnderutilized are not scored.
 */

/**
 * Karpenter's BalancedK: the threshold is 1/k. A pool's `disruption.consolidationThreshold` (1–3)
 * sets its own k.
 */
export const BalancedK = 2;

/** What Balanced needs of a node: its hourly price and the eviction costs of the pods it would move. */
export interface ScoredNode {
  readonly pool: string;
  /** Undefined or 0 when the price is unknown: such nodes count in neither total (Karpenter). */
  readonly price: number | undefined;
  readonly podCosts: readonly number[];
}

export interface PoolTotals {
  readonly cost: number;
  readonly disruption: number;
}

export interface BalancedScore {
  readonly approved: boolean;
  readonly score: number;
  readonly savingsFraction: number;
  readonly disruptionFraction: number;
  /** The score a move needs: 1/k. */
  readonly threshold: number;
}

/** A node's disruption: 1 for the node, plus each pod's eviction cost, never less than 0 each. */
export function nodeDisruption(node: Pick<ScoredNode, "podCosts">): number {
  return node.podCosts.reduce((sum, cost) => sum + Math.max(0, cost), 1);
}

/** Each pool's cost and disruption over all its candidate nodes, priced nodes only. */
export function poolTotals(nodes: readonly ScoredNode[]): Map<string, PoolTotals> {
  const totals = new Map<string, PoolTotals>();
  for (const node of nodes) {
    if (node.price === undefined || node.price === 0) continue;
    const current = totals.get(node.pool) ?? { cost: 0, disruption: 0 };
    totals.set(node.pool, {
      cost: current.cost + node.price,
      disruption: current.disruption + nodeDisruption(node),
    });
  }
  return totals;
}

/**
 * Karpenter's ScoreMove: no pool cost or no savings is a rejection; no pool disruption approves
 * any saving; otherwise the ratio of the two fractions against 1/k.
 */
export function scoreMove(
  savings: number,
  disruption: number,
  totals: PoolTotals,
  k: number = BalancedK,
): BalancedScore {
  if (totals.cost <= 0)
    return {
      approved: false,
      score: 0,
      savingsFraction: 0,
      disruptionFraction: 0,
      threshold: 1 / k,
    };
  const savingsFraction = savings / totals.cost;
  if (savings <= 0)
    return { approved: false, score: 0, savingsFraction, disruptionFraction: 0, threshold: 1 / k };
  if (totals.disruption <= 0)
    return {
      approved: true,
      score: Number.POSITIVE_INFINITY,
      savingsFraction,
      disruptionFraction: 0,
      threshold: 1 / k,
    };
  const disruptionFraction = disruption / totals.disruption;
  const score = savingsFraction / disruptionFraction;
  return { approved: score >= 1 / k, score, savingsFraction, disruptionFraction, threshold: 1 / k };
}

/**
 * Karpenter's CanPassThreshold, asked before single-node consolidation is worked out: deleting
 * the node outright is the best any move on it can do, so a node whose delete would be rejected
 * is skipped. Unknown totals let the node through (the move itself is scored later).
 */
export function canPassThreshold(
  node: ScoredNode,
  totals: PoolTotals | undefined,
  k: number = BalancedK,
): boolean {
  if (totals === undefined || totals.cost <= 0 || totals.disruption <= 0) return true;
  if (node.price === undefined || node.price <= 0) return true;
  return scoreMove(node.price, nodeDisruption(node), totals, k).approved;
}

/**
 * Karpenter's EvaluateBalancedMove: each Balanced pool among the move's nodes scores its own part
 * (the savings shared in proportion to the nodes' prices when the move spans pools) against its
 * own totals; the move goes ahead only if every one approves. The result is the worst score.
 */
export function evaluateMove(
  nodes: readonly ScoredNode[],
  savings: number,
  balancedK: (pool: string) => number | undefined,
  totals: ReadonlyMap<string, PoolTotals>,
): BalancedScore | undefined {
  const byPool = new Map<string, ScoredNode[]>();
  for (const node of nodes) byPool.set(node.pool, [...(byPool.get(node.pool) ?? []), node]);
  const totalPrice = nodes.reduce((sum, n) => sum + (n.price ?? 0), 0);
  let worst: BalancedScore | undefined;
  for (const [pool, members] of byPool) {
    const k = balancedK(pool);
    if (k === undefined) continue;
    const poolPrice = members.reduce((sum, n) => sum + (n.price ?? 0), 0);
    const share = byPool.size > 1 && totalPrice > 0 ? savings * (poolPrice / totalPrice) : savings;
    const disruption = members.reduce((sum, n) => sum + nodeDisruption(n), 0);
    const result = scoreMove(share, disruption, totals.get(pool) ?? { cost: 0, disruption: 0 }, k);
    if (!result.approved) return result;
    if (worst === undefined || result.score < worst.score) worst = result;
  }
  return worst;
}
