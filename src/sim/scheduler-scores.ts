import type { Pod, TopologySpreadConstraint } from "../api/pod.ts";
import { Labels } from "../api/wellknown.ts";
import type { Resources } from "../resources/resource-list.ts";
import { preferredScore } from "../scheduling/node-affinity.ts";
import { spreadTerm } from "../scheduling/pod-term.ts";
import { toleratedByAny } from "../scheduling/taints.ts";
import type { TopologyIndex, TopologyNode } from "../scheduling/topology-index.ts";
import { inclusionFilter } from "../scheduling/topology-spread.ts";

/** kube-scheduler's framework.MaxNodeScore: every score plugin answers 0…100. */
const MaxNodeScore = 100;

/**
 * The default profile's weights for the score plugins the stand-in models (kube-scheduler v1
 * config: NodeResourcesFit 1, NodeResourcesBalancedAllocation 1, PodTopologySpread 2,
 * NodeAffinity 2, TaintToleration 3). ImageLocality and InterPodAffinity's preferred terms are
 * not modelled.
 */
export const ScoreWeights = {
  fit: 1,
  balanced: 1,
  spread: 2,
  nodeAffinity: 2,
  taintToleration: 3,
} as const;

/** A feasible node as the score plugins see it: its labels, allocatable and what is already requested. */
export interface ScoredNode {
  readonly node: TopologyNode;
  readonly allocatable: Resources;
  readonly used: Resources;
}

const ScoredResources = ["cpu", "memory"] as const;

/**
 * NodeResourcesFit with its default strategy LeastAllocated: per resource
 * (allocatable − requested) × 100 / allocatable, the pod's request included, averaged with
 * equal weights over cpu and memory — in integers, as kube-scheduler's int64 scores divide.
 */
export function leastAllocatedScore(requests: Resources, node: ScoredNode): number {
  let sum = 0;
  let weights = 0;
  for (const resource of ScoredResources) {
    const allocatable = node.allocatable[resource] ?? 0;
    if (allocatable <= 0) continue;
    const requested = (node.used[resource] ?? 0) + (requests[resource] ?? 0);
    sum +=
      requested > allocatable
        ? 0
        : Math.floor(((allocatable - requested) * MaxNodeScore) / allocatable);
    weights++;
  }
  return weights === 0 ? 0 : Math.floor(sum / weights);
}

/**
 * NodeResourcesBalancedAllocation: (1 − the standard deviation of the requested fractions of cpu
 * and memory, each capped at 1) × 100 — nodes whose cpu and memory fill evenly score higher.
 */
export function balancedAllocationScore(requests: Resources, node: ScoredNode): number {
  const fractions: number[] = [];
  for (const resource of ScoredResources) {
    const allocatable = node.allocatable[resource] ?? 0;
    if (allocatable <= 0) continue;
    const requested = (node.used[resource] ?? 0) + (requests[resource] ?? 0);
    fractions.push(Math.min(1, requested / allocatable));
  }
  if (fractions.length < 2) return MaxNodeScore;
  const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
  const variance = fractions.reduce((a, f) => a + (f - mean) ** 2, 0) / fractions.length;
  return Math.trunc((1 - Math.sqrt(variance)) * MaxNodeScore);
}

/**
 * PodTopologySpread's score for ScheduleAnyway constraints (scoring.go), normalized over the
 * feasible nodes. Raw score per node: Σ over constraints of count × log(domains + 2) + (maxSkew − 1),
 * count being the matching pods in the node's domain (on the node itself for hostname), domains
 * the distinct values among feasible nodes. Then 100 × (max + min − raw) / max: the emptiest domain
 * scores 100. A node lacking a constraint's key scores 0. Without soft constraints every node ties.
 */
export function topologySpreadScores(
  pod: Pod,
  nodes: readonly ScoredNode[],
  index: TopologyIndex,
): number[] {
  const soft = (pod.spec.topologySpreadConstraints ?? []).filter(
    (c) => c.whenUnsatisfiable === "ScheduleAnyway",
  );
  if (soft.length === 0) return nodes.map(() => 0);
  const ignored = nodes.map((n) => soft.some((c) => n.node.labels[c.topologyKey] === undefined));
  const counted = nodes.filter((_, i) => !ignored[i]);
  const perConstraint = soft.map((c) => constraintScorer(pod, c, counted, index));
  const raw = nodes.map((n, i) =>
    ignored[i] ? 0 : Math.round(perConstraint.reduce((sum, score) => sum + score(n), 0)),
  );
  const considered = raw.filter((_, i) => !ignored[i]);
  if (considered.length === 0) return nodes.map(() => 0);
  const min = Math.min(...considered);
  const max = Math.max(...considered);
  return raw.map((score, i) => {
    if (ignored[i]) return 0;
    if (max === 0) return MaxNodeScore;
    return Math.floor((MaxNodeScore * (max + min - score)) / max);
  });
}

/** One constraint's raw score as a function of the node: its term, counts and weight worked out once. */
function constraintScorer(
  pod: Pod,
  constraint: TopologySpreadConstraint,
  counted: readonly ScoredNode[],
  index: TopologyIndex,
): (node: ScoredNode) => number {
  const { topologyKey, maxSkew } = constraint;
  const term = spreadTerm(topologyKey, constraint.labelSelector, constraint.matchLabelKeys, pod);
  const counts = index.counts(term, inclusionFilter(pod, constraint)).byDomain;
  const domains =
    topologyKey === Labels.hostname
      ? counted.length
      : new Set(counted.map((n) => n.node.labels[topologyKey])).size;
  const weight = Math.log(domains + 2);
  return (node) => (counts.get(node.node.labels[topologyKey] ?? "") ?? 0) * weight + (maxSkew - 1);
}

/**
 * NodeAffinity's score: the summed weights of the preferred terms a node matches, scaled so the
 * best node scores 100 (DefaultNormalizeScore); no preferred term matched anywhere, every node 0.
 */
export function nodeAffinityScores(pod: Pod, nodes: readonly ScoredNode[]): number[] {
  return normalized(
    nodes.map((n) => preferredScore(pod, n.node)),
    false,
  );
}

/**
 * TaintToleration's score: the node's PreferNoSchedule taints the pod does not tolerate (only
 * tolerations with that effect or none count), reversed so the node with the fewest scores 100.
 */
export function taintTolerationScores(pod: Pod, nodes: readonly ScoredNode[]): number[] {
  const tolerations = (pod.spec.tolerations ?? []).filter(
    (t) => t.effect === undefined || t.effect === "" || t.effect === "PreferNoSchedule",
  );
  return normalized(
    nodes.map(
      (n) =>
        n.node.taints.filter(
          (taint) => taint.effect === "PreferNoSchedule" && !toleratedByAny(taint, tolerations),
        ).length,
    ),
    true,
  );
}

/** kube-scheduler's DefaultNormalizeScore: scale to 0…100 by the maximum, reversed on request. */
function normalized(scores: readonly number[], reverse: boolean): number[] {
  const max = Math.max(0, ...scores);
  if (max === 0) return scores.map(() => (reverse ? MaxNodeScore : 0));
  return scores.map((score) => {
    const scaled = Math.floor((MaxNodeScore * score) / max);
    return reverse ? MaxNodeScore - scaled : scaled;
  });
}
