import type { LabelSelector } from "../api/meta.ts";
import type { Pod, PodAffinityTerm } from "../api/pod.ts";
import { type Labels, selectorMatches } from "./label-selector.ts";

/**
 * A pod (anti-)affinity term or topology spread selector, resolved for one incoming pod: which
 * pods it selects (label selector with matchLabelKeys/mismatchLabelKeys merged in, and namespaces)
 * and over which topology key. `key` is canonical: terms that select the same pods share counts.
 */
export interface PodSelectorTerm {
  readonly key: string;
  readonly topologyKey: string;
  readonly selects: (pod: Pod) => boolean;
}

export type NamespaceLabels = ReadonlyMap<string, Labels>;

/**
 * kube-scheduler's AffinityTerm: namespaces ∪ namespaceSelector (an empty selector {} means every
 * namespace); neither given means the incoming pod's own namespace. A nil labelSelector selects
 * nothing. matchLabelKeys adds `key In (incoming pod's value)`, mismatchLabelKeys `key NotIn (...)`.
 */
export function affinityTerm(
  term: PodAffinityTerm,
  incoming: Pod,
  namespaces: NamespaceLabels,
): PodSelectorTerm {
  const own = incoming.metadata.namespace ?? "default";
  const listed = term.namespaces ?? [];
  const namespaceSelector = term.namespaceSelector;
  const everyNamespace =
    namespaceSelector !== undefined &&
    Object.keys(namespaceSelector.matchLabels ?? {}).length === 0 &&
    (namespaceSelector.matchExpressions ?? []).length === 0;
  const allowed = new Set(listed.length === 0 && namespaceSelector === undefined ? [own] : listed);
  if (namespaceSelector !== undefined && !everyNamespace) {
    for (const [namespace, labels] of namespaces)
      if (selectorMatches(namespaceSelector, labels)) allowed.add(namespace);
  }
  const selector = withLabelKeys(
    term.labelSelector,
    incoming,
    term.matchLabelKeys,
    term.mismatchLabelKeys,
  );
  const namespaceKey = everyNamespace ? "*" : [...allowed].sort().join(",");
  return {
    key: `${term.topologyKey}|${namespaceKey}|${JSON.stringify(selector ?? null)}`,
    topologyKey: term.topologyKey,
    selects: (pod) =>
      (everyNamespace || allowed.has(pod.metadata.namespace ?? "default")) &&
      selectorMatches(selector, pod.metadata.labels ?? {}),
  };
}

/** A topology spread constraint's selector: only pods in the incoming pod's namespace count. */
export function spreadTerm(
  topologyKey: string,
  labelSelector: LabelSelector | undefined,
  matchLabelKeys: readonly string[] | undefined,
  incoming: Pod,
): PodSelectorTerm {
  const namespace = incoming.metadata.namespace ?? "default";
  const selector = withLabelKeys(labelSelector, incoming, matchLabelKeys, undefined);
  return {
    key: `${topologyKey}|${namespace}|${JSON.stringify(selector ?? null)}`,
    topologyKey,
    selects: (pod) =>
      (pod.metadata.namespace ?? "default") === namespace &&
      selectorMatches(selector, pod.metadata.labels ?? {}),
  };
}

function withLabelKeys(
  selector: LabelSelector | undefined,
  incoming: Pod,
  matchLabelKeys: readonly string[] | undefined,
  mismatchLabelKeys: readonly string[] | undefined,
): LabelSelector | undefined {
  if (selector === undefined) return undefined;
  const labels = incoming.metadata.labels ?? {};
  const extra = [
    ...(matchLabelKeys ?? [])
      .filter((k) => labels[k] !== undefined)
      .map((k) => ({ key: k, operator: "In" as const, values: [labels[k] as string] })),
    ...(mismatchLabelKeys ?? [])
      .filter((k) => labels[k] !== undefined)
      .map((k) => ({ key: k, operator: "NotIn" as const, values: [labels[k] as string] })),
  ];
  if (extra.length === 0) return selector;
  return { ...selector, matchExpressions: [...(selector.matchExpressions ?? []), ...extra] };
}
