import type { NodeClaim } from "../../api/nodeclaim.ts";
import { defaultNodePool } from "../../api/nodepool.ts";
import type { Pod } from "../../api/pod.ts";
import { Taints } from "../../api/wellknown.ts";
import { type DisruptionPlan, toDisruptionPlan } from "../../disrupt.ts";
import { disruptCluster } from "../../disruption/disrupt.ts";
import { invalidDoNotDisruptMessage, podProtection } from "../../disruption/do-not-disrupt.ts";
import { parseDuration } from "../../disruption/duration.ts";
import { type ControllerContext, catalogOf, snapshotOf } from "../context.ts";
import { hasCondition } from "../lifecycle/lifecycle.ts";
import { createClaims } from "../nodeclaim-template.ts";
import { isUsable } from "../nodepool/status.ts";

type Command = DisruptionPlan["commands"][number];

/** Karpenter waits this long and checks a consolidation again before acting on it. */
export const ValidationDelayMs = 15_000;
/** A replacement that is not initialized by then is given up, and the command with it. */
export const ReplacementTimeoutMs = 15 * 60_000;

/**
 * The disruption controller: finds the first command of a disruption pass (`disruptCluster`),
 * waits 15 s and checks that the pass still proposes it, then carries it out as Karpenter does —
 * taint the nodes `karpenter.sh/disrupted:NoSchedule`, launch the replacements, and once they are
 * initialized delete the nodes' NodeClaims (termination drains them). Expired nodes are deleted at
 * once: expiration does not wait. One command at a time.
 */
export class Disruption {
  readonly #context: ControllerContext;
  #candidate: { command: Command; validateAt: number } | undefined;
  #inFlight: { command: Command; replacements: string[]; since: number } | undefined;
  /** Commands carried out, by reason. */
  readonly done = { Empty: 0, Underutilized: 0, Drifted: 0, Expired: 0 };

  readonly #spotToSpot: boolean;
  /** Pods told their do-not-disrupt value is ignored, with that value: told once, not every pass. */
  readonly #warnedInvalid = new Map<string, string>();

  /** `spotToSpot`: Karpenter's SpotToSpotConsolidation feature gate (default on, as `carpool disrupt`). */
  constructor(context: ControllerContext, options: { readonly spotToSpot?: boolean } = {}) {
    this.#context = context;
    this.#spotToSpot = options.spotToSpot ?? true;
  }

  /** Whether a command is waiting or under way (the caller polls more often then). */
  get busy(): boolean {
    return this.#candidate !== undefined || this.#inFlight !== undefined;
  }

  async reconcile(): Promise<void> {
    const now = this.#context.clock.now().getTime();
    if (this.#inFlight !== undefined) return this.#advance(now);
    if (this.#candidate !== undefined) {
      if (now < this.#candidate.validateAt) return;
      const { command } = this.#candidate;
      this.#candidate = undefined;
      const again = (await this.#plan()).commands.find((c) => sameCommand(c, command));
      if (again === undefined) {
        this.#record("DisruptionInvalidated", command, "no longer valid after 15s");
        return;
      }
      return this.#execute(again, now);
    }
    const command = (await this.#plan()).commands[0];
    if (command === undefined) return;
    if (command.reason === "Expired") return this.#execute(command, now);
    this.#candidate = { command, validateAt: now + ValidationDelayMs };
  }

  /**
   * The next moment a pass could find something new without the cluster changing: a node's
   * consolidateAfter running out (from its last pod event or initialization) or its expireAfter.
   */
  async nextDeadline(): Promise<number | undefined> {
    const { store, clock } = this.#context;
    const now = clock.now().getTime();
    const pools = new Map(
      (await store.list("NodePool")).map((p) => [p.metadata.name ?? "", defaultNodePool(p)]),
    );
    let next: number | undefined;
    const consider = (t: number) => {
      if (Number.isFinite(t) && t > now && (next === undefined || t < next)) next = t;
    };
    // A pod's do-not-disrupt duration running out frees its node for disruption.
    for (const pod of await store.list("Pod")) {
      if (pod.spec.nodeName === undefined) continue;
      const protection = podProtection(pod, now);
      if (protection.active && protection.until !== undefined) consider(protection.until);
    }
    for (const claim of await store.list("NodeClaim")) {
      const pool = pools.get(claim.metadata.labels?.["karpenter.sh/nodepool"] ?? "");
      if (pool === undefined || claim.status?.nodeName === undefined) continue;
      const initialized = claim.status.conditions?.find(
        (c) => c.type === "Initialized",
      )?.lastTransitionTime;
      const since = Date.parse(claim.status.lastPodEventTime ?? initialized ?? "");
      consider(since + parseDuration(pool.spec.disruption?.consolidateAfter ?? "0s"));
      const created = Date.parse(claim.metadata.creationTimestamp ?? "");
      consider(
        created +
          parseDuration(claim.spec.expireAfter ?? pool.spec.template.spec.expireAfter ?? "720h"),
      );
    }
    return next;
  }

  async #plan(): Promise<DisruptionPlan> {
    const all = await snapshotOf(this.#context.store);
    // Nodes of a pool reported not Ready (a node class this provider cannot serve) are left alone:
    // their replacements could not be launched, nor their instances deleted.
    const snapshot = { ...all, nodePools: all.nodePools.filter(isUsable) };
    this.#warnInvalidDoNotDisrupt(snapshot.boundPods);
    const catalog = await catalogOf(this.#context);
    return toDisruptionPlan(
      disruptCluster(snapshot, catalog, {
        now: this.#context.clock.now(),
        maxCommands: 1,
        spotToSpot: this.#spotToSpot,
        providerDrift: await providerDrift(this.#context, snapshot.nodeClaims),
      }),
    );
  }

  async #execute(command: Command, now: number): Promise<void> {
    const { store } = this.#context;
    for (const name of command.nodes) {
      const node = await store.get("Node", name);
      if (
        node === undefined ||
        (node.spec?.taints ?? []).some((t) => t.key === Taints.disrupted.key)
      )
        continue;
      await store.update({
        ...node,
        spec: { ...node.spec, taints: [...(node.spec?.taints ?? []), { ...Taints.disrupted }] },
      });
    }
    // Expired nodes go at once; their pods are provisioned for afterwards (Karpenter v1).
    const replacements =
      command.reason === "Expired" ? [] : await createClaims(store, command.replacements);
    this.#record(
      `Disruption${replacements.length === 0 ? "Delete" : "Replace"}`,
      command,
      command.reason === "Expired"
        ? `${command.why}; its pods get new nodes from the provisioner`
        : `${command.why}; saves $${command.savings.toFixed(4)}/h${replacements.length > 0 ? `; launching ${replacements.join(", ")} first` : ""}`,
    );
    this.#inFlight = { command, replacements, since: now };
    await this.#advance(now);
  }

  /** Deletes the nodes once every replacement is initialized; gives up if one is lost. */
  async #advance(now: number): Promise<void> {
    const flight = this.#inFlight;
    if (flight === undefined) return;
    const { store } = this.#context;
    const claims = await Promise.all(
      flight.replacements.map((name) => store.get("NodeClaim", name)),
    );
    const lost = claims.some((c) => c === undefined || c.metadata.deletionTimestamp !== undefined);
    if (lost || now - flight.since > ReplacementTimeoutMs) {
      this.#inFlight = undefined;
      await this.#untaint(flight.command.nodes);
      this.#record(
        "DisruptionAborted",
        flight.command,
        "a replacement failed to launch; nodes untainted",
      );
      return;
    }
    if (!claims.every((c) => c !== undefined && hasCondition(c, "Initialized"))) return;
    this.#inFlight = undefined;
    const nodeClaims = await store.list("NodeClaim");
    for (const name of flight.command.nodes) {
      const claim = nodeClaims.find((c: NodeClaim) => c.status?.nodeName === name);
      if (claim !== undefined && claim.metadata.deletionTimestamp === undefined)
        await store.delete({ kind: "NodeClaim", name: claim.metadata.name ?? "" });
    }
    this.done[flight.command.reason]++;
  }

  async #untaint(nodes: readonly string[]): Promise<void> {
    for (const name of nodes) {
      const node = await this.#context.store.get("Node", name);
      if (node === undefined) continue;
      const taints = (node.spec?.taints ?? []).filter((t) => t.key !== Taints.disrupted.key);
      await this.#context.store.update({ ...node, spec: { ...node.spec, taints } });
    }
  }

  /** Karpenter's Event for a do-not-disrupt value it ignores, once per pod and value. */
  #warnInvalidDoNotDisrupt(pods: readonly Pod[]): void {
    const now = this.#context.clock.now().getTime();
    const seen = new Set<string>();
    for (const pod of pods) {
      const key = `${pod.metadata.namespace ?? "default"}/${pod.metadata.name ?? ""}`;
      seen.add(key);
      const protection = podProtection(pod, now);
      if (protection.active || protection.invalid === undefined) continue;
      if (this.#warnedInvalid.get(key) === protection.invalid) continue;
      this.#warnedInvalid.set(key, protection.invalid);
      this.#context.events.record({
        kind: "InvalidDoNotDisrupt",
        object: `Pod/${key}`,
        message: invalidDoNotDisruptMessage(protection.invalid),
      });
    }
    for (const key of this.#warnedInvalid.keys())
      if (!seen.has(key)) this.#warnedInvalid.delete(key);
  }

  #record(kind: string, command: Command, message: string): void {
    this.#context.events.record({
      kind,
      object: command.nodes.map((n) => `Node/${n}`).join(","),
      // The command's own words already begin with its reason ("underutilized: …"): said once.
      message: message.toLowerCase().startsWith(`${command.reason.toLowerCase()}:`)
        ? `${command.reason}${message.slice(command.reason.length)}`
        : `${command.reason}: ${message}`,
    });
  }
}

function sameCommand(a: Command, b: Command): boolean {
  return a.reason === b.reason && a.action === b.action && a.nodes.join() === b.nodes.join();
}

/** What the cloud provider says has drifted, for the claims that have launched (Karpenter asks it per claim). */
export async function providerDrift(
  context: ControllerContext,
  claims: readonly NodeClaim[],
): Promise<Map<string, string>> {
  const drifted = new Map<string, string>();
  for (const claim of claims) {
    if (claim.status?.providerID === undefined || claim.metadata.deletionTimestamp !== undefined)
      continue;
    const reason = await context.cloud.isDrifted(claim);
    if (reason !== undefined) drifted.set(claim.metadata.name ?? "", reason);
  }
  return drifted;
}
