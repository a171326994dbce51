import type { Pod, Taint } from "../api/pod.ts";
import type { Labels } from "./label-selector.ts";
import { affinityTerm, type NamespaceLabels, type PodSelectorTerm } from "./pod-term.ts";

/** A node as the topology rules see it: existing, in flight, or planned by the solver. */
export interface TopologyNode {
  readonly name: string;
  readonly labels: Labels;
  readonly taints: readonly Taint[];
}

/** Pod counts by domain for one term, kept current as pods are added. */
export interface DomainCounts {
  readonly byDomain: ReadonlyMap<string, number>;
  readonly total: number;
}

/** Which nodes a count includes (topology spread's node inclusion policies); `key` identifies it. */
export interface NodeFilter {
  readonly key: string;
  readonly includes: (node: TopologyNode) => boolean;
}

interface Counter {
  readonly term: PodSelectorTerm;
  readonly filter: NodeFilter | undefined;
  readonly included: Map<string, boolean>;
  readonly byDomain: Map<string, number>;
  /** The first selected pod seen in each domain, to name in reasons. */
  readonly examples: Map<string, string>;
  total: number;
}

/** Placed pods' required anti-affinity terms, grouped by term, with the domains they forbid. */
export interface AntiAffinityGroup {
  readonly term: PodSelectorTerm;
  /** Domain → one pod (namespace/name) whose term forbids it. */
  readonly domains: Map<string, string>;
}

/**
 * The pods and nodes the inter-pod rules look at, indexed for incremental use: the solver adds
 * nodes and pods as it plans, and each term's per-domain counts are computed once, then updated
 * on every `addPod` instead of rescanning all pods. Terminating pods are not counted.
 */
export class TopologyIndex {
  readonly nodes = new Map<string, TopologyNode>();
  readonly namespaces: NamespaceLabels;
  readonly #pods: { readonly pod: Pod; readonly node: TopologyNode }[] = [];
  readonly #counters = new Map<string, Counter>();
  readonly #antiAffinity = new Map<string, AntiAffinityGroup>();
  readonly #nodeList: TopologyNode[] = [];
  readonly #domains = new Map<string, { scanned: number; readonly domains: Set<string> }>();

  constructor(namespaces: NamespaceLabels = new Map()) {
    this.namespaces = namespaces;
  }

  addNode(node: TopologyNode): void {
    if (this.nodes.has(node.name))
      throw new Error(`node ${node.name} added twice to the topology index`);
    this.nodes.set(node.name, node);
    this.#nodeList.push(node);
  }

  /** The values of `topologyKey` on the nodes the filter includes; cached and extended as nodes come. */
  domains(topologyKey: string, filter?: NodeFilter): ReadonlySet<string> {
    const key = `${topologyKey}|${filter?.key ?? ""}`;
    let cached = this.#domains.get(key);
    if (cached === undefined) {
      cached = { scanned: 0, domains: new Set() };
      this.#domains.set(key, cached);
    }
    for (; cached.scanned < this.#nodeList.length; cached.scanned++) {
      const node = this.#nodeList[cached.scanned] as TopologyNode;
      const domain = node.labels[topologyKey];
      if (domain !== undefined && (filter === undefined || filter.includes(node)))
        cached.domains.add(domain);
    }
    return cached.domains;
  }

  addPod(pod: Pod, nodeName: string): void {
    const node = this.nodes.get(nodeName);
    if (node === undefined || pod.metadata.deletionTimestamp !== undefined) return;
    this.#pods.push({ pod, node });
    for (const required of pod.spec.affinity?.podAntiAffinity
      ?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
      const term = affinityTerm(required, pod, this.namespaces);
      const domain = node.labels[term.topologyKey];
      if (domain === undefined) continue;
      let group = this.#antiAffinity.get(term.key);
      if (group === undefined) {
        group = { term, domains: new Map() };
        this.#antiAffinity.set(term.key, group);
      }
      if (!group.domains.has(domain)) group.domains.set(domain, podName(pod));
    }
    for (const counter of this.#counters.values()) count(counter, pod, node);
  }

  /** Pods selected by the term, by the domain (label value of its topology key) of their node. */
  counts(term: PodSelectorTerm, filter?: NodeFilter): DomainCounts {
    const key = filter === undefined ? term.key : `${term.key}|${filter.key}`;
    let counter = this.#counters.get(key);
    if (counter === undefined) {
      counter = {
        term,
        filter,
        included: new Map(),
        byDomain: new Map(),
        examples: new Map(),
        total: 0,
      };
      for (const { pod, node } of this.#pods) count(counter, pod, node);
      this.#counters.set(key, counter);
    }
    return counter;
  }

  antiAffinityGroups(): IterableIterator<AntiAffinityGroup> {
    return this.#antiAffinity.values();
  }

  /** The last answer of antiAffinityGroupsSelecting: the solver asks about one pod many times running. */
  #selecting: { pod: Pod; seen: number; groups: AntiAffinityGroup[] } | undefined;

  /**
   * The placed pods' required anti-affinity groups whose term selects `pod` (the symmetric half
   * of InterPodAffinity). Groups only ever get added, so the answer is extended, not redone.
   */
  antiAffinityGroupsSelecting(pod: Pod): readonly AntiAffinityGroup[] {
    let memo = this.#selecting;
    if (memo === undefined || memo.pod !== pod) {
      memo = { pod, seen: 0, groups: [] };
      this.#selecting = memo;
    }
    if (memo.seen < this.#antiAffinity.size) {
      let i = 0;
      for (const group of this.#antiAffinity.values()) {
        if (i++ < memo.seen) continue;
        if (group.term.selects(pod)) memo.groups.push(group);
      }
      memo.seen = this.#antiAffinity.size;
    }
    return memo.groups;
  }

  /** A pod the term selects in the domain, to name in a reason (only looked for on failure). */
  exampleIn(term: PodSelectorTerm, domain: string): string | undefined {
    return (this.counts(term) as Counter).examples.get(domain);
  }
}

function count(counter: Counter, pod: Pod, node: TopologyNode): void {
  const domain = node.labels[counter.term.topologyKey];
  if (domain === undefined || !counter.term.selects(pod)) return;
  if (counter.filter !== undefined) {
    let included = counter.included.get(node.name);
    if (included === undefined) {
      included = counter.filter.includes(node);
      counter.included.set(node.name, included);
    }
    if (!included) return;
  }
  counter.byDomain.set(domain, (counter.byDomain.get(domain) ?? 0) + 1);
  if (!counter.examples.has(domain)) counter.examples.set(domain, podName(pod));
  counter.total++;
}

function podName(pod: Pod): string {
  return `${pod.metadata.namespace ?? "default"}/${pod.metadata.name ?? ""}`;
}
