import type { InstanceTypeObject } from "../api/instancetype.ts";
import type { Node } from "../api/node.ts";
import type { NodeClaim } from "../api/nodeclaim.ts";
import type { Pod } from "../api/pod.ts";
import type { KnownObject } from "../api/validate.ts";
import { Labels, Taints } from "../api/wellknown.ts";
import { kubeletMaySet } from "../bootstrap/kubelet-labels.ts";
import { awsCatalog } from "../catalog/aws-catalog.ts";
import type { Catalog } from "../catalog/instance-type.ts";
import { catalogFromInstanceTypes } from "../catalog/user-catalog.ts";
import { podKey } from "../cluster/snapshot.ts";
import { virtualPendingPods } from "../controllers/capacity-buffer/sources.ts";
import type { ControllerContext } from "../controllers/context.ts";
import { Disruption } from "../controllers/disruption/disruption.ts";
import { instanceIDOf } from "../controllers/interruption/instance-id.ts";
import { Interruption } from "../controllers/interruption/interruption.ts";
import { Lifecycle } from "../controllers/lifecycle/lifecycle.ts";
import { PodEvents } from "../controllers/lifecycle/pod-events.ts";
import { UnavailableOfferings } from "../controllers/lifecycle/unavailable-offerings.ts";
import { Batcher } from "../controllers/provisioning/batcher.ts";
import { Provisioner } from "../controllers/provisioning/provisioner.ts";
import { StaticNodePools } from "../controllers/static-nodepool/static-nodepool.ts";
import { Termination } from "../controllers/termination/termination.ts";
import { isProtected } from "../disruption/do-not-disrupt.ts";
import { parseDuration } from "../disruption/duration.ts";
import type { InterruptionNotice } from "../ports/interruption-queue.ts";
import { SimulatedCloud } from "./cloud.ts";
import { Engine } from "./engine.ts";
import { objectRef } from "./event-names.ts";
import { EvictedSuccessors } from "./evicted-successors.ts";
import { bindingBreaches } from "./invariants.ts";
import { isDaemonPod, Observer } from "./observer.ts";
import { Random } from "./random.ts";
import type { SimulationResult } from "./result.ts";
import type { Scenario } from "./scenario.ts";
import { SchedulerStandIn } from "./scheduler.ts";
import { InMemoryClusterStore } from "./store.ts";
import { PodDurationAnnotation, WorkloadControllers } from "./workloads.ts";

/** Virtual time starts here, so the same scenario gives the same timestamps. */
const Epoch = new Date("2026-01-01T00:00:00Z");
const LoopEveryMs = 30_000;
const SampleEveryMs = 60_000;
/** A spot instance is reclaimed this long after its interruption notice (EC2: two minutes). */
const InterruptionWarningMs = 120_000;

export interface SimulateOptions {
  readonly seed?: number;
  /** Called as virtual time advances, with the fraction done (for a progress bar). */
  readonly onProgress?: (fraction: number) => void;
}

/**
 * Runs a scenario: the real controllers (provisioning, lifecycle, disruption, termination,
 * interruption) against an in-memory cluster, a kube-scheduler stand-in and a simulated cloud,
 * in virtual time, and reports what happened. Deterministic: same scenario and seed, same result.
 */
export async function simulate(
  scenario: Scenario,
  extra: readonly KnownObject[] = [],
  options: SimulateOptions = {},
): Promise<SimulationResult> {
  return new Simulation(scenario, extra, options).run();
}

class Simulation {
  readonly #scenario: Scenario;
  /** Objects given besides the scenario's (`carpool simulate -f`): they take part from the start. */
  readonly #extra: readonly KnownObject[];
  readonly #seed: number;
  readonly #durationMs: number;
  readonly #engine = new Engine(Epoch);
  readonly #store = new InMemoryClusterStore(() => this.#engine.now());
  readonly #catalog: Catalog;
  readonly #cloud: SimulatedCloud;
  readonly #random: Random;
  readonly #notices: InterruptionNotice[] = [];
  readonly #observer: Observer;
  readonly #context: ControllerContext;
  readonly #workloads: WorkloadControllers;
  readonly #scheduler: SchedulerStandIn;
  readonly #provisioner: Provisioner;
  readonly #lifecycle: Lifecycle;
  readonly #termination: Termination;
  readonly #disruption: Disruption;
  readonly #staticPools: StaticNodePools;
  readonly #interruption: Interruption;
  readonly #podEvents: PodEvents;
  /** Nodes a pod was bound to or left since the last loop. */
  #podEventNodes = new Set<string>();
  /** Instances whose kubelet is already on its way to join. */
  readonly #launching = new Set<string>();
  readonly #batcher = new Batcher();
  readonly #successors = new EvictedSuccessors();
  readonly #options: SimulateOptions;
  #loopQueued = false;
  #provisionAt: number | undefined;
  /**
   * Pods already handed to provisioning. A pod the provisioner could not place is not handed over
   * again at once — only when capacity goes away (a node or claim deleted) or on the periodic loop
   * — so pods waiting for a pool limit do not re-run the solver every second.
   */
  #batched = new Set<string>();
  #unschedulable = new Set<string>();
  #disruptionVersion = -1;
  #disruptionAt = Number.NEGATIVE_INFINITY;
  #disruptionDeadline: number | undefined;
  #nodes = 0;

  constructor(scenario: Scenario, extra: readonly KnownObject[], options: SimulateOptions) {
    this.#scenario = scenario;
    this.#extra = extra;
    this.#options = options;
    const spec = scenario.definition.spec;
    this.#seed = options.seed ?? spec.seed ?? 1;
    this.#random = new Random(this.#seed);
    this.#durationMs = parseDuration(spec.duration);
    const objects = [...scenario.objects, ...extra];
    this.#catalog = catalogOf(objects, spec.region ?? "us-east-1");
    this.#cloud = new SimulatedCloud(this.#catalog, this.#engine);
    this.#observer = new Observer(this.#store, this.#cloud, this.#engine);
    this.#context = {
      store: this.#store,
      cloud: this.#cloud,
      clock: this.#engine,
      events: { record: (e) => this.#observer.event(e.kind, e.object, e.message) },
      unavailable: new UnavailableOfferings(),
    };
    this.#workloads = new WorkloadControllers(this.#store);
    this.#scheduler = new SchedulerStandIn(this.#store, this.#catalog.instanceTypes);
    this.#provisioner = new Provisioner(this.#context);
    this.#lifecycle = new Lifecycle(this.#context);
    this.#podEvents = new PodEvents(this.#context);
    this.#termination = new Termination(this.#context);
    this.#disruption = new Disruption(this.#context);
    this.#staticPools = new StaticNodePools(this.#context);
    this.#interruption = new Interruption(this.#context);
    this.#store.onChange = (kind, object, deleted) => this.#onChange(kind, object, deleted);
    // Evictions are graceful: a pod protected by karpenter.sh/do-not-disrupt is never evicted.
    this.#store.onEvict = (pod) => {
      this.#successors.evicted(pod);
      if (isProtected(pod, this.#engine.now().getTime()))
        this.#observer.breach([
          {
            invariant: "protected_pod_disrupted",
            object: `Pod/${podKey(pod)}`,
            message: "evicted despite karpenter.sh/do-not-disrupt",
          },
        ]);
    };
  }

  async run(): Promise<SimulationResult> {
    for (const object of this.#scenario.objects) await this.#apply(object, "by the scenario");
    for (const object of this.#extra) await this.#apply(object, "from the given manifests");
    (this.#scenario.definition.spec.events ?? []).forEach((event, i) => {
      this.#engine.after(parseDuration(event.at), () => this.#scenarioEvent(i));
    });
    this.#periodic(LoopEveryMs, () => {
      this.#batched = new Set();
      return this.#loop();
    });
    this.#periodic(SampleEveryMs, () => this.#observer.sample(this.#unschedulable), 0);
    this.#periodic(10_000, () => this.#disrupt());
    this.#kick();
    await this.#engine.run(this.#durationMs, () =>
      this.#options.onProgress?.(this.#engine.elapsed() / this.#durationMs),
    );
    this.#observer.sample(this.#unschedulable);
    return this.#observer.result({
      scenario: this.#scenario.definition.metadata.name ?? "",
      seed: this.#seed,
      durationMs: this.#durationMs,
      disruptions: { ...this.#disruption.done, Interrupted: this.#interruption.interrupted },
    });
  }

  // --- the control loop -------------------------------------------------------------------

  /** Runs the control loop now, once, however many changes asked for it. */
  #kick(): void {
    if (this.#loopQueued) return;
    this.#loopQueued = true;
    this.#engine.after(0, async () => {
      this.#loopQueued = false;
      await this.#loop();
    });
  }

  async #loop(): Promise<void> {
    await this.#workloads.reconcile();
    const touched = this.#podEventNodes;
    this.#podEventNodes = new Set();
    await this.#podEvents.record(touched);
    const { bound, unschedulable } = await this.#scheduler.cycle();
    this.#afterBinding(bound);
    this.#queueProvisioning(unschedulable);
    await this.#interruption.handle(this.#notices.splice(0));
    await this.#staticPools.reconcile();
    await this.#lifecycle.reconcile();
    await this.#termination.reconcile();
  }

  #afterBinding(bound: readonly Pod[]): void {
    const now = this.#engine.elapsed();
    for (const pod of bound) {
      const key = podKey(pod);
      const stored = this.#store.getNow(
        "Pod",
        pod.metadata.name ?? "",
        pod.metadata.namespace ?? "default",
      );
      const nodeName = stored?.spec.nodeName ?? "";
      const node = this.#store.getNow("Node", nodeName);
      if (node !== undefined) this.#observer.breach(bindingBreaches(pod, node));
      // kube-scheduler's Scheduled event: where each pod went, and whose place an evicted pod's successor took.
      const replaces = this.#successors.bound(pod);
      this.#observer.event(
        "Scheduled",
        `Pod/${key}`,
        `assigned to Node/${nodeName}${replaces === undefined ? "" : `, in place of evicted Pod/${replaces}`}`,
      );
      this.#observer.bound(key, now);
      this.#unschedulable.delete(key);
      const duration = pod.metadata.annotations?.[PodDurationAnnotation];
      if (duration !== undefined)
        this.#engine.after(parseDuration(duration), () => this.#complete(pod));
    }
    this.#provisioner.forget(bound);
  }

  /** Karpenter's batching: provision once the batch has been quiet for 1 s, or after 10 s. */
  #queueProvisioning(unschedulable: readonly Pod[]): void {
    const now = this.#engine.now().getTime();
    this.#observer.pending(unschedulable.length);
    const fresh = unschedulable.filter((p) => !this.#batched.has(podKey(p)));
    if (fresh.length === 0) return;
    for (const pod of fresh) this.#batched.add(podKey(pod));
    this.#batcher.observe(now);
    const due = this.#batcher.dueAt() ?? now;
    if (this.#provisionAt !== undefined && this.#provisionAt <= due) return;
    this.#provisionAt = due;
    this.#engine.after(due - now, () => this.#provision(due));
  }

  async #provision(due: number): Promise<void> {
    const now = this.#engine.now().getTime();
    const next = this.#batcher.dueAt();
    if (this.#provisionAt !== due) return;
    if (next !== undefined && next > now) {
      this.#provisionAt = next;
      this.#engine.after(next - now, () => this.#provision(next));
      return;
    }
    this.#provisionAt = undefined;
    this.#batcher.reset();
    const pending = this.#store
      .listNow("Pod")
      .filter(
        (p) =>
          !p.spec.nodeName &&
          p.metadata.deletionTimestamp === undefined &&
          p.status?.phase !== "Succeeded",
      );
    // CapacityBuffers' virtual pods are planned with them, as the controller's operator does.
    pending.push(...(await virtualPendingPods(this.#store)));
    const unschedulable = await this.#provisioner.provision(pending);
    this.#unschedulable = new Set(unschedulable);
    this.#kick();
  }

  /**
   * Disruption polls every 10 s while a command is under way. Otherwise a pass runs at most once a
   * minute, and only when it could find something new: the cluster changed, a node's
   * consolidateAfter or expireAfter ran out, or an hour passed (budget schedules open windows).
   * Like Karpenter's "cluster is consolidated" memo, it saves re-packing an unchanged cluster.
   */
  async #disrupt(): Promise<void> {
    const elapsed = this.#engine.elapsed();
    const now = this.#engine.now().getTime();
    if (!this.#disruption.busy) {
      if (elapsed - this.#disruptionAt < 60_000) return;
      const changed = this.#store.version !== this.#disruptionVersion;
      const deadline = this.#disruptionDeadline !== undefined && now >= this.#disruptionDeadline;
      if (!changed && !deadline && elapsed - this.#disruptionAt < 3_600_000) return;
    }
    const wasBusy = this.#disruption.busy;
    await this.#disruption.reconcile();
    // A command that just finished or was given up changes what the next pass may find.
    this.#disruptionVersion = wasBusy || this.#disruption.busy ? -1 : this.#store.version;
    this.#disruptionAt = elapsed;
    this.#disruptionDeadline = await this.#disruption.nextDeadline();
  }

  // --- the simulated world ----------------------------------------------------------------

  #onChange(kind: string, object: KnownObject, deleted: boolean): void {
    if (kind === "Pod" && (object as Pod).spec.nodeName && !isDaemonPod(object as Pod))
      this.#podEventNodes.add((object as Pod).spec.nodeName ?? "");
    if (kind === "Pod") {
      if (deleted) this.#observer.deleted(object as Pod);
      else this.#observer.created(object as Pod);
    }
    if (kind === "NodeClaim" && !deleted) this.#watchLaunch(object as NodeClaim);
    if ((kind === "NodeClaim" || kind === "Node") && deleted) this.#batched = new Set();
    this.#kick();
  }

  /** The instance boots and its kubelet joins: a Node appears, tainted until registered. */
  #watchLaunch(claim: NodeClaim): void {
    const providerID = claim.status?.providerID;
    if (providerID === undefined || claim.status?.conditions?.some((c) => c.type === "Registered"))
      return;
    if (this.#launching.has(providerID)) return;
    this.#launching.add(providerID);
    const provider = this.#scenario.definition.spec.provider ?? {};
    const latency =
      parseDuration(provider.launchLatency ?? "40s") +
      parseDuration(provider.registrationLatency ?? "20s");
    this.#engine.after(latency, () => this.#join(claim));
  }

  async #join(claim: NodeClaim): Promise<void> {
    const current = this.#store.getNow("NodeClaim", claim.metadata.name ?? "");
    if (current === undefined || current.metadata.deletionTimestamp !== undefined) return;
    const name = `node-${String(++this.#nodes).padStart(4, "0")}`;
    // The kubelet registers with the labels it may set on itself (NodeRestriction); the lifecycle
    // controller puts the rest on at registration, as on a real cluster.
    const labels = Object.fromEntries(
      Object.entries(claim.metadata.labels ?? {}).filter(
        ([k]) =>
          (!k.startsWith("karpenter.sh/") || k === Labels.nodePool || k === Labels.capacityType) &&
          kubeletMaySet(k),
      ),
    );
    const node: Node = {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name, labels: { ...labels, [Labels.hostname]: name, [Labels.os]: "linux" } },
      spec: {
        providerID: claim.status?.providerID ?? "",
        taints: [{ ...Taints.unregistered }],
      },
      status: {
        capacity: claim.status?.capacity ?? {},
        allocatable: claim.status?.allocatable ?? {},
        conditions: [{ type: "Ready", status: "True" }],
      },
    };
    await this.#store.create(node);
    const startup = claim.spec.startupTaints ?? [];
    if (startup.length > 0) {
      const delay = parseDuration(
        this.#scenario.definition.spec.provider?.startupTaintLatency ?? "10s",
      );
      this.#engine.after(delay, () => this.#clearStartupTaints(name, startup));
    }
  }

  /** The owners of startup taints (a CNI, a GPU driver installer) remove them once ready. */
  async #clearStartupTaints(
    nodeName: string,
    startup: readonly { key: string; effect: string }[],
  ): Promise<void> {
    const node = this.#store.getNow("Node", nodeName);
    if (node === undefined) return;
    const taints = (node.spec?.taints ?? []).filter(
      (t) => !startup.some((s) => s.key === t.key && s.effect === t.effect),
    );
    await this.#store.update({ ...node, spec: { ...node.spec, taints } });
  }

  async #complete(pod: Pod): Promise<void> {
    const current = this.#store.getNow(
      "Pod",
      pod.metadata.name ?? "",
      pod.metadata.namespace ?? "default",
    );
    if (current === undefined || !current.spec.nodeName) return;
    await this.#store.update({ ...current, status: { ...current.status, phase: "Succeeded" } });
    this.#observer.event("PodSucceeded", `Pod/${podKey(pod)}`, "finished its work");
  }

  async #scenarioEvent(index: number): Promise<void> {
    const event = this.#scenario.definition.spec.events?.[index];
    if (event === undefined) return;
    const applied = this.#scenario.applies.get(index);
    if (applied !== undefined) await this.#apply(applied, "by the scenario");
    if (event.scale !== undefined) {
      const { kind, name, namespace, replicas } = event.scale;
      const target = this.#store.getNow(kind as "Deployment", name, namespace ?? "default");
      if (target === undefined)
        this.#observer.event(
          "ScenarioError",
          objectRef(kind, name, namespace),
          "not found, cannot scale",
        );
      else {
        await this.#store.update({ ...target, spec: { ...target.spec, replicas } });
        this.#successors.rescaled(kind, namespace ?? "default", name);
        this.#observer.event("Scaled", objectRef(kind, name, namespace), `to ${replicas} replicas`);
      }
    }
    if (event.delete !== undefined) {
      const { kind, name, namespace } = event.delete;
      try {
        await this.#store.delete({
          kind: kind as KnownObject["kind"],
          name,
          namespace: namespace ?? "default",
        });
        this.#observer.event("Deleted", objectRef(kind, name, namespace), "by the scenario");
      } catch {
        this.#observer.event(
          "ScenarioError",
          objectRef(kind, name, namespace),
          "not found, cannot delete",
        );
      }
    }
    if (event.interrupt !== undefined) this.#interrupt(event.interrupt);
    if (event.unavailable !== undefined) {
      const { for: span, ...match } = event.unavailable;
      this.#cloud.makeUnavailable(match, this.#engine.now().getTime() + parseDuration(span));
      this.#observer.event(
        "CapacityShortage",
        `Offerings/${match.instanceType ?? "*"}/${match.zone ?? "*"}/${match.capacityType ?? "*"}`,
        `no capacity for ${span}`,
      );
    }
    this.#kick();
  }

  #interrupt(spec: { capacityType?: string; nodePool?: string; count: number }): void {
    const victims = this.#random.sample(
      this.#cloud
        .running()
        .filter((i) => i.offering.capacityType === (spec.capacityType ?? "spot"))
        .filter(
          (i) =>
            spec.nodePool === undefined ||
            i.claim.metadata.labels?.[Labels.nodePool] === spec.nodePool,
        ),
      spec.count,
    );
    for (const instance of victims) {
      this.#notices.push({
        kind: "SpotInterruption",
        instanceIDs: [instanceIDOf(instance.providerID) ?? instance.providerID],
        // The simulated queue forgets a notice once it is handed out.
        ack: async () => {},
      });
      this.#observer.event(
        "InterruptionNotice",
        `Instance/${instance.providerID}`,
        "reclaimed in 2m",
      );
      this.#engine.after(InterruptionWarningMs, () => this.#reclaim(instance.providerID));
    }
    this.#kick();
  }

  /** The cloud takes the instance back: it stops, and its node and pods are gone. */
  async #reclaim(providerID: string): Promise<void> {
    const instance = this.#cloud.running().find((i) => i.providerID === providerID);
    if (instance === undefined) return;
    await this.#cloud.delete(instance.claim);
    const node = this.#store.listNow("Node").find((n) => n.spec?.providerID === providerID);
    if (node === undefined) return;
    for (const pod of this.#store
      .listNow("Pod")
      .filter((p) => p.spec.nodeName === node.metadata.name))
      await this.#store.delete({
        kind: "Pod",
        name: pod.metadata.name ?? "",
        namespace: pod.metadata.namespace,
      });
    await this.#store.delete({ kind: "Node", name: node.metadata.name ?? "" });
    this.#observer.event(
      "InstanceReclaimed",
      `Instance/${providerID}`,
      `Node/${node.metadata.name} is gone`,
    );
  }

  async #apply(object: KnownObject, source: string): Promise<void> {
    if (object.kind === "InstanceType") return;
    this.#successors.rescaled(
      object.kind,
      object.metadata.namespace ?? "default",
      object.metadata.name ?? "",
    );
    const existing = this.#store.getNow(
      object.kind,
      object.metadata.name ?? "",
      object.metadata.namespace ?? "default",
    );
    if (existing === undefined) await this.#store.create(object);
    else
      await this.#store.update({
        ...object,
        metadata: { ...object.metadata, resourceVersion: undefined },
      });
    this.#observer.event(
      "Applied",
      objectRef(object.kind, object.metadata.name ?? "", object.metadata.namespace),
      source,
    );
  }

  #periodic(everyMs: number, action: () => Promise<void> | void, firstMs = everyMs): void {
    const tick = async () => {
      await action();
      this.#engine.after(everyMs, tick);
    };
    this.#engine.after(firstMs, tick);
  }
}

function catalogOf(objects: readonly KnownObject[], region: string): Catalog {
  const types = objects.filter((o): o is InstanceTypeObject => o.kind === "InstanceType");
  if (types.length === 0) return awsCatalog(region);
  return catalogFromInstanceTypes(types).catalog;
}
