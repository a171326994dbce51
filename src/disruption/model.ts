import type { Node } from "../api/node.ts";
import type { NodeClaim } from "../api/nodeclaim.ts";
import { defaultNodePool, type NodePool } from "../api/nodepool.ts";
import type { Pod } from "../api/pod.ts";
import { Annotations, Labels, Taints } from "../api/wellknown.ts";
import type { Catalog, InstanceType, PriceParts } from "../catalog/instance-type.ts";
import { type NodeExtrasOf, nodeExtrasOf } from "../catalog/node-class-extras.ts";
import type { NodeExtras } from "../catalog/node-cost.ts";
import { poolInstanceTypes } from "../catalog/overlay.ts";
import { type ClusterSnapshot, podKey } from "../cluster/snapshot.ts";
import { addResources, formatResources, type Resources } from "../resources/resource-list.ts";
import { podRequests } from "../scheduling/pod-requests.ts";
import type { Reason } from "../scheduling/reasons.ts";
import { Requirements } from "../scheduling/requirements.ts";
import { resourcesOf } from "../solver/existing-capacity.ts";
import type { PlannedNodeClaim } from "../solver/plan.ts";
import { plannedClaims } from "../solver/planned-claim.ts";
import { typeRequirements } from "../solver/pool-template.ts";
import { solverInput } from "../solver/snapshot-input.ts";
import { type Solution, type SolverInput, solve } from "../solver/solve.ts";
import { parseDuration } from "./duration.ts";

/** A node as disruption sees it: what it costs, which pool owns it, what runs there. */
export interface ModelNode {
  readonly name: string;
  readonly node: Node;
  readonly claim: NodeClaim | undefined;
  /** The owning NodePool with Karpenter's defaults; undefined for nodes carpool does not manage. */
  readonly pool: NodePool | undefined;
  readonly instanceType: string | undefined;
  readonly zone: string | undefined;
  readonly capacityType: string | undefined;
  /**
   * What it costs per hour, when known: its offering's price in the catalog plus its node class's
   * extras (volumes, public IPv4), as the solver prices the replacements it is compared with.
   */
  readonly price: number | undefined;
  readonly priceParts: PriceParts | undefined;
  /** Bound pods, in key order. */
  pods: Pod[];
  /** Launched by a command of this pass: never a candidate. */
  readonly replacement: boolean;
  /** Already being deleted, tainted as disrupted, or not Ready: counts against budgets, never a candidate. */
  readonly disrupting: boolean;
  /** Milliseconds since the epoch, when the snapshot says. */
  readonly createdAt: number | undefined;
  /** When this plan last bound a pod here (restarts consolidateAfter, as lastPodEventTime does). */
  podEventAt?: number;
}

/** Where the pods of some nodes would go if those nodes went away. */
export interface Repack {
  /** Pods placed on remaining nodes or in-flight claims: pod key → node name. */
  readonly moves: ReadonlyMap<string, string>;
  readonly replacements: readonly PlannedNodeClaim[];
  /** Each replacement's options with their cheapest allowed price, cheapest first. */
  readonly replacementPrices: readonly (readonly { type: string; price: number }[])[];
  readonly unschedulable: readonly { readonly pod: string; readonly reasons: readonly Reason[] }[];
}

/**
 * The cluster as a disruption pass changes it: nodes removed by earlier commands, their pods moved,
 * replacements added. Re-packing runs the provisioning solver on what is left.
 */
export class ClusterModel {
  readonly #nodes = new Map<string, ModelNode>();
  readonly #removed = new Set<string>();
  readonly #snapshot: ClusterSnapshot;
  readonly #catalog: Catalog;
  readonly #types: ReadonlyMap<string, InstanceType>;
  /** A pool's types by name where NodeOverlays change them for it (its nodes' prices, capacity). */
  readonly #typesByPool = new Map<string, ReadonlyMap<string, InstanceType>>();
  readonly #extrasOf: NodeExtrasOf;
  #replacementCount = 0;

  constructor(snapshot: ClusterSnapshot, catalog: Catalog) {
    this.#snapshot = snapshot;
    this.#catalog = catalog;
    this.#extrasOf = nodeExtrasOf({ region: catalog.region, nodeClasses: snapshot.nodeClasses });
    this.#types = new Map(catalog.instanceTypes.map((type) => [type.name, type]));
    const pools = new Map(
      snapshot.nodePools.map((p) => [p.metadata.name ?? "", defaultNodePool(p)]),
    );
    const claimsByNode = new Map<string, NodeClaim>();
    for (const claim of snapshot.nodeClaims) {
      const nodeName = claim.status?.nodeName;
      if (nodeName !== undefined) claimsByNode.set(nodeName, claim);
    }
    const podsByNode = new Map<string, Pod[]>();
    for (const pod of snapshot.boundPods) {
      const list = podsByNode.get(pod.spec.nodeName ?? "") ?? [];
      list.push(pod);
      podsByNode.set(pod.spec.nodeName ?? "", list);
    }
    for (const node of snapshot.nodes) {
      const name = node.metadata.name ?? "";
      const claim = claimsByNode.get(name);
      const labels = { ...claim?.metadata.labels, ...node.metadata.labels };
      const poolName = labels[Labels.nodePool];
      // Karpenter counts a node's lifetime (expireAfter) from its NodeClaim's creation.
      const created = claim?.metadata.creationTimestamp ?? node.metadata.creationTimestamp;
      this.#nodes.set(name, {
        name,
        node,
        claim,
        pool: poolName === undefined ? undefined : pools.get(poolName),
        ...this.#offering(
          labels,
          this.#extrasOf(
            claim?.spec.nodeClassRef ??
              (poolName === undefined
                ? undefined
                : pools.get(poolName)?.spec.template.spec.nodeClassRef),
          ),
        ),
        pods: podsByNode.get(name) ?? [],
        replacement: false,
        disrupting: isDisrupting(node, claim),
        createdAt: created === undefined ? undefined : Date.parse(created),
      });
    }
  }

  get snapshot(): ClusterSnapshot {
    return this.#snapshot;
  }

  get catalog(): Catalog {
    return this.#catalog;
  }

  /** Nodes still in the cluster, by name. */
  nodes(): ModelNode[] {
    return [...this.#nodes.values()];
  }

  node(name: string): ModelNode | undefined {
    return this.#nodes.get(name);
  }

  /**
   * Where the reschedulable pods of `nodes` would go with those nodes gone, as the provisioner
   * would place them: on remaining nodes and in-flight claims first, then on new claims.
   */
  repack(nodes: readonly ModelNode[], options: { firstFit?: boolean } = {}): Repack {
    const gone = new Set(nodes.map((n) => n.name));
    const moving = nodes.flatMap((n) => n.pods.filter(isReschedulable));
    if (moving.length === 0)
      return { moves: new Map(), replacements: [], replacementPrices: [], unschedulable: [] };
    const solution = solve({
      ...this.#solverInput(gone, moving),
      firstFit: options.firstFit ?? false,
    });
    const moves = new Map<string, string>();
    for (const [target, pods] of solution.onExisting)
      for (const p of pods) moves.set(p.key, target);
    const launches = plannedClaims(solution.claims);
    return {
      moves,
      replacements: launches.planned,
      replacementPrices: launches.launched.map((claim) =>
        claim.options.map((option, i) => ({ type: option.type.name, price: claim.prices[i] ?? 0 })),
      ),
      unschedulable: [
        ...unschedulableOf(solution),
        ...launches.full.flatMap((full) =>
          full.claim.pods.map((pod) => ({ pod: pod.key, reasons: [] })),
        ),
      ],
    };
  }

  /**
   * A lower bound on what replacing the node would cost, or undefined when its pods might all fit
   * on other nodes (only a full re-pack can tell). Sound, so consolidation can skip the solver for
   * well-packed nodes: another node can take at most ⌊free / smallest pod⌋ of the pods (per
   * resource), so at least the rest — at least the smallest of them — need a new node, and no
   * instance type that large costs less than the cheapest one in the catalog.
   */
  replacementLowerBound(node: ModelNode): number | undefined {
    const pods = node.pods.filter(isReschedulable).map((p) => this.#requests([p]));
    if (pods.length === 0) return undefined;
    const resources = ["cpu", "memory", "pods"];
    const smallest = Object.fromEntries(
      resources.map((r) => [r, Math.min(...pods.map((p) => p[r] ?? 0))]),
    );
    let movable = 0;
    for (const other of this.#nodes.values()) {
      if (other === node || other.disrupting) continue;
      const allocatable = resourcesOf(other.node.status?.allocatable);
      const used = this.#requests(other.pods);
      let fits = Number.POSITIVE_INFINITY;
      for (const r of resources) {
        const need = smallest[r] ?? 0;
        if (need <= 0) continue;
        fits = Math.min(fits, Math.floor(((allocatable[r] ?? 0) - (used[r] ?? 0)) / need));
      }
      movable += Math.max(0, fits);
      if (movable >= pods.length) return undefined;
    }
    const staying = pods.length - movable;
    const residual: Record<string, number> = {};
    for (const r of resources) {
      const amounts = pods.map((p) => p[r] ?? 0).sort((a, b) => a - b);
      residual[r] = amounts.slice(0, staying).reduce((sum, a) => sum + a, 0);
    }
    let cheapest = Number.POSITIVE_INFINITY;
    const extras = this.#leastExtras();
    for (const type of this.#poolTypes()) {
      const instance = type.offerings.find((o) => o.available)?.price;
      const price = instance === undefined ? undefined : instance + extras;
      if (price === undefined || price >= cheapest) continue;
      if (resources.every((r) => (type.allocatable[r] ?? 0) >= (residual[r] ?? 0)))
        cheapest = price;
    }
    return cheapest;
  }

  #launchable: InstanceType[] | undefined;

  #least: number | undefined;

  /** The least any NodePool's node pays besides its instance: what keeps the bound sound. */
  #leastExtras(): number {
    if (this.#least === undefined) {
      const extras = this.#snapshot.nodePools.map(
        (p) => this.#extrasOf(p.spec.template.spec.nodeClassRef).total,
      );
      this.#least = extras.length === 0 ? 0 : Math.min(...extras);
    }
    return this.#least;
  }

  /** Instance types some NodePool could launch: a replacement is one of them. */
  #poolTypes(): InstanceType[] {
    if (this.#launchable === undefined) {
      const pools = this.#snapshot.nodePools.map((p) =>
        Requirements.from(p.spec.template.spec.requirements),
      );
      this.#launchable = this.#catalog.instanceTypes.filter((type) =>
        pools.some((pool) => pool.intersects(typeRequirements(type), "instanceType").length === 0),
      );
    }
    return this.#launchable;
  }

  #requests(pods: readonly Pod[]): Resources {
    let total: Resources = {};
    for (const pod of pods) {
      if (pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") continue;
      const requests = podRequests(pod);
      if (requests.ok) total = addResources(total, requests.requests);
    }
    return total;
  }

  /** Applies a command: the nodes go, their pods move, the replacements join as nodes. */
  apply(
    nodes: readonly ModelNode[],
    repack: Repack,
    replacements: readonly PlannedNodeClaim[],
    now: number,
  ): void {
    const moving = new Map<string, Pod>();
    for (const node of nodes) {
      for (const pod of node.pods) if (isReschedulable(pod)) moving.set(podKey(pod), pod);
      this.#nodes.delete(node.name);
      this.#removed.add(node.name);
    }
    const claimNames = new Map<string, string>();
    for (const claim of replacements) {
      const name = `replacement-${this.#replacementCount++}`;
      claimNames.set(claim.name, name);
      this.#nodes.set(name, this.#replacementNode(name, claim));
    }
    for (const claim of replacements) {
      for (const key of claim.pods)
        this.#bind(moving.get(key), claimNames.get(claim.name) ?? "", now);
    }
    for (const [key, target] of repack.moves) this.#bind(moving.get(key), target, now);
  }

  #bind(pod: Pod | undefined, nodeName: string, now: number): void {
    if (pod === undefined) return;
    const node = this.#nodes.get(nodeName);
    if (node === undefined) return; // an in-flight claim: the pod waits for it
    // The evicted pod is recreated there and starts again: do-not-disrupt durations count anew.
    const status = { ...pod.status, startTime: new Date(now).toISOString() };
    node.pods = [...node.pods, { ...pod, spec: { ...pod.spec, nodeName }, status }];
    node.podEventAt = now;
  }

  #replacementNode(name: string, claim: PlannedNodeClaim): ModelNode {
    const type = this.#typesOf(claim.nodePool).get(claim.instanceType);
    const node: Node = {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name, labels: { ...claim.labels, [Labels.hostname]: name } },
      spec: { taints: [...claim.taints] },
      status: {
        allocatable: formatResources(type?.allocatable ?? {}),
        capacity: formatResources(type?.capacity ?? {}),
      },
    };
    const pool = this.#snapshot.nodePools.find((p) => p.metadata.name === claim.nodePool);
    return {
      name,
      node,
      claim: undefined,
      pool: pool && defaultNodePool(pool),
      instanceType: claim.instanceType,
      zone: claim.zone,
      capacityType: claim.capacityType,
      price: claim.totalPrice,
      priceParts: claim.priceParts,
      pods: [],
      replacement: true,
      disrupting: false,
      createdAt: undefined,
    };
  }

  #solverInput(gone: ReadonlySet<string>, moving: readonly Pod[]): SolverInput {
    const base = solverInput(this.#snapshot);
    const away = (name: string | undefined) =>
      name !== undefined && (gone.has(name) || this.#removed.has(name));
    const remaining = this.nodes().filter((n) => !gone.has(n.name));
    return {
      ...base,
      catalog: this.#catalog,
      // The same extras the nodes were priced with, worked out once per pass, not once per solve.
      nodeExtras: this.#extrasOf,
      nodes: remaining.map((n) => n.node),
      // In-flight claims stay as coming capacity; the claims of nodes that go, go with them.
      nodeClaims: this.#snapshot.nodeClaims.filter((c) => !away(c.status?.nodeName)),
      boundPods: [
        ...remaining.flatMap((n) => n.pods),
        ...this.#snapshot.boundPods.filter(
          (p) => !this.#nodes.has(p.spec.nodeName ?? "") && !away(p.spec.nodeName),
        ),
      ],
      pendingPods: moving.map(unbound),
    };
  }

  #typesOf(pool: string | undefined): ReadonlyMap<string, InstanceType> {
    if (pool === undefined || this.#catalog.byPool?.has(pool) !== true) return this.#types;
    let types = this.#typesByPool.get(pool);
    if (types === undefined) {
      types = new Map(poolInstanceTypes(this.#catalog, pool).map((type) => [type.name, type]));
      this.#typesByPool.set(pool, types);
    }
    return types;
  }

  #offering(
    labels: Readonly<Record<string, string>>,
    extras: NodeExtras,
  ): {
    instanceType: string | undefined;
    zone: string | undefined;
    capacityType: string | undefined;
    price: number | undefined;
    priceParts: PriceParts | undefined;
  } {
    const instanceType = labels[Labels.instanceType];
    const zone = labels[Labels.zone];
    const capacityType = labels[Labels.capacityType];
    const offerings =
      this.#typesOf(labels[Labels.nodePool]).get(instanceType ?? "")?.offerings ?? [];
    // An existing node was bought already: its offering's price counts whether or not it is available now.
    const offering =
      offerings.find((o) => o.zone === zone && o.capacityType === capacityType) ??
      offerings.find((o) => o.capacityType === (capacityType ?? "on-demand"));
    if (offering === undefined)
      return { instanceType, zone, capacityType, price: undefined, priceParts: undefined };
    return {
      instanceType,
      zone,
      capacityType,
      price: offering.price + extras.total,
      priceParts: {
        instance: offering.price,
        volumes: extras.volumes,
        publicIPv4: extras.publicIPv4,
      },
    };
  }
}

/** A pod to place again: its binding dropped, the rest unchanged. */
function unbound(pod: Pod): Pod {
  const { nodeName: _nodeName, ...spec } = pod.spec;
  return { ...pod, spec: spec as Pod["spec"] };
}

function unschedulableOf(solution: Solution): Repack["unschedulable"] {
  return solution.unschedulable.map((entry) => ({
    pod: entry.pending.key,
    reasons: entry.targets.flatMap((t) => t.reasons),
  }));
}

/**
 * Pods that must find a new place when their node goes (Karpenter's IsReschedulable): not done,
 * not already terminating, not a DaemonSet's (they follow the nodes) and not a static (mirror) pod.
 */
export function isReschedulable(pod: Pod): boolean {
  if (pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") return false;
  if (pod.metadata.deletionTimestamp !== undefined) return false;
  if (pod.metadata.annotations?.["kubernetes.io/config.mirror"] !== undefined) return false;
  return !(pod.metadata.ownerReferences ?? []).some(
    (owner) => owner.kind === "DaemonSet" || owner.kind === "Node",
  );
}

/** Being deleted, tainted by an earlier disruption, or NotReady: Karpenter counts it as disrupting. */
function isDisrupting(node: Node, claim: NodeClaim | undefined): boolean {
  if (node.metadata.deletionTimestamp !== undefined) return true;
  if (claim?.metadata.deletionTimestamp !== undefined) return true;
  if ((node.spec?.taints ?? []).some((t) => t.key === Taints.disrupted.key)) return true;
  const ready = node.status?.conditions?.find((c) => c.type === "Ready");
  return ready !== undefined && ready.status !== "True";
}

/**
 * `karpenter.sh/do-not-disrupt: "true"` on a Node or NodeClaim (only "true" counts there; a pod's
 * annotation may also be a duration: see do-not-disrupt.ts).
 */
export function doNotDisrupt(object: {
  metadata: { annotations?: Record<string, string> };
}): boolean {
  return object.metadata.annotations?.[Annotations.doNotDisrupt] === "true";
}

/** expireAfter of the node: the NodeClaim's copy, else its pool's template; Infinity for Never. */
export function expireAfterMs(node: ModelNode): number {
  const text = node.claim?.spec.expireAfter ?? node.pool?.spec.template.spec.expireAfter ?? "720h";
  return parseDuration(text);
}
