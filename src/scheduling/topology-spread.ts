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
    const term = spreadTerm(topologyKey, constraint.labelSelector, constraint.matchLabelKeys, pod);
    const filter = inclusionFilter(pod, constraint);
    const counts = index.counts(term, filter);
    const domains = eligibleDomains(index, topologyKey, filter, extraDomains);
    domains.add(domain);
    let minimum = Number.POSITIVE_INFINITY;
    for (const d of domains) minimum = Math.min(minimum, counts.byDomain.get(d) ?? 0);
    if (constraint.minDomains !== undefined && domains.size < constraint.minDomains) minimum = 0;
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

function eligibleDomains(
  index: TopologyIndex,
  topologyKey: string,
  filter: NodeFilter | undefined,
  extraDomains: ExtraDomains,
): Set<string> {
  const domains = new Set<string>(index.domains(topologyKey, filter));
  for (const domain of extraDomains(topologyKey)) domains.add(domain);
  return domains;
}
