import type { Node } from "../api/node.ts";
import type { Pod } from "../api/pod.ts";
import { Labels } from "../api/wellknown.ts";
import { podKey } from "../cluster/snapshot.ts";
import { formatDuration } from "../disruption/duration.ts";
import type { SimulatedCloud } from "./cloud.ts";
import type { Engine } from "./engine.ts";
import { withoutStutter } from "./event-names.ts";
import { type Breach, capacityBreaches } from "./invariants.ts";
import type {
  Sample,
  SimulationEvent,
  SimulationResult,
  SimulationSummary,
  Violation,
} from "./result.ts";
import type { InMemoryClusterStore } from "./store.ts";

/** A pod pending longer than this, that the provisioner did not call unschedulable, is a violation. */
const PendingBoundMs = 10 * 60_000;
/** An instance without a NodeClaim for longer than this is a violation (garbage collection failed). */
const OrphanBoundMs = 5 * 60_000;

/**
 * What the simulation reports: the event log, one sample a minute, the invariants checked on
 * each sample, and the pod and node accounting of the summary.
 */
export class Observer {
  readonly #store: InMemoryClusterStore;
  readonly #cloud: SimulatedCloud;
  readonly #clock: Engine;
  readonly #events: SimulationEvent[] = [];
  readonly #violations: Violation[] = [];
  readonly #samples: Sample[] = [];
  /** Pods created and not yet bound, with when they were created (ms of virtual time). */
  readonly #waitingSince = new Map<string, number>();
  /** Live pods that have been bound: an update to one is not a new pod. */
  readonly #ran = new Set<string>();
  /** How long each pod waited: until bound, deleted unbound, or the end of the run. */
  readonly #pendingSeconds: number[] = [];
  #created = 0;
  #deletedWhilePending = 0;
  readonly #orphanSince = new Map<string, number>();
  #maxPending = 0;
  #peakNodes = 0;

  constructor(store: InMemoryClusterStore, cloud: SimulatedCloud, clock: Engine) {
    this.#store = store;
    this.#cloud = cloud;
    this.#clock = clock;
  }

  event(kind: string, object: string, message: string): void {
    this.#events.push({
      t: formatGoDuration(this.#clock.elapsed()),
      kind,
      object,
      message: withoutStutter(message),
    });
  }

  /** Records broken invariants, each once per invariant and object (a lasting breach is not repeated). */
  breach(breaches: readonly Breach[]): void {
    const t = formatGoDuration(this.#clock.elapsed());
    for (const b of breaches) {
      if (this.#violations.some((v) => v.invariant === b.invariant && v.object === b.object))
        continue;
      this.#violations.push({ t, ...b });
    }
  }

  /**
   * A pod was written; the first write of a name not live already is a new pod (a StatefulSet's
   * pod recreated under its old name is a new pod too). DaemonSet pods follow the nodes and are
   * not counted; a pod created already bound never waited.
   */
  created(pod: Pod): void {
    const key = podKey(pod);
    if (isDaemonPod(pod) || this.#waitingSince.has(key) || this.#ran.has(key)) return;
    this.#created++;
    if (pod.spec.nodeName) this.#ran.add(key);
    else this.#waitingSince.set(key, this.#clock.elapsed());
  }

  /** A pod was bound at `now` (ms of virtual time): it waited from its creation until now. */
  bound(key: string, now: number): void {
    const since = this.#waitingSince.get(key);
    this.#ran.add(key);
    if (since === undefined) return;
    this.#waitingSince.delete(key);
    this.#pendingSeconds.push((now - since) / 1000);
  }

  /** A pod was deleted: one never bound waited until now and never ran. */
  deleted(pod: Pod): void {
    const key = podKey(pod);
    this.#ran.delete(key);
    const since = this.#waitingSince.get(key);
    if (since === undefined) return;
    this.#waitingSince.delete(key);
    this.#pendingSeconds.push((this.#clock.elapsed() - since) / 1000);
    this.#deletedWhilePending++;
  }

  pending(count: number): void {
    this.#maxPending = Math.max(this.#maxPending, count);
  }

  /** One sample row (once per virtual time), then the invariants checked each minute. */
  sample(unschedulable: ReadonlySet<string>): void {
    const now = this.#clock.elapsed();
    const nodes = this.#store.listNow("Node");
    const pods = this.#store
      .listNow("Pod")
      .filter((p) => !isDaemonPod(p) && p.status?.phase !== "Succeeded");
    const pendingPods = pods.filter((p) => !p.spec.nodeName);
    const byPool: Record<string, number> = {};
    const byCapacityType: Record<string, number> = {};
    for (const node of nodes) {
      const pool = node.metadata.labels?.[Labels.nodePool] ?? "(none)";
      const capacityType = node.metadata.labels?.[Labels.capacityType] ?? "(unknown)";
      byPool[pool] = (byPool[pool] ?? 0) + 1;
      byCapacityType[capacityType] = (byCapacityType[capacityType] ?? 0) + 1;
    }
    this.#peakNodes = Math.max(this.#peakNodes, nodes.length);
    this.pending(pendingPods.length);
    const last = this.#samples.at(-1);
    if (last === undefined || last.seconds !== now / 1000) {
      this.#samples.push({
        t: formatGoDuration(now),
        seconds: now / 1000,
        nodes: nodes.length,
        pendingPods: pendingPods.length,
        runningPods: pods.length - pendingPods.length,
        hourlyCost: round6(this.#cloud.cost(this.#clock.now().getTime()).hourly),
        nodesByPool: byPool,
        nodesByCapacityType: byCapacityType,
      });
    }
    this.#checkInvariants(nodes, pendingPods, unschedulable, now);
  }

  #checkInvariants(
    nodes: readonly Node[],
    pendingPods: readonly Pod[],
    unschedulable: ReadonlySet<string>,
    now: number,
  ): void {
    this.breach(
      capacityBreaches(
        nodes,
        this.#store.listNow("Pod"),
        this.#store.listNow("NodeClaim"),
        this.#store.listNow("NodePool"),
      ),
    );
    for (const pod of pendingPods) {
      const key = podKey(pod);
      const since = this.#waitingSince.get(key) ?? now;
      if (now - since > PendingBoundMs && !unschedulable.has(key))
        this.breach([
          {
            invariant: "pending_too_long",
            object: `Pod/${key}`,
            message: `pending for ${formatDuration(now - since)}, though not reported unschedulable`,
          },
        ]);
    }
    const claimed = new Set(this.#store.listNow("NodeClaim").map((c) => c.status?.providerID));
    for (const instance of this.#cloud.running()) {
      if (claimed.has(instance.providerID)) {
        this.#orphanSince.delete(instance.providerID);
        continue;
      }
      const since = this.#orphanSince.get(instance.providerID) ?? now;
      this.#orphanSince.set(instance.providerID, since);
      if (now - since > OrphanBoundMs)
        this.breach([
          {
            invariant: "orphan_instance",
            object: `Instance/${instance.providerID}`,
            message: "runs without a NodeClaim",
          },
        ]);
    }
  }

  result(run: {
    readonly scenario: string;
    readonly seed: number;
    readonly durationMs: number;
    readonly disruptions: SimulationSummary["disruptions"];
  }): SimulationResult {
    const cost = this.#cloud.cost(this.#clock.now().getTime());
    const instances = this.#cloud.all();
    // Pods still waiting at the end waited for the whole rest of the run.
    const end = this.#clock.elapsed();
    const seconds = [
      ...this.#pendingSeconds,
      ...[...this.#waitingSince.values()].map((since) => (end - since) / 1000),
    ].sort((a, b) => a - b);
    return {
      apiVersion: "carpool.dev/v1alpha1",
      kind: "SimulationResult",
      scenario: run.scenario,
      seed: run.seed,
      summary: {
        duration: formatGoDuration(run.durationMs),
        pods: {
          created: this.#created,
          maxPending: this.#maxPending,
          pendingSecondsP50: percentile(seconds, 0.5),
          pendingSecondsP99: percentile(seconds, 0.99),
          neverScheduled: this.#waitingSince.size + this.#deletedWhilePending,
        },
        nodes: {
          launched: instances.length,
          terminated: instances.filter((i) => i.terminatedAt !== undefined).length,
          peak: this.#peakNodes,
          final: this.#store.listNow("Node").length,
        },
        cost: { total: round6(cost.total), finalHourly: round6(cost.hourly) },
        disruptions: run.disruptions,
      },
      samples: this.#samples,
      events: this.#events,
      violations: this.#violations,
    };
  }
}

export function isDaemonPod(pod: Pod): boolean {
  return (pod.metadata.ownerReferences ?? []).some((o) => o.kind === "DaemonSet");
}

/** Go's time.Duration String: `0s`, `1m30s`, `6h0m0s`. */
export function formatGoDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, index)] ?? 0) * 10) / 10;
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
