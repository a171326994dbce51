import type { DisruptionReason } from "../api/nodepool.ts";
import type { Pod } from "../api/pod.ts";
import { CapacityTypes } from "../api/wellknown.ts";
import type { Catalog } from "../catalog/instance-type.ts";
import { type ClusterSnapshot, podKey } from "../cluster/snapshot.ts";
import type { PlannedNodeClaim } from "../solver/plan.ts";
import { staticDriftReplacements } from "../solver/static-claim.ts";
import { staticReplicas } from "../solver/static-pool.ts";
import {
  BalancedK,
  canPassThreshold,
  evaluateMove,
  type PoolTotals,
  poolTotals,
  type ScoredNode,
} from "./balanced.ts";
import { allowedDisruptions } from "./budgets.ts";
import { withBufferPodsPlaced } from "./buffer-capacity.ts";
import { isProtected, podProtection } from "./do-not-disrupt.ts";
import { driftOf } from "./drift.ts";
import { parseDuration } from "./duration.ts";
import {
  ClusterModel,
  doNotDisrupt,
  expireAfterMs,
  isReschedulable,
  type ModelNode,
  type Repack,
} from "./model.ts";
import { EvictionBudgets } from "./pdb.ts";
import type { BlockReason, CommandDetail, DriftReason } from "./reasons.ts";

export type CommandReason = DisruptionReason | "Expired";

/** One step of the disruption plan: nodes to delete, replaced (launched first) by cheaper ones. */
export interface Command {
  readonly action: "delete" | "replace";
  readonly reason: CommandReason;
  readonly nodes: readonly string[];
  readonly replacements: readonly PlannedNodeClaim[];
  /** Pods that move to nodes that stay: pod key → node. */
  readonly moves: ReadonlyMap<string, string>;
  /**
   * Hourly price of the nodes minus that of the replacements, in micro-dollars (exact sums); each
   * node's whole price, its volumes and public IPv4 address included.
   */
  readonly savingsMicro: number;
  readonly detail: CommandDetail;
  /** Expired nodes go whatever happens: pods the cluster would then have no place for. */
  readonly stranded: readonly string[];
}

export interface Blocked {
  readonly node: string;
  readonly reason: BlockReason;
}

export interface DisruptionResult {
  readonly commands: readonly Command[];
  readonly blocked: readonly Blocked[];
  readonly nodes: number;
  readonly costBeforeMicro: number;
  readonly costAfterMicro: number;
}

export interface DisruptionOptions {
  readonly now: Date;
  /**
   * Replace spot nodes with cheaper spot nodes (Karpenter's SpotToSpotConsolidation feature gate),
   * under Karpenter's rule of at least 15 cheaper instance types for a single node. Default on.
   */
  readonly spotToSpot?: boolean;
  /** Stop after this many commands (the controller carries out one at a time). */
  readonly maxCommands?: number;
  /** Drift the cloud provider reports (CloudProvider.isDrifted), by NodeClaim name. */
  readonly providerDrift?: ReadonlyMap<string, string>;
}

/** Karpenter: single-node spot-to-spot consolidation needs this many cheaper instance types. */
export const MinInstanceTypesForSpotToSpot = 15;
/** Karpenter considers at most this many candidates at once in multi-node consolidation. */
const MultiNodeBatch = 100;

/**
 * What disruption would do now, in the order it would do it (docs/disruption.md): emptiness,
 * drift, expiration, multi-node then single-node consolidation. Each command is applied to a model
 * of the cluster before the next is sought, so later commands see earlier ones; NodePool budgets
 * and PodDisruptionBudgets are counted down across the whole plan.
 */
export function disruptCluster(
  snapshot: ClusterSnapshot,
  catalog: Catalog,
  options: DisruptionOptions,
): DisruptionResult {
  return new Disruption(snapshot, catalog, options).run();
}

class Disruption {
  readonly #model: ClusterModel;
  readonly #catalog: Catalog;
  readonly #pdbs: EvictionBudgets;
  readonly #now: Date;
  readonly #providerDrift: ReadonlyMap<string, string>;
  readonly #spotToSpot: boolean;
  readonly #maxCommands: number;
  readonly #commands: Command[] = [];
  /** The latest reason each node was passed over. */
  readonly #blocked = new Map<string, BlockReason>();
  /** Per pool: its nodes at the start, and how many are disrupting (before and by this plan). */
  readonly #poolNodes = new Map<string, number>();
  readonly #poolDisrupting = new Map<string, number>();
  /** Balanced pools' cost and disruption over their candidates, taken once per pass as Karpenter does. */
  #balancedTotals: ReadonlyMap<string, PoolTotals> = new Map();

  constructor(snapshot: ClusterSnapshot, catalog: Catalog, options: DisruptionOptions) {
    this.#model = new ClusterModel(withBufferPodsPlaced(snapshot, catalog), catalog);
    this.#catalog = catalog;
    this.#pdbs = new EvictionBudgets(snapshot.podDisruptionBudgets, snapshot.boundPods);
    this.#now = options.now;
    this.#spotToSpot = options.spotToSpot ?? true;
    this.#providerDrift = options.providerDrift ?? new Map();
    this.#maxCommands = options.maxCommands ?? Number.POSITIVE_INFINITY;
    for (const node of this.#model.nodes()) {
      const pool = node.pool?.metadata.name;
      if (pool === undefined) continue;
      this.#poolNodes.set(pool, (this.#poolNodes.get(pool) ?? 0) + 1);
      if (node.disrupting)
        this.#poolDisrupting.set(pool, (this.#poolDisrupting.get(pool) ?? 0) + 1);
    }
  }

  run(): DisruptionResult {
    const start = this.#model.nodes();
    const costBeforeMicro = sumMicro(start.map((n) => n.price ?? 0));
    this.#balancedTotals = poolTotals(
      this.#managed()
        .filter((n) => this.#gracefulBlock(n) === undefined)
        .map((n) => this.#scored(n)),
    );
    for (const method of [
      () => this.#emptiness(),
      () => this.#drift(),
      () => this.#expiration(),
      () => this.#multiNodeConsolidation(),
      () => this.#singleNodeConsolidation(),
    ]) {
      if (this.#full()) break;
      method();
    }
    const disrupted = new Set(this.#commands.flatMap((c) => c.nodes));
    const blocked = start
      .filter((n) => !disrupted.has(n.name) && this.#blocked.has(n.name))
      .map((n) => ({ node: n.name, reason: this.#blocked.get(n.name) as BlockReason }));
    const savings = this.#commands.reduce((sum, c) => sum + c.savingsMicro, 0);
    return {
      commands: this.#commands,
      blocked,
      nodes: start.length,
      costBeforeMicro,
      costAfterMicro: costBeforeMicro - savings,
    };
  }

  #full(): boolean {
    return this.#commands.length >= this.#maxCommands;
  }

  /** Empty nodes (nothing but daemonset pods) go first and together: nothing has to move. */
  #emptiness(): void {
    const empty = this.#sorted(
      this.#managed().filter((n) => n.pods.filter(isReschedulable).length === 0),
    );
    const chosen: ModelNode[] = [];
    for (const node of empty) {
      const block = this.#gracefulBlock(node) ?? this.#consolidationBlock(node);
      if (block !== undefined) {
        this.#block(node.name, block);
        continue;
      }
      const budget = this.#budgetBlock(node, "Empty", 1);
      if (budget !== undefined) {
        this.#block(node.name, budget);
        continue;
      }
      this.#countDisrupting(node);
      chosen.push(node);
    }
    if (chosen.length === 0) return;
    this.#record("Empty", chosen, emptyRepack, [], { code: "empty" });
  }

  /** Drifted nodes are replaced one at a time, with as many new nodes as their pods need. */
  #drift(): void {
    const drifted = this.#sorted(this.#managed())
      .map((node) => ({ node, drift: this.#driftOf(node) }))
      .filter((d) => d.drift.length > 0);
    for (const { node, drift } of drifted) {
      if (this.#full()) return;
      const block = this.#gracefulBlock(node) ?? this.#budgetBlock(node, "Drifted", 1);
      if (block !== undefined) {
        this.#block(node.name, block);
        continue;
      }
      // A static pool's node is replaced from the pool's template, its pods rescheduled after.
      const pool = node.pool?.metadata.name ?? "";
      const fixed =
        node.pool &&
        staticDriftReplacements(node.pool, this.#catalog, this.#poolNodes.get(pool) ?? 0);
      if (fixed !== undefined) {
        if (!this.#evict([node])) continue;
        this.#countDisrupting(node);
        this.#record("Drifted", [node], emptyRepack, fixed, { code: "drifted", drift });
        continue;
      }
      const repack = this.#model.repack([node]);
      const stranded = repack.unschedulable[0];
      if (stranded !== undefined) {
        this.#block(node.name, {
          code: "nowhere_to_go",
          pod: stranded.pod,
          reasons: stranded.reasons,
        });
        continue;
      }
      if (!this.#evict([node])) continue;
      this.#countDisrupting(node);
      this.#record("Drifted", [node], repack, repack.replacements, { code: "drifted", drift });
    }
  }

  /**
   * Expiration is forceful (Karpenter v1): an expired node goes whatever its budgets, policy or
   * do-not-disrupt pods say; its drain still honours PodDisruptionBudgets and waits for protected
   * pods until terminationGracePeriod. Its pods get new nodes from the provisioner.
   */
  #expiration(): void {
    for (const node of this.#sorted(this.#managed())) {
      if (this.#full()) return;
      const expireAfter = expireAfterMs(node);
      if (!Number.isFinite(expireAfter) || node.createdAt === undefined) continue;
      const overdue = this.#now.getTime() - (node.createdAt + expireAfter);
      if (overdue < 0) continue;
      // Evictions go one by one; a pod its budget or annotation holds waits for the grace period.
      const waiting: Pod[] = [];
      for (const pod of node.pods.filter(isReschedulable)) {
        const check = this.#pdbs.check([pod]);
        if (isProtected(pod, this.#now.getTime()) || !check.ok) waiting.push(pod);
        else this.#pdbs.commit(check.consumes);
      }
      const repack = this.#model.repack([node]);
      this.#countDisrupting(node);
      this.#record(
        "Expired",
        [node],
        repack,
        repack.replacements,
        {
          code: "expired",
          expireAfter:
            node.claim?.spec.expireAfter ?? node.pool?.spec.template.spec.expireAfter ?? "720h",
          overdueMs: overdue,
          waiting: waiting.map(podKey).sort(),
        },
        repack.unschedulable.map((u) => u.pod),
      );
    }
  }

  /**
   * Karpenter's multi-node consolidation: the cheapest-to-disrupt candidates (at most 100, within
   * budgets), and a binary search for the longest prefix that can go at once — deleted outright, or
   * replaced by a single cheaper node. Repeated while it finds something.
   */
  #multiNodeConsolidation(): void {
    while (!this.#full()) {
      const candidates = this.#consolidationCandidates().slice(0, MultiNodeBatch);
      if (candidates.length < 2) return;
      let low = 2;
      let high = candidates.length;
      let best: { nodes: ModelNode[]; outcome: Extract<Consolidation, { ok: true }> } | undefined;
      while (low <= high) {
        const mid = Math.floor((low + high) / 2);
        const prefix = candidates.slice(0, mid);
        const outcome = this.#consolidate(prefix);
        if (outcome.ok) {
          best = { nodes: prefix, outcome };
          low = mid + 1;
        } else high = mid - 1;
      }
      if (best === undefined || !this.#evict(best.nodes)) return;
      for (const node of best.nodes) this.#countDisrupting(node);
      this.#recordConsolidation(best.nodes, best.outcome);
    }
  }

  /** Then each remaining candidate alone, cheapest to disrupt first. */
  #singleNodeConsolidation(): void {
    for (const node of this.#sorted(this.#managed())) {
      if (this.#full()) return;
      if (this.#model.node(node.name) === undefined) continue;
      const block =
        this.#gracefulBlock(node) ??
        this.#consolidationBlock(node) ??
        this.#budgetBlock(node, "Underutilized", 1);
      if (block !== undefined) {
        this.#block(node.name, block);
        continue;
      }
      const hopeless = this.#balancedDeleteBlock(node);
      if (hopeless !== undefined) {
        this.#block(node.name, hopeless);
        continue;
      }
      const outcome = this.#consolidate([node]);
      if (!outcome.ok) {
        this.#block(node.name, outcome.block);
        continue;
      }
      if (!this.#evict([node])) continue;
      this.#countDisrupting(node);
      this.#recordConsolidation([node], outcome);
    }
  }

  /** Candidates for consolidation now, cheapest to disrupt first, each pool within its budget. */
  #consolidationCandidates(): ModelNode[] {
    const taken = new Map<string, number>();
    const result: ModelNode[] = [];
    for (const node of this.#sorted(this.#managed())) {
      const pool = node.pool?.metadata.name ?? "";
      const block =
        this.#gracefulBlock(node) ??
        this.#consolidationBlock(node) ??
        this.#budgetBlock(node, "Underutilized", (taken.get(pool) ?? 0) + 1);
      if (block !== undefined) continue;
      taken.set(pool, (taken.get(pool) ?? 0) + 1);
      result.push(node);
    }
    return result;
  }

  /**
   * Karpenter's computeConsolidation: the nodes' pods must all find a place; with no new node the
   * nodes are deleted; otherwise exactly one replacement, strictly cheaper than the nodes together
   * (its options cut to those cheaper), and spot-to-spot only as Karpenter allows it.
   */
  #consolidate(nodes: readonly ModelNode[]): Consolidation {
    const outcome = this.#consolidation(nodes);
    if (!outcome.ok) return outcome;
    const savings =
      nodes.reduce((sum, n) => sum + (n.price ?? 0), 0) -
      outcome.replacements.reduce((sum, r) => sum + r.totalPrice, 0);
    const score = evaluateMove(
      nodes.map((n) => this.#scored(n)),
      savings,
      (pool) => this.#balancedK(pool),
      this.#balancedTotals,
    );
    if (score === undefined || score.approved) return outcome;
    return { ok: false, block: { code: "balanced_rejected", deleteOnly: false, ...score } };
  }

  #consolidation(nodes: readonly ModelNode[]): Consolidation {
    const only = nodes.length === 1 ? nodes[0] : undefined;
    if (only?.price !== undefined) {
      // Cheap first: a node whose pods need a new node no cheaper than itself stays.
      const bound = this.#model.replacementLowerBound(only);
      if (bound !== undefined && Number.isFinite(bound) && bound >= only.price)
        return { ok: false, block: { code: "not_cheaper", current: only.price, cheapest: bound } };
    }
    let repack = this.#model.repack(nodes);
    const stranded = repack.unschedulable[0];
    if (stranded !== undefined)
      return {
        ok: false,
        block: { code: "nowhere_to_go", pod: stranded.pod, reasons: stranded.reasons },
      };
    if (repack.replacements.length === 0) return { ok: true, repack, replacements: [] };
    // Karpenter replaces with at most one node. The solver prices pods and may have split them
    // over several cheaper nodes; ask again whether one node could hold them all.
    if (repack.replacements.length > 1) {
      const single = this.#model.repack(nodes, { firstFit: true });
      if (single.replacements.length !== 1 || single.unschedulable.length > 0)
        return {
          ok: false,
          block: { code: "multiple_replacements", count: repack.replacements.length },
        };
      repack = single;
    }
    const current = nodes.reduce((sum, n) => sum + (n.price ?? 0), 0);
    const planned = repack.replacements[0] as PlannedNodeClaim;
    let options = (repack.replacementPrices[0] ?? []).filter((o) => o.price < current);
    if (nodes.length > 1) options = withoutSameType(options, nodes);
    const cheapest = options[0];
    if (cheapest === undefined)
      return { ok: false, block: { code: "not_cheaper", current, cheapest: planned.totalPrice } };
    const allSpot = nodes.every((n) => n.capacityType === CapacityTypes.spot);
    if (allSpot && planned.capacityType === CapacityTypes.spot) {
      if (!this.#spotToSpot) return { ok: false, block: { code: "spot_to_spot_disabled" } };
      if (nodes.length === 1) {
        if (options.length < MinInstanceTypesForSpotToSpot)
          return {
            ok: false,
            block: {
              code: "spot_to_spot_flexibility",
              cheaper: options.length,
              needed: MinInstanceTypesForSpotToSpot,
            },
          };
        options = options.slice(0, MinInstanceTypesForSpotToSpot);
      }
    }
    const kept = new Set(options.map((o) => o.type));
    const replacement: PlannedNodeClaim = {
      ...planned,
      instanceTypeOptions: planned.instanceTypeOptions.filter((t) => kept.has(t)),
    };
    return { ok: true, repack, replacements: [replacement] };
  }

  #recordConsolidation(nodes: readonly ModelNode[], outcome: Extract<Consolidation, { ok: true }>) {
    const empty = nodes.every((n) => n.pods.filter(isReschedulable).length === 0);
    this.#record(
      empty ? "Empty" : "Underutilized",
      nodes,
      outcome.repack,
      outcome.replacements,
      empty
        ? { code: "empty" }
        : {
            code: "underutilized",
            moved: outcome.repack.moves.size,
            replacements: outcome.replacements.length,
          },
    );
  }

  #record(
    reason: CommandReason,
    nodes: readonly ModelNode[],
    repack: Repack,
    replacements: readonly PlannedNodeClaim[],
    detail: CommandDetail,
    stranded: readonly string[] = [],
  ): void {
    this.#model.apply(nodes, repack, replacements, this.#now.getTime());
    const savingsMicro =
      sumMicro(nodes.map((n) => n.price ?? 0)) - sumMicro(replacements.map((r) => r.totalPrice));
    this.#commands.push({
      action: replacements.length > 0 ? "replace" : "delete",
      reason,
      nodes: nodes.map((n) => n.name).sort(),
      replacements,
      moves: repack.moves,
      savingsMicro,
      detail,
      stranded,
    });
    for (const node of nodes) this.#blocked.delete(node.name);
  }

  /** Evicts the nodes' pods against their PodDisruptionBudgets; false (and blocked) if one refuses. */
  #evict(nodes: readonly ModelNode[]): boolean {
    const check = this.#pdbs.check(nodes.flatMap((n) => n.pods.filter(isReschedulable)));
    if (!check.ok) {
      for (const node of nodes)
        this.#block(node.name, { code: "eviction", refusal: check.refusal });
      return false;
    }
    this.#pdbs.commit(check.consumes);
    return true;
  }

  /** Nodes of an existing NodePool still in the cluster, not launched by this plan nor already going. */
  #managed(): ModelNode[] {
    return this.#model
      .nodes()
      .filter((n) => n.pool !== undefined && !n.replacement && !n.disrupting);
  }

  /** What protects a node from any graceful disruption: do-not-disrupt, not initialized, its PDBs. */
  #gracefulBlock(node: ModelNode): BlockReason | undefined {
    if (doNotDisrupt(node.node)) return { code: "node_do_not_disrupt", object: "Node" };
    if (node.claim !== undefined && doNotDisrupt(node.claim))
      return { code: "node_do_not_disrupt", object: "NodeClaim" };
    const initialized = node.claim?.status?.conditions?.find((c) => c.type === "Initialized");
    if (initialized !== undefined && initialized.status !== "True")
      return { code: "not_initialized" };
    const live = node.pods.filter(
      (p) => p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed",
    );
    for (const pod of live) {
      const protection = podProtection(pod, this.#now.getTime());
      if (protection.active)
        return {
          code: "pod_do_not_disrupt",
          pod: podKey(pod),
          ...(protection.until !== undefined && { until: protection.until }),
        };
    }
    const check = this.#pdbs.check(node.pods.filter(isReschedulable));
    if (!check.ok) return { code: "eviction", refusal: check.refusal };
    return undefined;
  }

  /** Consolidation's own conditions: policy, consolidateAfter, a known price. */
  #consolidationBlock(node: ModelNode): BlockReason | undefined {
    // A static pool keeps its replicas: emptiness and consolidation skip it (Karpenter #2521).
    const replicas = node.pool === undefined ? undefined : staticReplicas(node.pool);
    if (replicas !== undefined) return { code: "static_pool", replicas };
    const disruption = node.pool?.spec.disruption;
    const pods = node.pods.filter(isReschedulable).length;
    if (disruption?.consolidationPolicy === "WhenEmpty" && pods > 0)
      return { code: "when_empty", pods };
    const after = disruption?.consolidateAfter ?? "0s";
    const afterMs = parseDuration(after);
    if (!Number.isFinite(afterMs)) return { code: "consolidate_never" };
    const since = consolidatableSince(node);
    if (since !== undefined && this.#now.getTime() - since < afterMs)
      return {
        code: "consolidate_after",
        after,
        remainingMs: since + afterMs - this.#now.getTime(),
      };
    if (node.price === undefined && pods > 0)
      return { code: "price_unknown", instanceType: node.instanceType };
    return undefined;
  }

  /** A node as Balanced scores it: its pool, price and the eviction costs of the pods it would move. */
  #scored(node: ModelNode): ScoredNode {
    return {
      pool: node.pool?.metadata.name ?? "",
      price: node.price,
      podCosts: node.pods.filter(isReschedulable).map(evictionCost),
    };
  }

  /** The pool's k when its policy is Balanced (consolidationThreshold, else Karpenter's 2). */
  #balancedK(pool: string): number | undefined {
    const disruption = this.#model.snapshot.nodePools.find((p) => p.metadata.name === pool)?.spec
      .disruption;
    if (disruption?.consolidationPolicy !== "Balanced") return undefined;
    return disruption.consolidationThreshold ?? BalancedK;
  }

  /** Karpenter's CanPassThreshold: a Balanced node whose outright delete would be rejected is skipped. */
  #balancedDeleteBlock(node: ModelNode): BlockReason | undefined {
    const scored = this.#scored(node);
    const k = this.#balancedK(scored.pool);
    if (k === undefined) return undefined;
    const totals = this.#balancedTotals.get(scored.pool);
    if (canPassThreshold(scored, totals, k)) return undefined;
    const score = evaluateMove([scored], scored.price ?? 0, () => k, this.#balancedTotals);
    if (score === undefined) return undefined;
    return { code: "balanced_rejected", deleteOnly: true, ...score };
  }

  /** Whether the pool's budget for the reason allows `count` more disruptions (this node included). */
  #budgetBlock(node: ModelNode, reason: DisruptionReason, count: number): BlockReason | undefined {
    const pool = node.pool;
    if (pool === undefined) return undefined;
    const name = pool.metadata.name ?? "";
    const total = allowedDisruptions(pool, reason, this.#poolNodes.get(name) ?? 0, this.#now);
    const allowed = Math.max(0, total - (this.#poolDisrupting.get(name) ?? 0));
    if (count <= allowed) return undefined;
    return {
      code: "budget",
      reason,
      nodePool: name,
      allowed: Number.isFinite(allowed) ? allowed : 0,
    };
  }

  /** Records why a node is passed over: the first method to pass it over says why. */
  #block(name: string, reason: BlockReason): void {
    if (!this.#blocked.has(name)) this.#blocked.set(name, reason);
  }

  #countDisrupting(node: ModelNode): void {
    const pool = node.pool?.metadata.name;
    if (pool !== undefined)
      this.#poolDisrupting.set(pool, (this.#poolDisrupting.get(pool) ?? 0) + 1);
  }

  #driftOf(node: ModelNode): DriftReason[] {
    if (node.pool === undefined) return [];
    const provider = this.#providerDrift.get(node.claim?.metadata.name ?? "");
    return [
      ...driftOf(
        node.pool,
        node.claim,
        { ...node.claim?.metadata.labels, ...node.node.metadata.labels },
        this.#model.snapshot.nodeClasses,
      ),
      ...(provider === undefined ? [] : [{ code: "provider" as const, reason: provider }]),
    ];
  }

  /** Karpenter's order: cheapest to disrupt first (eviction cost × lifetime left), then by name. */
  #sorted(nodes: readonly ModelNode[]): ModelNode[] {
    const cost = new Map(nodes.map((n) => [n.name, this.#disruptionCost(n)]));
    return [...nodes].sort(
      (a, b) => (cost.get(a.name) ?? 0) - (cost.get(b.name) ?? 0) || (a.name < b.name ? -1 : 1),
    );
  }

  #disruptionCost(node: ModelNode): number {
    const pods = node.pods.filter(isReschedulable);
    const rescheduling = pods.reduce((sum, pod) => sum + evictionCost(pod), 0);
    return rescheduling * this.#lifetimeRemaining(node);
  }

  /** The fraction of its expireAfter a node has left, in [0, 1]; 1 when it never expires. */
  #lifetimeRemaining(node: ModelNode): number {
    const expireAfter = expireAfterMs(node);
    if (!Number.isFinite(expireAfter) || node.createdAt === undefined) return 1;
    const remaining = expireAfter - (this.#now.getTime() - node.createdAt);
    return Math.min(1, Math.max(0, remaining / expireAfter));
  }
}

type Consolidation =
  | {
      readonly ok: true;
      readonly repack: Repack;
      readonly replacements: readonly PlannedNodeClaim[];
    }
  | { readonly ok: false; readonly block: BlockReason };

const emptyRepack: Repack = {
  moves: new Map(),
  replacements: [],
  replacementPrices: [],
  unschedulable: [],
};

/**
 * Karpenter's EvictionCost: 1, plus the pod-deletion-cost annotation scaled by 2^-27 and the
 * priority by 2^-25, clamped to [-10, 10].
 */
export function evictionCost(pod: Pod): number {
  let cost = 1;
  const deletionCost = Number(
    pod.metadata.annotations?.["controller.kubernetes.io/pod-deletion-cost"],
  );
  if (Number.isFinite(deletionCost)) cost += deletionCost / 2 ** 27;
  if (pod.spec.priority !== undefined) cost += pod.spec.priority / 2 ** 25;
  return Math.min(10, Math.max(-10, cost));
}

/**
 * When the node last changed in a way that restarts consolidateAfter: the NodeClaim's
 * lastPodEventTime, else the time it was initialized, else the node's creation.
 */
function consolidatableSince(node: ModelNode): number | undefined {
  if (node.podEventAt !== undefined) return node.podEventAt;
  const event = node.claim?.status?.lastPodEventTime;
  if (event !== undefined) return Date.parse(event);
  const initialized = node.claim?.status?.conditions?.find((c) => c.type === "Initialized");
  if (initialized?.lastTransitionTime !== undefined)
    return Date.parse(initialized.lastTransitionTime);
  return node.createdAt;
}

/**
 * Karpenter's filterOutSameType for multi-node consolidation: if a replacement could be one of the
 * types being removed, it must be cheaper than the cheapest such node, or deleting alone would do.
 */
function withoutSameType(
  options: readonly { type: string; price: number }[],
  nodes: readonly ModelNode[],
): { type: string; price: number }[] {
  const existing = new Map<string, number>();
  for (const node of nodes) {
    if (node.instanceType === undefined || node.price === undefined) continue;
    existing.set(
      node.instanceType,
      Math.min(existing.get(node.instanceType) ?? Infinity, node.price),
    );
  }
  let max = Number.POSITIVE_INFINITY;
  for (const option of options) {
    const price = existing.get(option.type);
    if (price !== undefined) max = Math.min(max, price);
  }
  return options.filter((o) => o.price < max);
}

function sumMicro(prices: readonly number[]): number {
  return prices.reduce((sum, price) => sum + Math.round(price * 1e6), 0);
}
