import type { Pod, TopologySpreadConstraint } from "../api/pod.ts";
import { nodeAffinityReasons } from "./node-affinity.ts";
import { spreadTerm } from "./pod-term.ts";
import type { Reason } from "./reasons.ts";
import { untoleratedTaints } from "./taints.ts";
import type { NodeFilter, TopologyIndex, TopologyNode } from "./topology-index.ts";

/**
 * Domains that count although no node is in them yet: the solver passes the zones (or other
 * values) in which it could launch a node for this pod, as Karpenter counts them.
 */
export type ExtraDomains = (topologyKey: string) => Iterable<string>;

/**
 * kube-scheduler's PodTopologySpread filter for DoNotSchedule constraints (filtering.go):
 * skew = pods in the node's domain + 1 if the pod matches its own selector − the minimum over
 * eligible domains, and must not exceed maxSkew. Eligible nodes carry the topology key and pass
 * the inclusion policies: nodeAffinityPolicy Honor (default) — the pod's nodeSelector and required
 * node affinity; nodeTaintsPolicy Honor (default Ignore) — the node's taints are tolerated. Only
 * pods on eligible nodes, in the pod's namespace, count. With fewer eligible domains than
 * minDomains, the global minimum is 0. A node without the key cannot take the pod.
 */
export function topologySpreadReasons(
  pod: Pod,
  node: TopologyNode,
  index: TopologyIndex,
  extraDomains: ExtraDomains = () => [],
): Reason[] {
  const reasons: Reason[] = [];
  for (const constraint of pod.spec.topologySpreadConstraints ?? []) {
    if (constraint.whenUnsatisfiable !== "DoNotSchedule") continue;
    const { topologyKey, maxSkew } = constraint;
    const domain = node.labels[topologyKey];
    if (domain === undefined) {
      reasons.push({
        code: "topology_spread_violation",
        topologyKey,
        domain,
        skew: 0,
        maxSkew,
        missingKey: true,
      });
      continue;
    }
    const { term, filter } = constraintTerms(pod, constraint);
    const counts = index.counts(term, filter);
    const minimum = minimumCount(
      index,
      topologyKey,
      filter,
      extraDomains,
      domain,
      counts.byDomain,
      constraint.minDomains,
    );
    const skew = (counts.byDomain.get(domain) ?? 0) + (term.selects(pod) ? 1 : 0) - minimum;
    if (skew > maxSkew) {
      reasons.push({
        code: "topology_spread_violation",
        topologyKey,
        domain,
        skew,
        maxSkew,
        missingKey: false,
      });
    }
  }
  return reasons;
}

/** The node inclusion policies of a constraint, as a reusable filter (its key names what it tests). */
export function inclusionFilter(
  pod: Pod,
  constraint: TopologySpreadConstraint,
): NodeFilter | undefined {
  const honorAffinity = (constraint.nodeAffinityPolicy ?? "Honor") === "Honor";
  const honorTaints = (constraint.nodeTaintsPolicy ?? "Ignore") === "Honor";
  if (!honorAffinity && !honorTaints) return undefined;
  const affinityKey = honorAffinity
    ? JSON.stringify([
        pod.spec.nodeSelector ?? {},
        pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? null,
      ])
    : "";
  const taintKey = honorTaints ? JSON.stringify(pod.spec.tolerations ?? []) : "";
  return {
    key: `${affinityKey}|${taintKey}`,
    includes: (node) =>
      (!honorAffinity || nodeAffinityReasons(pod, node).length === 0) &&
      (!honorTaints ||
        untoleratedTaints(node.taints, pod.spec.tolerations, { preferNoScheduleBlocks: false })
          .length === 0),
  };
}

const termsCache = new WeakMap<Pod, Map<TopologySpreadConstraint, ConstraintTerms>>();

interface ConstraintTerms {
  readonly term: ReturnType<typeof spreadTerm>;
  readonly filter: NodeFilter | undefined;
}

/** A constraint's selector term and inclusion filter, built once per pod (checked against every node). */
function constraintTerms(pod: Pod, constraint: TopologySpreadConstraint): ConstraintTerms {
  let byConstraint = termsCache.get(pod);
  if (byConstraint === undefined) {
    byConstraint = new Map();
    termsCache.set(pod, byConstraint);
  }
  let terms = byConstraint.get(constraint);
  if (terms === undefined) {
    terms = {
      term: spreadTerm(
        constraint.topologyKey,
        constraint.labelSelector,
        constraint.matchLabelKeys,
        pod,
      ),
      filter: inclusionFilter(pod, constraint),
    };
    byConstraint.set(constraint, terms);
  }
  return terms;
}

/**
 * The global minimum: the least count over the eligible domains (those of included nodes, the
 * domains new nodes could have, and the node's own), 0 with fewer domains than minDomains. When
 * more domains are eligible than have any pod, some domain is empty and the minimum is 0 without
 * looking further — the common case, which keeps a check from scanning every node.
 */
function minimumCount(
  index: TopologyIndex,
  topologyKey: string,
  filter: NodeFilter | undefined,
  extraDomains: ExtraDomains,
  domain: string,
  byDomain: ReadonlyMap<string, number>,
  minDomains: number | undefined,
): number {
  const known = index.domains(topologyKey, filter);
  const extra = [...extraDomains(topologyKey)].filter((d) => !known.has(d));
  const own = known.has(domain) || extra.includes(domain) ? 0 : 1;
  const eligible = known.size + extra.length + own;
  if (minDomains !== undefined && eligible < minDomains) return 0;
  if (eligible > byDomain.size) return 0;
  let minimum = Number.POSITIVE_INFINITY;
  const visit = (d: string) => {
    minimum = Math.min(minimum, byDomain.get(d) ?? 0);
  };
  for (const d of known) visit(d);
  for (const d of extra) visit(d);
  if (own === 1) visit(domain);
  return minimum;
}
