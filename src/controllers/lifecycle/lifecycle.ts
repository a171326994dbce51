import type { Node } from "../../api/node.ts";
import type { NodeClaim } from "../../api/nodeclaim.ts";
import { Labels, Taints } from "../../api/wellknown.ts";
import {
  InsufficientCapacityError,
  NodeClaimNotFoundError,
  NodeClassNotReadyError,
} from "../../ports/cloud-provider.ts";
import type { ControllerContext } from "../context.ts";

/** Karpenter deletes a NodeClaim whose node has not registered 15 minutes after launch. */
export const RegistrationTtlMs = 15 * 60_000;
/** A launch that failed (not for capacity) is tried again this long after. */
export const LaunchRetryMs = 30_000;

/**
 * The NodeClaim lifecycle: launch (through the CloudProvider), register (the node has joined:
 * the claim's labels and taints go onto it, the unregistered taint comes off), initialize (the
 * node is Ready and its startup taints are gone — their owners remove them). A launch that fails
 * for capacity marks the offerings unavailable and gives the claim up, so its pods are planned
 * again on the next cheapest offering; a node that does not register in time is given up too.
 * Instances no NodeClaim accounts for are garbage-collected.
 */
export class Lifecycle {
  readonly #context: ControllerContext;
  /** When a failed launch was last tried, by claim name. */
  readonly #lastAttempt = new Map<string, number>();

  constructor(context: ControllerContext) {
    this.#context = context;
  }

  async reconcile(): Promise<void> {
    const { store } = this.#context;
    const nodes = await store.list("Node");
    const byProvider = new Map(nodes.map((n) => [n.spec?.providerID ?? "", n]));
    for (const claim of await store.list("NodeClaim")) {
      if (claim.metadata.deletionTimestamp !== undefined) continue;
      const providerID = claim.status?.providerID;
      if (providerID === undefined) {
        const last = this.#lastAttempt.get(claim.metadata.name ?? "");
        if (last === undefined || this.#context.clock.now().getTime() - last >= LaunchRetryMs)
          await this.#launch(claim);
      } else {
        const node = byProvider.get(providerID);
        if (node === undefined) await this.#awaitRegistration(claim);
        else if (claim.status?.nodeName === undefined) await this.#register(claim, node);
        else if (!hasCondition(claim, "Initialized")) await this.#initialize(claim, node);
      }
    }
    await this.#collectGarbage();
  }

  async #launch(claim: NodeClaim): Promise<void> {
    const { store, cloud, events, clock, unavailable } = this.#context;
    const name = claim.metadata.name ?? "";
    try {
      const launched = await cloud.create(claim);
      await store.update({
        ...launched,
        status: { ...launched.status, conditions: [condition("Launched", clock.now())] },
      });
      events.record({
        kind: "NodeClaimLaunched",
        object: `NodeClaim/${name}`,
        message: `${launched.metadata.labels?.[Labels.instanceType]} ${launched.metadata.labels?.[Labels.capacityType]} in ${launched.metadata.labels?.[Labels.zone]} as ${launched.status?.providerID}`,
      });
    } catch (error) {
      if (!(error instanceof InsufficientCapacityError)) return this.#launchFailed(claim, error);
      for (const offering of error.offerings) unavailable.mark(offering, clock.now().getTime());
      events.record({
        kind: "InsufficientCapacity",
        object: `NodeClaim/${name}`,
        message: `no capacity for ${error.offerings
          .map((o) => `${o.instanceType}/${o.zone}/${o.capacityType}`)
          .slice(0, 3)
          .join(
            ", ",
          )}${error.offerings.length > 3 ? ` and ${error.offerings.length - 3} more` : ""}; unavailable for 3m, its pods will be planned again`,
      });
      await store.delete({ kind: "NodeClaim", name });
    }
  }

  /**
   * A launch that failed for another reason than capacity (a power hook that failed, a node class
   * not ready): `Launched=False` with the reason on the claim and a Warning Event, and the launch
   * is tried again no sooner than LaunchRetryMs later. A claim that has not launched within the
   * registration TTL of its creation is given up, so its pods are planned again (Karpenter's
   * liveness).
   */
  async #launchFailed(claim: NodeClaim, error: unknown): Promise<void> {
    const { store, clock, events } = this.#context;
    const name = claim.metadata.name ?? "";
    const now = clock.now();
    this.#lastAttempt.set(name, now.getTime());
    const reason = error instanceof NodeClassNotReadyError ? "NodeClassNotReady" : "LaunchFailed";
    const message = error instanceof Error ? error.message : String(error);
    const created = Date.parse(claim.metadata.creationTimestamp ?? "");
    if (now.getTime() - created >= RegistrationTtlMs) {
      events.record({
        kind: "LaunchFailed",
        object: `NodeClaim/${name}`,
        message: `not launched within 15m, given up: ${message}`,
      });
      await store.delete({ kind: "NodeClaim", name });
      return;
    }
    // The provider may have written the claim meanwhile (a machine recorded, then freed).
    const current = (await store.get("NodeClaim", name)) ?? claim;
    const before = current.status?.conditions?.find((c) => c.type === "Launched");
    if (before?.status !== "False" || before.reason !== reason || before.message !== message)
      await store.update({
        ...current,
        status: {
          ...current.status,
          conditions: [
            ...(current.status?.conditions ?? []).filter((c) => c.type !== "Launched"),
            {
              type: "Launched",
              status: "False",
              reason,
              message,
              lastTransitionTime:
                before?.status === "False"
                  ? (before.lastTransitionTime ?? now.toISOString())
                  : now.toISOString(),
            },
          ],
        },
      });
    events.record({ kind: "LaunchFailed", object: `NodeClaim/${name}`, message });
  }

  async #awaitRegistration(claim: NodeClaim): Promise<void> {
    const launched = claim.status?.conditions?.find((c) => c.type === "Launched");
    const since = Date.parse(launched?.lastTransitionTime ?? "");
    if (!(this.#context.clock.now().getTime() - since >= RegistrationTtlMs)) return;
    this.#context.events.record({
      kind: "RegistrationTimeout",
      object: `NodeClaim/${claim.metadata.name}`,
      message: "the node did not register within 15m; the instance is terminated",
    });
    await this.#context.store.delete({ kind: "NodeClaim", name: claim.metadata.name ?? "" });
  }

  async #register(claim: NodeClaim, node: Node): Promise<void> {
    const { store, clock, events } = this.#context;
    const taints = (node.spec?.taints ?? []).filter((t) => t.key !== Taints.unregistered.key);
    for (const taint of [...(claim.spec.taints ?? []), ...(claim.spec.startupTaints ?? [])]) {
      if (!taints.some((t) => t.key === taint.key && t.effect === taint.effect)) taints.push(taint);
    }
    await store.update({
      ...node,
      metadata: {
        ...node.metadata,
        labels: { ...node.metadata.labels, ...claim.metadata.labels, [Labels.registered]: "true" },
      },
      spec: { ...node.spec, taints },
    });
    await store.update({
      ...claim,
      status: {
        ...claim.status,
        nodeName: node.metadata.name ?? "",
        conditions: [...(claim.status?.conditions ?? []), condition("Registered", clock.now())],
      },
    });
    events.record({
      kind: "NodeRegistered",
      object: `NodeClaim/${claim.metadata.name}`,
      message: `as Node/${node.metadata.name}`,
    });
  }

  async #initialize(claim: NodeClaim, node: Node): Promise<void> {
    const ready = node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True");
    const startup = claim.spec.startupTaints ?? [];
    const waiting = (node.spec?.taints ?? []).some((t) =>
      startup.some((s) => s.key === t.key && s.effect === t.effect),
    );
    if (!ready || waiting) return;
    const { store, clock, events } = this.#context;
    await store.update({
      ...node,
      metadata: {
        ...node.metadata,
        labels: { ...node.metadata.labels, [Labels.initialized]: "true" },
      },
    });
    await store.update({
      ...claim,
      status: {
        ...claim.status,
        conditions: [...(claim.status?.conditions ?? []), condition("Initialized", clock.now())],
      },
    });
    events.record({
      kind: "NodeInitialized",
      object: `NodeClaim/${claim.metadata.name}`,
      message: "ready for pods",
    });
  }

  /** Instances whose NodeClaim is gone (Karpenter's garbage collection). */
  async #collectGarbage(): Promise<void> {
    const { store, cloud, events } = this.#context;
    const claims = await store.list("NodeClaim");
    const claimed = new Set(claims.map((c) => c.status?.providerID));
    // An instance launched for a claim whose status is not written yet (a restart mid-launch) is
    // still that claim's: matched by the claim's name, which every provider reports.
    const names = new Set(claims.map((c) => c.metadata.name));
    for (const instance of await cloud.list()) {
      if (claimed.has(instance.status?.providerID) || names.has(instance.metadata.name)) continue;
      try {
        await cloud.delete(instance);
      } catch (error) {
        if (!(error instanceof NodeClaimNotFoundError)) throw error;
      }
      events.record({
        kind: "GarbageCollected",
        object: `Instance/${instance.status?.providerID}`,
        message: "no NodeClaim owns it",
      });
    }
  }
}

export function hasCondition(claim: NodeClaim, type: string): boolean {
  return (claim.status?.conditions ?? []).some((c) => c.type === type && c.status === "True");
}

/**
 * A condition turned True, as Karpenter writes one (operatorpkg's SetTrue): the type as its reason
 * and an empty message. Karpenter's CRD requires both, so a server with its CRDs refuses without.
 */
function condition(type: string, now: Date) {
  return { type, status: "True", reason: type, message: "", lastTransitionTime: now.toISOString() };
}
