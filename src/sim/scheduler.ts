import type { Pod } from "../api/pod.ts";
import type { InstanceType } from "../catalog/instance-type.ts";
import { podKey } from "../cluster/snapshot.ts";
import { addResources } from "../resources/resource-list.ts";
import { podRequirements } from "../scheduling/node-affinity.ts";
import { fitsResources } from "../scheduling/resource-fit.ts";
import { TopologyIndex } from "../scheduling/topology-index.ts";
import { type ExistingCapacity, existingCapacity } from "../solver/existing-capacity.ts";
import { existingFitReasons } from "../solver/fit-existing.ts";
import { pendingPod } from "../solver/pending-pod.ts";
import {
  balancedAllocationScore,
  leastAllocatedScore,
  nodeAffinityScores,
  type ScoredNode,
  ScoreWeights,
  taintTolerationScores,
  topologySpreadScores,
} from "./scheduler-scores.ts";
import type { InMemoryClusterStore } from "./store.ts";

const noVolumes = { claims: new Map(), volumes: new Map(), storageClasses: new Map() };

/**
 * A kube-scheduler stand-in: binds pending pods, highest priority first, to Ready nodes with the
 * same predicates the solver uses (taints, node affinity, resources, host ports, pod affinity,
 * topology spread), scoring as the default profile does (scheduler-scores.ts). PreferNoSchedule
 * taints and ScheduleAnyway constraints only score in kube-scheduler, so they do not filter here.
 */
export class SchedulerStandIn {
  readonly #store: InMemoryClusterStore;
  readonly #types: ReadonlyMap<string, InstanceType>;

  constructor(store: InMemoryClusterStore, types: readonly InstanceType[]) {
    this.#store = store;
    this.#types = new Map(types.map((t) => [t.name, t]));
  }

  /** One scheduling cycle: binds what fits; returns the pods that fit no node now. */
  async cycle(): Promise<{ bound: Pod[]; unschedulable: Pod[] }> {
    const pods = this.#store.listNow("Pod");
    const pending = pods.filter(isPending).sort(byPriority);
    if (pending.length === 0) return { bound: [], unschedulable: [] };
    const nodes = this.#store
      .listNow("Node")
      .filter((n) => n.metadata.deletionTimestamp === undefined && isReady(n));
    const boundPods = pods.filter((p) => p.spec.nodeName && isActive(p));
    const capacities = existingCapacity(nodes, [], boundPods, [], this.#types);
    const index = new TopologyIndex();
    for (const c of capacities) index.addNode({ name: c.name, labels: c.labels, taints: c.taints });
    for (const p of boundPods) index.addPod(p, p.spec.nodeName ?? "");
    const bound: Pod[] = [];
    const unschedulable: Pod[] = [];
    for (const pod of pending) {
      const target = bestNode(pod, capacities, index);
      if (target === undefined) {
        unschedulable.push(pod);
        continue;
      }
      const pendingOne = pendingPod(pod, noVolumes);
      target.used = addResources(target.used, pendingOne.requests);
      for (const port of pendingOne.ports) target.ports.push({ ...port, usedBy: podKey(pod) });
      index.addPod(pod, target.name);
      await this.#store.bind(pod, target.name);
      bound.push(pod);
    }
    return { bound, unschedulable };
  }
}

function bestNode(
  pod: Pod,
  capacities: ExistingCapacity[],
  index: TopologyIndex,
): ExistingCapacity | undefined {
  const filtered = schedulerView(pod);
  const pending = pendingPod(filtered, noVolumes);
  const attempt = { pending, pod: filtered, requirements: podRequirements(filtered) };
  const feasible = capacities.filter(
    (capacity) =>
      fitsResources(pending.requests, capacity.allocatable, capacity.used) &&
      existingFitReasons(capacity, attempt, index, () => [], false).length === 0,
  );
  const scored = feasible.map((capacity) => ({
    node: { name: capacity.name, labels: capacity.labels, taints: capacity.taints },
    allocatable: capacity.allocatable,
    used: capacity.used,
  }));
  const spread = topologySpreadScores(pod, scored, index);
  const affinity = nodeAffinityScores(pod, scored);
  const taints = taintTolerationScores(pod, scored);
  let best: { capacity: ExistingCapacity; score: number } | undefined;
  feasible.forEach((capacity, i) => {
    const node = scored[i] as ScoredNode;
    const score =
      ScoreWeights.fit * leastAllocatedScore(pending.requests, node) +
      ScoreWeights.balanced * balancedAllocationScore(pending.requests, node) +
      ScoreWeights.spread * (spread[i] ?? 0) +
      ScoreWeights.nodeAffinity * (affinity[i] ?? 0) +
      ScoreWeights.taintToleration * (taints[i] ?? 0);
    if (best === undefined || score > best.score) best = { capacity, score };
  });
  return best?.capacity;
}

/** The pod as kube-scheduler filters it: PreferNoSchedule tolerated, ScheduleAnyway dropped. */
function schedulerView(pod: Pod): Pod {
  return {
    ...pod,
    spec: {
      ...pod.spec,
      tolerations: [
        ...(pod.spec.tolerations ?? []),
        { operator: "Exists", effect: "PreferNoSchedule" },
      ],
      topologySpreadConstraints: (pod.spec.topologySpreadConstraints ?? []).filter(
        (c) => c.whenUnsatisfiable !== "ScheduleAnyway",
      ),
    },
  };
}

function isPending(pod: Pod): boolean {
  return !pod.spec.nodeName && isActive(pod);
}

function isActive(pod: Pod): boolean {
  return (
    pod.metadata.deletionTimestamp === undefined &&
    pod.status?.phase !== "Succeeded" &&
    pod.status?.phase !== "Failed"
  );
}

function isReady(node: { status?: { conditions?: { type: string; status: string }[] } }): boolean {
  return (node.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
}

/** The scheduling queue's order: priority, then age, then name. */
function byPriority(a: Pod, b: Pod): number {
  const ta = a.metadata.creationTimestamp ?? "";
  const tb = b.metadata.creationTimestamp ?? "";
  return (
    (b.spec.priority ?? 0) - (a.spec.priority ?? 0) ||
    (ta < tb ? -1 : ta > tb ? 1 : 0) ||
    (podKey(a) < podKey(b) ? -1 : 1)
  );
}
