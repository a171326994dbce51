import type { Pod } from "../api/pod.ts";
import { Labels } from "../api/wellknown.ts";
import type { DaemonSet } from "../api/workloads.ts";
import type { Catalog } from "../catalog/instance-type.ts";
import { type NodeExtrasOf, nodeExtrasOf } from "../catalog/node-class-extras.ts";
import { poolInstanceTypes } from "../catalog/overlay.ts";
import type { ClusterSnapshot } from "../cluster/snapshot.ts";
import { daemonPodFor } from "../cluster/workloads.ts";
import { addResources, type Resources, subtractResources } from "../resources/resource-list.ts";
import { hostPortConflicts } from "../scheduling/host-ports.ts";
import { podAffinityReasons, requiredTerms } from "../scheduling/pod-affinity.ts";
import type { NamespaceLabels } from "../scheduling/pod-term.ts";
import type { Reason } from "../scheduling/reasons.ts";
import { Requirements } from "../scheduling/requirements.ts";
import { fitsResources } from "../scheduling/resource-fit.ts";
import { untoleratedTaints } from "../scheduling/taints.ts";
import { TopologyIndex } from "../scheduling/topology-index.ts";
import {
  type ExtraDomains,
  hostnameSpreadAdmits,
  topologySpreadReasons,
  UnlaunchedNode,
} from "../scheduling/topology-spread.ts";
import type { VolumeCatalog } from "../scheduling/volume-topology.ts";
import { type ExistingCapacity, existingCapacity, resourcesOf } from "./existing-capacity.ts";
import { existingFitReasons } from "./fit-existing.ts";
import {
  type ClaimChange,
  claimNode,
  dropOutgrown,
  hasMinValues,
  keepFitting,
  largestAllocatable,
  type NewClaim,
  narrowOptions,
  noInstanceTypeReason,
} from "./new-claim.ts";
import {
  type Attempt,
  attemptAt,
  comparePending,
  type PendingPod,
  pendingPod,
} from "./pending-pod.ts";
import type { PlannedNodeClaim, TargetReasons } from "./plan.ts";
import { plannedClaim } from "./planned-claim.ts";
import { limitCapacity } from "./pool-limits.ts";
import { type CandidateType, type PoolTemplate, poolTemplates } from "./pool-template.ts";
import { initialPreferences, relax } from "./relaxation.ts";
import { type StaticLaunch, staticLaunches } from "./static-launches.ts";
import { hostnameOpen, topologyKeys, zoneCandidates } from "./topology-domains.ts";

/** What the solver reads: a snapshot's pods, nodes, claims, pools and daemonsets, plus: */
export interface SolverInput
  extends Pick<
    ClusterSnapshot,
    "pendingPods" | "boundPods" | "nodes" | "nodeClaims" | "nodePools" | "daemonSets"
  > {
  readonly volumes: VolumeCatalog;
  readonly catalog: Catalog;
  /** The EC2NodeClasses whose volumes and public IPv4 addresses a pool's nodes pay for. */
  readonly nodeClasses?: ClusterSnapshot["nodeClasses"];
  /** By EC2NodeClass: whether its subnets assign public IPv4 addresses, where the provider knows. */
  readonly subnetsAssignPublicIPv4?: ReadonlyMap<string, boolean>;
  /**
   * The extras of each node class's nodes, worked out once by a caller that solves the same
   * cluster many times (disruption); without it they come from nodeClasses and the subnets.
   */
  readonly nodeExtras?: NodeExtrasOf;
  readonly namespaces?: NamespaceLabels;
  /**
   * Grow a planned claim whenever one can take the pod, as Karpenter's scheduler does, instead of
   * opening a cheaper node of its own: disruption uses it to ask "could one node hold them all?".
   */
  readonly firstFit?: boolean;
  /**
   * Pools not to launch from, by name, with the reason: their node class is missing or not ready,
   * or their status says they are not Ready. Their nodes still take pods.
   */
  readonly notReadyPools?: ReadonlyMap<string, Reason>;
  /**
   * Count the nodes static pools' controller would launch for replicas the input lacks, as
   * capacity the pending pods may use (`carpool plan`; a live controller runs that controller).
   */
  readonly launchStatic?: boolean;
  /** Told after each pending pod is placed (or found unschedulable): for progress on a terminal. */
  readonly onProgress?: (placed: number, total: number) => void;
}

export interface Solution {
  readonly claims: readonly NewClaim[];
  /** Pending pods placed on existing nodes or in-flight claims, by their name. */
  readonly onExisting: ReadonlyMap<string, readonly PendingPod[]>;
  readonly unschedulable: readonly {
    readonly pending: PendingPod;
    readonly targets: readonly TargetReasons[];
  }[];
  readonly pendingCount: number;
  /** With launchStatic: the static pools' nodes to be launched, with the pending pods placed there. */
  readonly staticLaunches: readonly {
    readonly planned: PlannedNodeClaim;
    readonly pods: readonly PendingPod[];
  }[];
}

/**
 * Places every pending pod on existing capacity or on new NodeClaims (docs/solver.md). Pure and
 * deterministic: the same input gives the same solution.
 */
export function solve(input: SolverInput): Solution {
  return new Solver(input).run();
}

/** One target's verdict on a pod: fits (with the node a pool would launch), or every reason not. */
export interface TargetVerdict extends TargetReasons {
  readonly launch?: {
    readonly instanceType: string;
    readonly zone: string;
    /** The instance's price; `totalPrice` adds the node class's volumes and public IPv4. */
    readonly price: number;
    readonly totalPrice: number;
  };
}

/**
 * `carpool explain`: every NodePool and existing node or in-flight claim, with its verdict on
 * the pod, against the cluster as it is (other pending pods aside). Preferences are relaxed as
 * the solver would, up to the first level at which some target fits; `relaxed` counts the steps.
 */
export function explainPod(
  input: SolverInput,
  pod: Pod,
): { verdicts: TargetVerdict[]; relaxed: number } {
  return new Solver({ ...input, pendingPods: [pod] }).explainPod(pod);
}

/**
 * The pod a DaemonSet would run on a new node, kept per DaemonSet object: every solve of a
 * disruption pass hands existing capacity the same pods, so each node's capacity is reused.
 */
const daemonTemplateCache = new WeakMap<DaemonSet, Pod>();

function daemonTemplate(daemonSet: DaemonSet): Pod {
  let pod = daemonTemplateCache.get(daemonSet);
  if (pod === undefined) {
    pod = daemonPodFor(daemonSet, "");
    daemonTemplateCache.set(daemonSet, pod);
  }
  return pod;
}

class Solver {
  readonly #index: TopologyIndex;
  readonly #existing: ExistingCapacity[];
  readonly #pools: PoolTemplate[];
  readonly #claims: NewClaim[] = [];
  readonly #claimCount = new Map<string, number>();
  /** Capacity counted against each pool's limits: its nodes, in-flight claims and planned claims. */
  readonly #usage = new Map<string, Resources>();
  readonly #topologyKeys: readonly string[];
  readonly #onExisting = new Map<string, PendingPod[]>();
  readonly #extraDomains = new Map<string, ExtraDomains>();
  readonly #input: SolverInput;
  readonly #launches: readonly StaticLaunch[];
  /** Each claim's free cpu on its current cheapest type, by position in #claims. */
  readonly #freeCpu: number[] = [];
  readonly #position = new Map<NewClaim, number>();
  readonly #roomy = new BlockMax();
  /** The options of fresh claims, by pool, requirements and requests (pools without limits). */
  readonly #freshOptions = new Map<string, ClaimChange>();
  /**
   * Pending pods not yet placed, by twinKey: how many pods like this one are still to come, which
   * a node's price is spread over when choosing between growing a claim and opening one.
   */
  readonly #twinsLeft = new Map<string, number>();
  /** Each pending pod's twinKey, worked out once. */
  readonly #twinKeys = new Map<PendingPod, string | undefined>();
  /** Claims opened for a batch of identical pods: the batch, and the option's price and per-pod cost. */
  readonly #sizedFor = new Map<NewClaim, { twinsKey: string; price: number; perPod: number }>();
  /** Pods of given requests each option holds, per shared list of fresh options. */
  readonly #copies = new WeakMap<readonly CandidateType[], Map<string, number[]>>();
  /** Fresh claims already worked out, by pod shape (see #freshShapeKey). */
  readonly #freshShapes = new Map<
    string,
    { requirements: Requirements; change: Extract<ClaimChange, { ok: true }> }
  >();

  constructor(input: SolverInput) {
    this.#input = input;
    const daemonTemplates = input.daemonSets.map((daemonSet) => ({
      daemonSet: daemonSet.metadata.name ?? "",
      pod: daemonTemplate(daemonSet),
    }));
    const extrasOf =
      input.nodeExtras ??
      nodeExtrasOf({
        region: input.catalog.region,
        nodeClasses: input.nodeClasses ?? [],
        ...(input.subnetsAssignPublicIPv4 && {
          subnetsAssignPublicIPv4: input.subnetsAssignPublicIPv4,
        }),
      });
    const daemonPods = daemonTemplates.map((d) => d.pod);
    this.#pools = poolTemplates(
      input.nodePools,
      input.catalog.instanceTypes,
      daemonPods,
      extrasOf,
      input.notReadyPools,
      (nodePool) => poolInstanceTypes(input.catalog, nodePool.metadata.name ?? ""),
    );
    this.#launches = input.launchStatic
      ? staticLaunches(input.nodePools, input, input.catalog, daemonPods, extrasOf)
      : [];
    for (const { planned } of this.#launches)
      this.#claimCount.set(planned.nodePool, (this.#claimCount.get(planned.nodePool) ?? 0) + 1);
    const types = new Map(input.catalog.instanceTypes.map((type) => [type.name, type]));
    this.#existing = existingCapacity(
      input.nodes,
      this.#launches.length === 0
        ? input.nodeClaims
        : [...input.nodeClaims, ...this.#launches.map((l) => l.claim)],
      input.boundPods,
      daemonTemplates,
      types,
    );
    this.#index = new TopologyIndex(input.namespaces);
    for (const capacity of this.#existing) {
      this.#index.addNode({
        name: capacity.name,
        labels: capacity.labels,
        taints: capacity.taints,
      });
      if (capacity.nodePool !== undefined)
        this.#count(capacity.nodePool, limitCapacity(capacity.capacity));
    }
    // Claims no capacity was made of (not launched yet, of no known size, or being deleted) are
    // still their pool's nodes: Karpenter's state counts each as one node against the limits.
    const counted = new Set(this.#existing.map((capacity) => capacity.name));
    for (const claim of input.nodeClaims) {
      const pool = claim.metadata.labels?.[Labels.nodePool];
      if (pool === undefined || counted.has(claim.metadata.name ?? "")) continue;
      if (claim.status?.nodeName !== undefined && counted.has(claim.status.nodeName)) continue;
      this.#count(pool, limitCapacity(resourcesOf(claim.status?.capacity)));
    }
    for (const pod of input.boundPods) this.#index.addPod(pod, pod.spec.nodeName ?? "");
    this.#topologyKeys = topologyKeys([...input.pendingPods, ...input.boundPods]);
  }

  explainPod(pod: Pod): { verdicts: TargetVerdict[]; relaxed: number } {
    const pending = pendingPod(pod, this.#input.volumes);
    let preferences = initialPreferences(pod);
    for (let relaxed = 0; ; relaxed++) {
      const attempt = attemptAt(pending, preferences);
      const verdicts = this.#verdicts(attempt);
      const next = relax(preferences);
      if (verdicts.some((v) => v.reasons.length === 0) || next === undefined)
        return { verdicts, relaxed };
      preferences = next;
    }
  }

  #verdicts(attempt: Attempt): TargetVerdict[] {
    if (attempt.pending.volumeReasons.length > 0)
      return [{ target: "Pod", reasons: attempt.pending.volumeReasons }];
    const extra = this.#extraDomainsFor(attempt);
    const pools = this.#pools.map((pool): TargetVerdict => {
      const opened = this.#open(pool, attempt, extra);
      if (!opened.ok) return { target: `NodePool/${pool.name}`, reasons: opened.reasons };
      const planned = plannedClaim({
        ...opened.claim,
        pods: [attempt.pending],
        requests: attempt.pending.requests,
      });
      return {
        target: `NodePool/${pool.name}`,
        reasons: [],
        launch: {
          instanceType: planned.instanceType,
          zone: planned.zone,
          price: planned.price,
          totalPrice: planned.totalPrice,
        },
      };
    });
    const existing = this.#existing.map((capacity) => ({
      target: capacity.target,
      reasons: existingFitReasons(capacity, attempt, this.#index, extra, true),
    }));
    return [...pools, ...existing];
  }

  run(): Solution {
    const pending = this.#input.pendingPods
      .map((pod) => pendingPod(pod, this.#input.volumes))
      .sort(comparePending);
    for (const pod of pending) {
      const key = twinKey(pod);
      this.#twinKeys.set(pod, key);
      if (key !== undefined) this.#twinsLeft.set(key, (this.#twinsLeft.get(key) ?? 0) + 1);
    }
    let failed: { pending: PendingPod; last: Attempt }[] = [];
    let placed = 0;
    for (const pod of pending) {
      const outcome = this.#placeRelaxing(pod);
      const key = this.#twinKeys.get(pod);
      if (key !== undefined) this.#twinsLeft.set(key, (this.#twinsLeft.get(key) ?? 1) - 1);
      if (outcome !== undefined) failed.push({ pending: pod, last: outcome });
      this.#input.onProgress?.(++placed, pending.length);
    }
    // Pods placed later may have made room for affinity: one more pass over the failures.
    if (failed.length > 0 && failed.length < pending.length) {
      failed = failed.flatMap((f) => {
        const outcome = this.#placeRelaxing(f.pending);
        return outcome === undefined ? [] : [{ pending: f.pending, last: outcome }];
      });
    }
    // Claims were filled lazily (see dropOutgrown): their options are settled now.
    for (const claim of this.#claims) {
      const settled = keepFitting(
        claim.options,
        claim.prices,
        claim.pool,
        claim.requirements,
        claim.requests,
      );
      if (settled.ok) {
        claim.options = settled.options;
        claim.prices = settled.prices;
      }
    }
    const staticLaunches = this.#launches.map((launch) => {
      const pods = this.#onExisting.get(launch.planned.name) ?? [];
      this.#onExisting.delete(launch.planned.name);
      return { planned: launch.planned, pods };
    });
    return {
      staticLaunches,
      claims: this.#claims,
      onExisting: this.#onExisting,
      unschedulable: failed
        .map((f) => ({ pending: f.pending, targets: this.#explain(f.last) }))
        .sort((a, b) => (a.pending.key < b.pending.key ? -1 : 1)),
      pendingCount: pending.length,
    };
  }

  /** Tries the pod, relaxing preferences one step at a time; returns the last attempt if it fits nowhere. */
  #placeRelaxing(pending: PendingPod): Attempt | undefined {
    let preferences = initialPreferences(pending.pod);
    for (;;) {
      const attempt = attemptAt(pending, preferences);
      if (pending.volumeReasons.length === 0 && this.#place(attempt)) return undefined;
      const next = relax(preferences);
      if (next === undefined) return attempt;
      preferences = next;
    }
  }

  #place(attempt: Attempt): boolean {
    const extra = this.#extraDomainsFor(attempt);
    for (const capacity of this.#existing) {
      if (!fitsResources(attempt.pending.requests, capacity.allocatable, capacity.used)) continue;
      if (existingFitReasons(capacity, attempt, this.#index, extra, false).length > 0) continue;
      capacity.used = addResources(capacity.used, attempt.pending.requests);
      for (const port of attempt.pending.ports)
        capacity.ports.push({ ...port, usedBy: attempt.pending.key });
      this.#index.addPod(attempt.pod, capacity.name);
      const list = this.#onExisting.get(capacity.name) ?? [];
      list.push(attempt.pending);
      this.#onExisting.set(capacity.name, list);
      return true;
    }
    let best:
      | {
          claim: NewClaim;
          change: Extract<ClaimChange, { ok: true }>;
          rise: number;
          /** The rise spread over the pods like this one it makes room for. */
          perPod: number;
        }
      | undefined;
    // Nothing beats a free fit, and the oldest such claim wins (first fit). Only a claim whose
    // current cheapest type still holds the pod can be free, so those are tried first; the
    // others are priced (the least cost per pod it makes room for, oldest first) only when none is.
    const admits = this.#hostnameAdmits(attempt, extra);
    const twinsKey = this.#twinKeys.get(attempt.pending);
    const twins = twinsKey === undefined ? 1 : Math.max(1, this.#twinsLeft.get(twinsKey) ?? 1);
    let order = -1;
    const requests = attempt.pending.requests;
    const cpu = requests.cpu ?? 0;
    const holds = (claim: NewClaim, i: number): boolean => {
      const current = claim.options[0]?.type.allocatable;
      return (
        (this.#freeCpu[i] ?? 0) >= cpu &&
        current !== undefined &&
        fitsBeside(requests, claim.requests, current, claim.pool.daemonOverhead)
      );
    };
    const admitted = (claim: NewClaim) =>
      admits === undefined || admits(claim.node.labels[Labels.hostname] ?? "");
    // Claims with enough free cpu, oldest first, found by block (most claims are full).
    for (let i = this.#roomy.next(0, cpu); i !== undefined; i = this.#roomy.next(i + 1, cpu)) {
      const claim = this.#claims[i] as NewClaim;
      if (!admitted(claim) || !holds(claim, i)) continue;
      const change = this.#change(claim, attempt, extra, true);
      if (!change.ok) continue;
      const rise = Math.max(0, change.price - claim.price);
      const perPod =
        rise === 0 ? 0 : this.#growthPerPod(attempt, change, claim, rise, twins, twinsKey);
      if (best === undefined || perPod < best.perPod || (perPod === best.perPod && i < order)) {
        best = { claim, change, rise, perPod };
        order = i;
      }
      if (rise === 0) break;
    }
    // The claims it could only grow: the most recent ones the pod may go to.
    const growing: number[] = [];
    if (best === undefined || best.rise > 0) {
      for (let i = this.#claims.length - 1; i >= 0 && growing.length < GrowthWindow; i--) {
        const claim = this.#claims[i] as NewClaim;
        if (admitted(claim) && !holds(claim, i)) growing.push(i);
      }
      growing.reverse();
    }
    let fresh: NewClaim | undefined;
    let freshPerPod = Number.POSITIVE_INFINITY;
    let sizedPrice = 0;
    if (best === undefined || best.rise > 0) {
      fresh = this.#input.firstFit ? undefined : this.#firstOpenable(attempt, extra);
      if (fresh !== undefined) {
        const sized = this.#freshPerPod(attempt, fresh, twins);
        freshPerPod = sized.perPod;
        sizedPrice = sized.price;
      }
      // Older claims are mostly full: only the most recent ones are priced for growth, which
      // bounds the work per pod (Karpenter itself stops at the first claim that fits).
      for (const i of growing) {
        const claim = this.#claims[i] as NewClaim;
        // A rise dearer per pod than the best so far, or than a node of its own, is of no use
        // (and it is spread over at most `twins` pods).
        const useful = Math.min(best?.perPod ?? Number.POSITIVE_INFINITY, freshPerPod) * twins;
        const change = this.#change(claim, attempt, extra, true, claim.price + useful + 1e-9);
        if (!change.ok) continue;
        const rise = change.price - claim.price;
        const perPod =
          rise <= 0 ? 0 : this.#growthPerPod(attempt, change, claim, rise, twins, twinsKey);
        if (best === undefined || perPod < best.perPod || (perPod === best.perPod && i < order)) {
          best = { claim, change, rise, perPod };
          order = i;
        }
      }
    }
    // Growing a claim must cost no more, per pod it makes room for, than a node of its own: the
    // objective is price, not count.
    if (best !== undefined && (best.rise <= 0 || this.#input.firstFit)) fresh = undefined;
    else if (best === undefined && this.#input.firstFit)
      fresh = this.#firstOpenable(attempt, extra);
    if (best !== undefined && (fresh === undefined || best.perPod <= freshPerPod)) {
      this.#apply(best.claim, attempt);
      return true;
    }
    if (fresh === undefined) return false;
    this.#commit(fresh, attempt);
    if (twinsKey !== undefined && sizedPrice > fresh.price)
      this.#sizedFor.set(fresh, { twinsKey, price: sizedPrice, perPod: freshPerPod });
    return true;
  }

  /**
   * What growing the claim costs per pod like this one it makes room for (itself included, at
   * most `twins`). A claim opened for a batch of such pods was sized for the batch: growing it
   * toward that size costs what opening it promised per pod (the pods to come fill it).
   */
  #growthPerPod(
    attempt: Attempt,
    change: Extract<ClaimChange, { ok: true }>,
    claim: NewClaim,
    rise: number,
    twins: number,
    twinsKey: string | undefined,
  ): number {
    if (twins <= 1) return rise;
    const copies = copiesThatFit(
      attempt.pending.requests,
      change.options[0]?.type.allocatable ?? {},
      claim.requests,
      claim.pool.daemonOverhead,
    );
    const perPod = rise / Math.max(1, Math.min(twins, copies));
    const sized = this.#sizedFor.get(claim);
    return sized !== undefined && sized.twinsKey === twinsKey && change.price <= sized.price + 1e-9
      ? Math.min(perPod, sized.perPod)
      : perPod;
  }

  /**
   * The best a fresh claim can do for a batch of `twins` pods like this one: over its options,
   * the least price / min(copies that fit, twins), and the price of that option. With no twins,
   * its cheapest price.
   */
  #freshPerPod(
    attempt: Attempt,
    fresh: NewClaim,
    twins: number,
  ): { perPod: number; price: number } {
    if (twins <= 1) return { perPod: fresh.price, price: fresh.price };
    const copies = this.#freshCopies(attempt.pending.requests, fresh);
    let best = { perPod: Number.POSITIVE_INFINITY, price: fresh.price };
    for (let i = 0; i < fresh.options.length; i++) {
      const price = fresh.prices[i] ?? 0;
      // Options come cheapest first, and none spreads its price over more than `twins` pods.
      if (price / twins >= best.perPod) break;
      const perPod = price / Math.max(1, Math.min(twins, copies[i] ?? 1));
      if (perPod < best.perPod) best = { perPod, price };
    }
    return best;
  }

  /** How many pods of these requests each option of a fresh claim holds (fresh options are shared per shape). */
  #freshCopies(requests: Resources, fresh: NewClaim): readonly number[] {
    let byRequests = this.#copies.get(fresh.options);
    if (byRequests === undefined) {
      byRequests = new Map();
      this.#copies.set(fresh.options, byRequests);
    }
    const key = resourcesKey(requests);
    let copies = byRequests.get(key);
    if (copies === undefined) {
      copies = fresh.options.map((option) =>
        copiesThatFit(requests, option.type.allocatable, {}, fresh.pool.daemonOverhead),
      );
      byRequests.set(key, copies);
    }
    return copies;
  }

  /**
   * The pod's hostname-keyed required pod (anti-)affinity and spread, as a cheap test of a claim's
   * hostname — the same conditions podAffinityReasons and topologySpreadReasons check, asked first
   * so most claims cost a map lookup.
   */
  #hostnameAdmits(
    attempt: Attempt,
    extra: ExtraDomains,
  ): ((hostname: string) => boolean) | undefined {
    const spread = hostnameSpreadAdmits(attempt.pod, this.#index, extra);
    const { required, anti } = requiredTerms(attempt.pod, this.#index);
    const byHost = (terms: typeof required) =>
      terms.filter((t) => t.topologyKey === Labels.hostname).map((t) => this.#index.counts(t));
    const affinity = byHost(required);
    const antiAffinity = byHost(anti);
    if (affinity.length === 0 && antiAffinity.length === 0) return spread;
    const firstOfGroup =
      required.every((t) => this.#index.counts(t).total === 0) &&
      required.every((t) => t.selects(attempt.pod));
    return (hostname) =>
      (firstOfGroup || affinity.every((c) => (c.byDomain.get(hostname) ?? 0) > 0)) &&
      antiAffinity.every((c) => (c.byDomain.get(hostname) ?? 0) === 0) &&
      (spread === undefined || spread(hostname));
  }

  /** The claim the first pool able to host the pod would open (pools in Karpenter's order). */
  #firstOpenable(attempt: Attempt, extra: ExtraDomains): NewClaim | undefined {
    for (const pool of this.#pools) {
      const opened = this.#open(pool, attempt, extra, false);
      if (opened.ok) return opened.claim;
    }
    return undefined;
  }

  /**
   * What a claim would become with the pod, cheapest checks first. With `cheapestOnly` the change
   * carries only the cheapest option (enough to price it); `#apply` asks for all of them.
   */
  #change(
    claim: NewClaim,
    attempt: Attempt,
    extra: ExtraDomains,
    cheapestOnly: boolean,
    ceiling = Number.POSITIVE_INFINITY,
  ): ClaimChange {
    // The claim's own load fits its largest option, so only the pod's resources need a look.
    if (
      !fitsBeside(
        attempt.pending.requests,
        claim.requests,
        claim.largest,
        claim.pool.daemonOverhead,
      )
    )
      return { ok: false, reasons: [] };
    const gate = this.#poolGate(claim.pool, attempt, claim.requirements);
    if (gate.length > 0) return { ok: false, reasons: gate };
    const ports = hostPortConflicts(attempt.pending.ports, claim.ports);
    if (ports.length > 0) return { ok: false, reasons: ports };
    const topology = this.#topologyReasons(attempt, claim.node, extra);
    if (topology.length > 0) return { ok: false, reasons: topology };
    return narrowOptions(
      claim.options,
      claim.prices,
      claim.pool,
      claim.requirements.intersect(attempt.requirements),
      attempt.requirements,
      addResources(claim.requests, attempt.pending.requests),
      this.#limitRoom(claim.pool, claim.committed),
      cheapestOnly,
      ceiling,
    );
  }

  /** Puts the pod on the claim that `#change` just priced: the gates passed, only the options narrow. */
  #apply(claim: NewClaim, attempt: Attempt): void {
    const requirements = claim.requirements.intersect(attempt.requirements);
    const requests = addResources(claim.requests, attempt.pending.requests);
    const room = this.#limitRoom(claim.pool, claim.committed);
    // Usually the pod changes nothing but the load: only options it outgrows are dropped.
    const unchanged =
      room === undefined &&
      !hasMinValues(requirements) &&
      `${requirements}` === `${claim.requirements}`;
    const change = unchanged
      ? dropOutgrown(claim.options, claim.prices, claim.pool, requirements, requests)
      : narrowOptions(
          claim.options,
          claim.prices,
          claim.pool,
          requirements,
          attempt.requirements,
          requests,
          room,
        );
    if (!change.ok) throw new Error(`claim ${claim.name} priced a pod it then could not take`);
    const committed = limitCapacity(change.options[0]?.type.capacity ?? {});
    this.#count(claim.pool.name, subtractResources(committed, claim.committed));
    claim.requirements = change.requirements;
    // `largest` only turns pods away early, so an old, larger value is still sound: recompute it
    // when requirements narrowed (which may drop the big types), not for every pod's load.
    if (!unchanged && change.options.length !== claim.options.length)
      claim.largest = largestAllocatable(change.options);
    claim.options = change.options;
    claim.prices = change.prices;
    claim.price = change.price;
    claim.committed = committed;
    claim.requests = addResources(claim.requests, attempt.pending.requests);
    claim.pods.push(attempt.pending);
    claim.ports.push(...attempt.pending.ports);
    const position = this.#position.get(claim);
    if (position !== undefined) {
      this.#freeCpu[position] = freeCpu(claim);
      this.#roomy.set(position, this.#freeCpu[position] ?? 0);
    }
    this.#index.addPod(attempt.pod, claim.name);
  }

  /**
   * Plans a new claim on the pool for the pod, without effects: fixes a value for each topology
   * key some pod constrains (the zone: the cheapest the pod's constraints allow). `#commit` makes it real.
   */
  #open(pool: PoolTemplate, attempt: Attempt, extra: ExtraDomains, explain = true): Opened {
    if (pool.closed !== undefined) return { ok: false, reasons: [pool.closed] };
    const gate = this.#poolGate(pool, attempt, pool.requirements);
    if (gate.length > 0) return { ok: false, reasons: gate };
    const name = `${pool.name}-${this.#claimCount.get(pool.name) ?? 0}`;
    const hostname = Requirements.from([{ key: Labels.hostname, operator: "In", values: [name] }]);
    // Without inter-pod rules in play, what a fresh claim would be depends only on the pool and
    // the pod's requirements and requests: pods of one shape share the work.
    const shapeKey = this.#freshShapeKey(pool, attempt);
    const known = shapeKey === undefined ? undefined : this.#freshShapes.get(shapeKey);
    if (known !== undefined)
      return this.#freshClaim(name, pool, known.requirements.intersect(hostname), known.change);
    let requirements = pool.requirements.intersect(attempt.requirements);
    const room = this.#limitRoom(pool, {});
    const requestsKey = room === undefined ? resourcesKey(attempt.pending.requests) : undefined;
    const narrow = (r: Requirements): ClaimChange => {
      // Without limits, a fresh claim's options depend only on the pool, requirements and requests.
      const key =
        requestsKey === undefined
          ? undefined
          : `${pool.name}|${r}|${attempt.requirements}|${requestsKey}`;
      const cached = key === undefined ? undefined : this.#freshOptions.get(key);
      if (cached !== undefined) return cached;
      const change = narrowOptions(
        pool.instanceTypes,
        pool.cheapestPrices,
        pool,
        r,
        attempt.requirements,
        attempt.pending.requests,
        room,
      );
      if (key !== undefined) this.#freshOptions.set(key, change);
      return change;
    };
    let change = narrow(requirements);
    if (!change.ok) {
      // Placement only asks whether the pool can; the reason is worked out when explaining.
      const reasons =
        change.reasons.length > 0 || !explain
          ? change.reasons
          : [noInstanceTypeReason(pool, attempt.requirements, attempt.pending.requests)];
      return { ok: false, reasons };
    }
    for (const key of this.#topologyKeys) {
      const current = requirements.get(key);
      if (current !== undefined && !current.complement && current.values.size === 1) continue;
      const candidates = zoneCandidates(key, change.options, requirements);
      let chosen:
        | { requirements: Requirements; change: Extract<ClaimChange, { ok: true }> }
        | undefined;
      let firstReasons: readonly Reason[] = [];
      for (const value of candidates) {
        const narrowed = requirements.intersect(
          Requirements.from([{ key, operator: "In", values: [value] }]),
        );
        const candidateChange = narrow(narrowed);
        if (!candidateChange.ok) continue;
        const topology = this.#topologyReasons(attempt, claimNode(name, pool, narrowed), extra);
        if (topology.length === 0) {
          chosen = { requirements: narrowed, change: candidateChange };
          break;
        }
        if (firstReasons.length === 0) firstReasons = topology;
      }
      if (chosen === undefined) {
        if (candidates.length > 0) return { ok: false, reasons: firstReasons };
        continue;
      }
      requirements = chosen.requirements;
      change = chosen.change;
    }
    const topology = this.#topologyReasons(attempt, claimNode(name, pool, requirements), extra);
    if (topology.length > 0) return { ok: false, reasons: topology };
    if (shapeKey !== undefined) this.#freshShapes.set(shapeKey, { requirements, change });
    return this.#freshClaim(name, pool, requirements.intersect(hostname), change);
  }

  #freshClaim(
    name: string,
    pool: PoolTemplate,
    requirements: Requirements,
    change: Extract<ClaimChange, { ok: true }>,
  ): Opened {
    const claim: NewClaim = {
      name,
      pool,
      requirements,
      options: change.options,
      prices: change.prices,
      largest: largestAllocatable(change.options),
      pods: [],
      requests: {},
      ports: [],
      node: claimNode(name, pool, requirements),
      price: change.price,
      committed: limitCapacity(change.options[0]?.type.capacity ?? {}),
    };
    return { ok: true, claim };
  }

  /**
   * The key under which a fresh claim for this pod on this pool can be remembered, or undefined
   * when topology could tell two such claims apart: the pod has required pod (anti-)affinity or a
   * DoNotSchedule spread constraint, some placed pod's anti-affinity spans more than a node, or
   * the pool's limits shrink as claims are planned.
   */
  #freshShapeKey(pool: PoolTemplate, attempt: Attempt): string | undefined {
    if (pool.limits !== undefined) return undefined;
    const spec = attempt.pod.spec;
    if (spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length)
      return undefined;
    if (spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length)
      return undefined;
    if ((spec.topologySpreadConstraints ?? []).some((c) => c.whenUnsatisfiable === "DoNotSchedule"))
      return undefined;
    for (const group of this.#index.antiAffinityGroups())
      if (group.term.topologyKey !== Labels.hostname) return undefined;
    const requests = resourcesKey(attempt.pending.requests);
    return `${pool.name}|${attempt.requirements}|${requests}|${JSON.stringify(spec.tolerations ?? [])}`;
  }

  #commit(claim: NewClaim, attempt: Attempt): void {
    this.#claimCount.set(claim.pool.name, (this.#claimCount.get(claim.pool.name) ?? 0) + 1);
    claim.pods.push(attempt.pending);
    claim.requests = attempt.pending.requests;
    claim.ports.push(...attempt.pending.ports);
    this.#position.set(claim, this.#claims.length);
    this.#claims.push(claim);
    this.#freeCpu.push(freeCpu(claim));
    this.#roomy.set(this.#claims.length - 1, freeCpu(claim));
    this.#count(claim.pool.name, claim.committed);
    this.#index.addNode(claim.node);
    this.#index.addPod(attempt.pod, claim.name);
  }

  /** The pool's taints (startup taints never block) and requirement compatibility, Karpenter's way. */
  #poolGate(pool: PoolTemplate, attempt: Attempt, requirements: Requirements): Reason[] {
    const taints = untoleratedTaints(pool.taints, attempt.pod.spec.tolerations, {
      preferNoScheduleBlocks: true,
    });
    if (taints.length > 0) return taints;
    return requirements.compatible(attempt.requirements, pool.wellKnownKeys, "pod");
  }

  #topologyReasons(attempt: Attempt, node: NewClaim["node"], extra: ExtraDomains): Reason[] {
    const affinity = podAffinityReasons(attempt.pod, node, this.#index);
    return affinity.length > 0
      ? affinity
      : topologySpreadReasons(attempt.pod, node, this.#index, extra);
  }

  /** Room left under the pool's limits, not counting `own` (the claim being grown). */
  #limitRoom(pool: PoolTemplate, own: Resources): Resources | undefined {
    if (pool.limits === undefined) return undefined;
    const used = subtractResources(this.#usage.get(pool.name) ?? {}, own);
    const room: Record<string, number> = {};
    for (const resource of Object.keys(pool.limits))
      room[resource] = (pool.limits[resource] ?? 0) - (used[resource] ?? 0);
    return room;
  }

  #count(pool: string, capacity: Resources): void {
    this.#usage.set(pool, addResources(this.#usage.get(pool) ?? {}, capacity));
  }

  /**
   * Domains a new node could be launched in for this pod (Karpenter counts them in topology
   * spread): for each key, the values allowed by some pool the pod could use; for hostname, the
   * node not yet launched, when some pool could launch one the pod accepts.
   */
  #extraDomainsFor(attempt: Attempt): ExtraDomains {
    const cacheKey = `${attempt.requirements}|${JSON.stringify(attempt.pod.spec.tolerations ?? [])}`;
    let extra = this.#extraDomains.get(cacheKey);
    if (extra === undefined) {
      const byKey = new Map<string, string[]>();
      // A pool that launches nothing opens no domain.
      const pools = this.#pools.filter(
        (pool) =>
          pool.closed === undefined &&
          this.#poolGate(pool, attempt, pool.requirements).length === 0,
      );
      const launchable = pools.length > 0 && hostnameOpen(attempt.requirements);
      extra = (key) => {
        if (key === Labels.hostname) return launchable ? [UnlaunchedNode] : [];
        let values = byKey.get(key);
        if (values === undefined) {
          values = [
            ...new Set(
              pools.flatMap((pool) =>
                zoneCandidates(
                  key,
                  pool.instanceTypes,
                  pool.requirements.intersect(attempt.requirements),
                ),
              ),
            ),
          ];
          byKey.set(key, values);
        }
        return values;
      };
      this.#extraDomains.set(cacheKey, extra);
    }
    return extra;
  }

  /** Why the pod fits nowhere: one entry per NodePool and per existing node or in-flight claim. */
  #explain(attempt: Attempt): TargetReasons[] {
    if (attempt.pending.volumeReasons.length > 0) {
      return [{ target: "Pod", reasons: attempt.pending.volumeReasons }];
    }
    const extra = this.#extraDomainsFor(attempt);
    return [
      ...this.#pools.map((pool) => ({
        target: `NodePool/${pool.name}`,
        reasons: this.#dryOpen(pool, attempt, extra),
      })),
      ...this.#existing.map((capacity) => ({
        target: capacity.target,
        reasons: existingFitReasons(capacity, attempt, this.#index, extra, true),
      })),
    ];
  }

  /** The reasons a pool cannot take the pod. */
  #dryOpen(pool: PoolTemplate, attempt: Attempt, extra: ExtraDomains): readonly Reason[] {
    const opened = this.#open(pool, attempt, extra);
    return opened.ok ? [] : opened.reasons;
  }
}

/**
 * Values by position with each block's maximum, to find the first position at or after `from`
 * whose value is at least `min` without visiting every position.
 */
class BlockMax {
  static readonly size = 64;
  readonly #values: number[] = [];
  readonly #blocks: number[] = [];

  set(position: number, value: number): void {
    this.#values[position] = value;
    const block = Math.floor(position / BlockMax.size);
    const start = block * BlockMax.size;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = start; i < Math.min(start + BlockMax.size, this.#values.length); i++)
      max = Math.max(max, this.#values[i] ?? Number.NEGATIVE_INFINITY);
    this.#blocks[block] = max;
  }

  next(from: number, min: number): number | undefined {
    for (let i = from; i < this.#values.length; ) {
      const block = Math.floor(i / BlockMax.size);
      if ((this.#blocks[block] ?? Number.NEGATIVE_INFINITY) < min) {
        i = (block + 1) * BlockMax.size;
        continue;
      }
      if ((this.#values[i] ?? Number.NEGATIVE_INFINITY) >= min) return i;
      i++;
    }
    return undefined;
  }
}

/** Cpu left on the claim's current cheapest type beside its pods and daemonsets. */
function freeCpu(claim: NewClaim): number {
  const allocatable = claim.options[0]?.type.allocatable.cpu ?? 0;
  return allocatable - (claim.pool.daemonOverhead.cpu ?? 0) - (claim.requests.cpu ?? 0);
}

function resourcesKey(resources: Resources): string {
  return Object.entries(resources)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([r, v]) => `${r}=${v}`)
    .join(",");
}

/** How many copies of `requests` fit in `allocatable` beside `load` and `overhead`. */
function copiesThatFit(
  requests: Resources,
  allocatable: Resources,
  load: Resources,
  overhead: Resources,
): number {
  let copies = Number.POSITIVE_INFINITY;
  for (const resource in requests) {
    const wanted = requests[resource] ?? 0;
    if (wanted <= 0) continue;
    const left = (allocatable[resource] ?? 0) - (load[resource] ?? 0) - (overhead[resource] ?? 0);
    copies = Math.min(copies, Math.floor(left / wanted));
  }
  return copies === Number.POSITIVE_INFINITY ? 1 : Math.max(0, copies);
}

/**
 * Pods that can share nodes alike: the same requests, node constraints and tolerations, and no
 * inter-pod rules or host ports of their own (those set each copy apart). Undefined otherwise.
 */
function twinKey(pending: PendingPod): string | undefined {
  const spec = pending.pod.spec;
  if (spec.affinity?.podAffinity !== undefined || spec.affinity?.podAntiAffinity !== undefined)
    return undefined;
  if ((spec.topologySpreadConstraints ?? []).length > 0 || pending.ports.length > 0)
    return undefined;
  if (pending.volumes.length > 0) return undefined;
  return `${resourcesKey(pending.requests)}|${JSON.stringify(spec.nodeSelector ?? {})}|${JSON.stringify(spec.affinity?.nodeAffinity ?? {})}|${JSON.stringify(spec.tolerations ?? [])}|${pending.pod.spec.priorityClassName ?? ""}`;
}

/** How many of the most recent claims a pod that fits no claim as it is may grow. */
const GrowthWindow = 16;

/** Whether `extra` fits beside `used` and the overhead in `allocatable`, without building the sum. */
function fitsBeside(
  extra: Resources,
  used: Resources,
  allocatable: Resources,
  overhead: Resources,
): boolean {
  for (const resource in extra) {
    const wanted = extra[resource] ?? 0;
    if (wanted <= 0) continue;
    const left = (allocatable[resource] ?? 0) - (used[resource] ?? 0) - (overhead[resource] ?? 0);
    if (wanted > left) return false;
  }
  return true;
}

type Opened =
  | { readonly ok: true; readonly claim: NewClaim }
  | { readonly ok: false; readonly reasons: readonly Reason[] };
