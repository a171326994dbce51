import type { Pod } from "../api/pod.ts";
import { podKey } from "../cluster/snapshot.ts";
import { virtualPendingPods } from "../controllers/capacity-buffer/sources.ts";
import { CapacityBufferStatus } from "../controllers/capacity-buffer/status.ts";
import type { ControllerContext } from "../controllers/context.ts";
import { Disruption } from "../controllers/disruption/disruption.ts";
import { Interruption } from "../controllers/interruption/interruption.ts";
import { InterruptionPoller } from "../controllers/interruption/poller.ts";
import { Lifecycle } from "../controllers/lifecycle/lifecycle.ts";
import { PodEvents } from "../controllers/lifecycle/pod-events.ts";
import { NodeClaimDisruptionConditions } from "../controllers/nodeclaim/disruption-conditions.ts";
import { NodeOverlayStatus } from "../controllers/nodeoverlay/status.ts";
import { type NodeClassKind, NodePoolStatus } from "../controllers/nodepool/status.ts";
import { isProvisionable } from "../controllers/pending-pods.ts";
import { Batcher } from "../controllers/provisioning/batcher.ts";
import { Provisioner } from "../controllers/provisioning/provisioner.ts";
import { StaticNodePools } from "../controllers/static-nodepool/static-nodepool.ts";
import { Termination } from "../controllers/termination/termination.ts";
import { ConflictError, type StoredObject } from "../ports/cluster-store.ts";
import type { InterruptionQueue } from "../ports/interruption-queue.ts";
import type { FeatureGates } from "./feature-gates.ts";

/** Every controller runs at least this often, whatever the watches say. */
const LoopEveryMs = 30_000;
const DisruptionEveryMs = 10_000;
/** After a controller fails, the loop runs again this soon. */
const RetryMs = 5_000;
const ConflictRetryMs = 200;
/** Watch events arriving together start one pass, not one each. */
const CoalesceMs = 50;

export interface OperatorOptions {
  readonly context: ControllerContext;
  readonly nodeClasses: readonly NodeClassKind[];
  readonly interruptions?: InterruptionQueue;
  /**
   * A provider's own controllers (the EC2NodeClass status of the AWS provider), run at the start
   * of every pass, before provisioning reads what they resolve.
   */
  readonly providerControllers?: readonly ProviderController[];
  readonly featureGates?: FeatureGates;
  /**
   * Whether what the controllers read can be trusted now (every cache current). While it cannot,
   * no pass runs: acting on a cache the server no longer updates could drain the wrong node.
   */
  readonly current?: () => boolean;
  /** A pass was skipped because the caches are not current. */
  readonly onStale?: () => void;
  /** A controller failed this pass (it runs again on the next one). */
  readonly onError: (error: unknown, controller: string) => void;
  /** A provisioning run starts for this many pods; the function returned is told how it ended. */
  readonly onProvisioning?: (pods: number) => (result: { unschedulablePods: number }) => void;
}

/** A controller a cloud provider brings along, reconciling everything it owns in one call. */
export interface ProviderController {
  readonly name: string;
  reconcile(): Promise<void>;
}

/**
 * The controllers of a real cluster, driven by its watches and by time: every change a watch
 * reports starts a pass of pod events, provisioning, interruption, lifecycle, termination,
 * NodePool status and static NodePools; a pass runs every 30 s regardless; disruption is tried every 10 s. Pending
 * pods are batched as Karpenter batches them (1 s idle, 10 s at most). One pass at a time; a
 * controller that fails is reported and retried, and never stops the others.
 */
export class Operator {
  readonly #options: OperatorOptions;
  readonly #provisioner: Provisioner;
  readonly #lifecycle: Lifecycle;
  readonly #podEvents: PodEvents;
  readonly #termination: Termination;
  readonly #disruption: Disruption;
  readonly #interruption: Interruption | undefined;
  readonly #interruptionPoller: InterruptionPoller | undefined;
  readonly #nodePools: NodePoolStatus;
  readonly #overlays: NodeOverlayStatus;
  readonly #buffers: CapacityBufferStatus;
  readonly #staticPools: StaticNodePools;
  readonly #claimConditions: NodeClaimDisruptionConditions;
  readonly #batcher = new Batcher();
  #touchedNodes = new Set<string>();
  /** Pods already handed to provisioning; cleared when capacity goes and every 30 s. */
  #batched = new Set<string>();
  #provisionTimer: NodeJS.Timeout | undefined;
  #provisionAt: number | undefined;
  #timers: NodeJS.Timeout[] = [];
  #kickTimer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;
  #version = 0;
  #disruptionVersion = -1;
  #disruptionAt = Number.NEGATIVE_INFINITY;
  #disruptionDeadline: number | undefined;
  #lastPass = 0;
  #disruptionWaiting = false;

  constructor(options: OperatorOptions) {
    this.#options = options;
    const { context } = options;
    this.#provisioner = new Provisioner(context);
    this.#lifecycle = new Lifecycle(context);
    this.#podEvents = new PodEvents(context);
    this.#termination = new Termination(context);
    this.#disruption = new Disruption(context, {
      spotToSpot: options.featureGates?.SpotToSpotConsolidation ?? true,
    });
    this.#nodePools = new NodePoolStatus(context, options.nodeClasses);
    this.#overlays = new NodeOverlayStatus(context);
    this.#buffers = new CapacityBufferStatus(context);
    this.#staticPools = new StaticNodePools(context);
    this.#claimConditions = new NodeClaimDisruptionConditions(context);
    this.#interruption =
      options.interruptions === undefined ? undefined : new Interruption(context);
    // The queue is read on its own (a long poll waits up to 20 s); what arrives starts a pass.
    this.#interruptionPoller =
      options.interruptions === undefined
        ? undefined
        : new InterruptionPoller(options.interruptions, {
            onArrival: () => this.kick(),
            onError: (error) => options.onError(error, "interruption.queue"),
          });
  }

  /** When the last pass finished (ms since the epoch), for the liveness probe. */
  get lastPass(): number {
    return this.#lastPass;
  }

  start(): void {
    this.#stopped = false;
    this.#lastPass = Date.now();
    this.#every(LoopEveryMs, () => {
      this.#batched = new Set();
      this.kick();
    });
    this.#every(DisruptionEveryMs, () => void this.#disrupt());
    this.#interruptionPoller?.start();
    this.kick();
  }

  /** Stops starting passes and waits for the one under way. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers) clearInterval(timer);
    clearTimeout(this.#kickTimer);
    clearTimeout(this.#provisionTimer);
    // Aborts a long poll in flight; notices not yet acted on are not acknowledged, so they return.
    await Promise.all([this.#running, this.#interruptionPoller?.stop()]);
  }

  /** A watch saw a change. */
  notify(object: StoredObject, deleted: boolean): void {
    this.#version++;
    if (object.kind === "Pod") {
      const pod = object as Pod;
      if (pod.spec.nodeName && !ownedBy(pod, "DaemonSet"))
        this.#touchedNodes.add(pod.spec.nodeName);
    }
    if ((object.kind === "NodeClaim" || object.kind === "Node") && deleted)
      this.#batched = new Set();
    this.kick();
  }

  /** Runs a pass soon; a pass under way is followed by one more. */
  kick(): void {
    if (this.#stopped) return;
    if (this.#running !== undefined) {
      this.#again = true;
      return;
    }
    if (this.#kickTimer !== undefined) return;
    this.#kickTimer = setTimeout(() => {
      this.#kickTimer = undefined;
      this.#running = this.#pass().finally(() => {
        this.#running = undefined;
        this.#lastPass = Date.now();
        // A disruption tick that fell during the pass runs now (it kicks again after itself).
        if (this.#disruptionWaiting) {
          this.#disruptionWaiting = false;
          void this.#disrupt();
        } else if (this.#again) {
          this.#again = false;
          this.kick();
        }
      });
    }, CoalesceMs);
  }

  async #pass(): Promise<void> {
    if (this.#options.current?.() === false) {
      this.#options.onStale?.();
      return;
    }
    const touched = this.#touchedNodes;
    this.#touchedNodes = new Set();
    for (const controller of this.#options.providerControllers ?? [])
      await this.#step(controller.name, () => controller.reconcile());
    await this.#step("podevents", () => this.#podEvents.record(touched));
    await this.#step("provisioning", () => this.#queueProvisioning());
    const poller = this.#interruptionPoller;
    if (poller !== undefined)
      await this.#step("interruption", () => this.#interruption?.handle(poller.take()));
    await this.#step("lifecycle", () => this.#lifecycle.reconcile());
    await this.#step("termination", () => this.#termination.reconcile());
    await this.#step("nodepool.status", () => this.#nodePools.reconcile());
    await this.#step("nodeoverlay.status", () => this.#overlays.reconcile());
    await this.#step("capacitybuffer.status", () => this.#buffers.reconcile());
    // After the status, so a pool just found not Ready is not launched from; the claims it
    // creates start the next pass, whose provisioning counts them as capacity.
    await this.#step("static.nodepool", () => this.#staticPools.reconcile());
    await this.#step("nodeclaim.disruption", () => this.#claimConditions.reconcile());
  }

  /**
   * Pods to provision for: the store's pending pods and the CapacityBuffers' virtual ones, which
   * only the solver sees (Karpenter's GetPendingPods with appendVirtualPods).
   */
  async #pending(): Promise<Pod[]> {
    const { store } = this.#options.context;
    const pods = (await store.list("Pod")).filter(isProvisionable);
    return [...pods, ...(await virtualPendingPods(store))];
  }

  /** Karpenter's batching: provision once the batch has been quiet for 1 s, or after 10 s. */
  async #queueProvisioning(): Promise<void> {
    const now = Date.now();
    const pending = await this.#pending();
    const fresh = pending.filter((p) => !this.#batched.has(podKey(p)));
    if (fresh.length === 0) return;
    for (const pod of fresh) this.#batched.add(podKey(pod));
    this.#batcher.observe(now);
    const due = this.#batcher.dueAt() ?? now;
    if (this.#provisionAt !== undefined && this.#provisionAt <= due) return;
    this.#schedule(due);
  }

  #schedule(due: number): void {
    clearTimeout(this.#provisionTimer);
    this.#provisionAt = due;
    this.#provisionTimer = setTimeout(
      () => void this.#provision(due),
      Math.max(0, due - Date.now()),
    );
  }

  async #provision(due: number): Promise<void> {
    if (this.#stopped || this.#provisionAt !== due) return;
    const next = this.#batcher.dueAt();
    if (next !== undefined && next > Date.now()) return this.#schedule(next);
    this.#provisionAt = undefined;
    this.#batcher.reset();
    // Provisioning waits for a pass under way, so it never races the lifecycle's writes.
    await this.#running;
    if (this.#options.current?.() === false) return this.kick();
    await this.#step("provisioning", async () => {
      const pending = await this.#pending();
      const done = this.#options.onProvisioning?.(pending.length);
      const unschedulable = await this.#provisioner.provision(pending);
      done?.({ unschedulablePods: unschedulable.length });
    });
    this.kick();
  }

  /**
   * Disruption is tried every 10 s, as Karpenter's controller polls; a pass that could find nothing
   * new is skipped — the cluster has not changed, no node's consolidateAfter or expireAfter ran out,
   * and the last pass was under an hour ago (budget schedules open windows) — as Karpenter's
   * "consolidated" memo saves re-packing an unchanged cluster.
   */
  async #disrupt(): Promise<void> {
    if (this.#stopped) return;
    // Passes that follow each other closely (slow providers, busy watches) must not starve
    // disruption: the tick waits for the pass under way instead of being dropped.
    if (this.#running !== undefined) {
      this.#disruptionWaiting = true;
      return;
    }
    if (this.#options.current?.() === false) return;
    const now = Date.now();
    if (!this.#disruption.busy) {
      const changed = this.#version !== this.#disruptionVersion;
      const deadline = this.#disruptionDeadline !== undefined && now >= this.#disruptionDeadline;
      if (!changed && !deadline && now - this.#disruptionAt < 3_600_000) return;
    }
    const version = this.#version;
    const run = this.#step("disruption", async () => {
      const wasBusy = this.#disruption.busy;
      await this.#disruption.reconcile();
      this.#disruptionVersion = wasBusy || this.#disruption.busy ? -1 : version;
      this.#disruptionAt = now;
      this.#disruptionDeadline = await this.#disruption.nextDeadline();
    });
    this.#running = run.finally(() => {
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        this.kick();
      }
    });
    await this.#running;
  }

  async #step(controller: string, action: () => Promise<void> | void): Promise<void> {
    try {
      await action();
    } catch (error) {
      this.#options.onError(error, controller);
      // A conflict only means the object moved on (kwok's status, a user's edit): read and go again.
      const delay = error instanceof ConflictError ? ConflictRetryMs : RetryMs;
      if (!this.#stopped) setTimeout(() => this.kick(), delay).unref();
    }
  }

  #every(ms: number, action: () => void): void {
    this.#timers.push(setInterval(action, ms));
  }
}

function ownedBy(pod: Pod, kind: string): boolean {
  return (pod.metadata.ownerReferences ?? []).some((o) => o.kind === kind);
}
