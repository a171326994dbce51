import type { Pod, TopologySpreadConstraint } from "../api/pod.ts";
import { Labels } from "../api/wellknown.ts";
import { nodeAffinityReasons } from "./node-affinity.ts";
import { spreadTerm } from "./pod-term.ts";
import type { Reason } from "./reasons.ts";
import { untoleratedTaints } from "./taints.ts";
import type { NodeFilter, TopologyIndex, TopologyNode } from "./topology-index.ts";

/**
 * Domains that count although no node is in them yet: the solver passes the zones (or other
 * values) in which it could launch a node for this pod, as Karpenter counts them, and for hostname
 * UnlaunchedNode. kube-scheduler itself sees only the nodes there are (the simulator passes none).
 */
export type ExtraDomains = (topologyKey: string) => Iterable<string>;

/**
 * The hostname domain of a node that could still be launched for the pod, as an extra domain: every
 * new node is a hostname domain of its own with no pod yet, so the global minimum over hostnames is
 * 0 (Karpenter's TopologyGroup.domainMinCount). The NUL makes it no valid label value, hence no
 * existing node's hostname.
 */
export const UnlaunchedNode = "\u0000unlaunched";

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

/**
 * The pod's DoNotSchedule hostname constraints as a test of a node's hostname alone, when a node
 * yet to launch is among the extra domains: the global minimum is then 0, so a node takes the pod
 * while its count, plus 1 if the pod selects itself, stays within maxSkew — what
 * topologySpreadReasons answers, at the cost of a map lookup. Undefined when it does not apply.
 */
export function hostnameSpreadAdmits(
  pod: Pod,
  index: TopologyIndex,
  extraDomains: ExtraDomains,
): ((hostname: string) => boolean) | undefined {
  const constraints = (pod.spec.topologySpreadConstraints ?? []).filter(
    (c) => c.whenUnsatisfiable === "DoNotSchedule" && c.topologyKey === Labels.hostname,
  );
  if (constraints.length === 0) return undefined;
  if (![...extraDomains(Labels.hostname)].includes(UnlaunchedNode)) return undefined;
  const limits = constraints.map((constraint) => {
    const { term, filter } = constraintTerms(pod, constraint);
    return {
      byDomain: index.counts(term, filter).byDomain,
      room: constraint.maxSkew - (term.selects(pod) ? 1 : 0),
    };
  });
  return (hostname) => limits.every((l) => (l.byDomain.get(hostname) ?? 0) <= l.room);
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
