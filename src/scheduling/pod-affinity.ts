import type { Pod } from "../api/pod.ts";
import { affinityTerm } from "./pod-term.ts";
import type { Reason } from "./reasons.ts";
import type { TopologyIndex, TopologyNode } from "./topology-index.ts";

/**
 * kube-scheduler's InterPodAffinity filter (interpodaffinity/filtering.go), against the index:
 * - required affinity: every term needs a selected pod in the node's domain of its topology key;
 *   except that when no pod anywhere matches any term and the pod matches all its own terms, it
 *   may go to any node carrying the topology keys (the first pod of a self-affine group);
 * - required anti-affinity: no selected pod in the node's domain (a node without the key is fine);
 * - symmetry: no placed pod's required anti-affinity term selects this pod in the node's domain.
 */
export function podAffinityReasons(pod: Pod, node: TopologyNode, index: TopologyIndex): Reason[] {
  const reasons: Reason[] = [];
  const { required, anti } = requiredTerms(pod, index);
  if (required.length > 0) {
    const counts = required.map((term) => index.counts(term));
    const firstOfGroup =
      counts.every((c) => c.total === 0) && required.every((term) => term.selects(pod));
    required.forEach((term, termIndex) => {
      const domain = node.labels[term.topologyKey];
      const satisfied =
        domain !== undefined &&
        (firstOfGroup || (counts[termIndex]?.byDomain.get(domain) ?? 0) > 0);
      if (!satisfied)
        reasons.push({
          code: "pod_affinity_unsatisfied",
          topologyKey: term.topologyKey,
          termIndex,
          domain,
        });
    });
  }
  anti.forEach((term, termIndex) => {
    const domain = node.labels[term.topologyKey];
    if (domain === undefined || (index.counts(term).byDomain.get(domain) ?? 0) === 0) return;
    reasons.push({
      code: "pod_anti_affinity_conflict",
      topologyKey: term.topologyKey,
      termIndex,
      domain,
      conflictingPod: index.exampleIn(term, domain) ?? "",
    });
  });
  for (const group of index.antiAffinityGroupsSelecting(pod)) {
    const domain = node.labels[group.term.topologyKey];
    if (domain === undefined) continue;
    const existingPod = group.domains.get(domain);
    if (existingPod !== undefined) {
      reasons.push({
        code: "existing_pod_anti_affinity",
        topologyKey: group.term.topologyKey,
        domain,
        existingPod,
      });
    }
  }
  return reasons;
}

type Term = ReturnType<typeof affinityTerm>;
const termsCache = new WeakMap<Pod, { index: TopologyIndex; required: Term[]; anti: Term[] }>();

/** The pod's required affinity and anti-affinity terms, built once per pod and index. */
export function requiredTerms(pod: Pod, index: TopologyIndex): { required: Term[]; anti: Term[] } {
  const cached = termsCache.get(pod);
  if (cached !== undefined && cached.index === index) return cached;
  const affinity = pod.spec.affinity;
  const terms = {
    index,
    required: (affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map(
      (term) => affinityTerm(term, pod, index.namespaces),
    ),
    anti: (affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map(
      (term) => affinityTerm(term, pod, index.namespaces),
    ),
  };
  termsCache.set(pod, terms);
  return terms;
}

/** kube-scheduler's InterPodAffinity score: weights of satisfied preferred affinity minus anti-affinity. */
export function preferredPodAffinityScore(
  pod: Pod,
  node: TopologyNode,
  index: TopologyIndex,
): number {
  let score = 0;
  const affinity = pod.spec.affinity;
  for (const [sign, terms] of [
    [1, affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []],
    [-1, affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []],
  ] as const) {
    for (const weighted of terms) {
      const term = affinityTerm(weighted.podAffinityTerm, pod, index.namespaces);
      const domain = node.labels[term.topologyKey];
      if (domain !== undefined && (index.counts(term).byDomain.get(domain) ?? 0) > 0)
        score += sign * weighted.weight;
    }
  }
  return score;
}
