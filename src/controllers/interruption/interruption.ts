import type { NodeClaim } from "../../api/nodeclaim.ts";
import { Labels, Taints } from "../../api/wellknown.ts";
import { ClusterModel } from "../../disruption/model.ts";
import { NotFoundError } from "../../ports/cluster-store.ts";
import type { InterruptionKind, InterruptionNotice } from "../../ports/interruption-queue.ts";
import { type ControllerContext, catalogOf, snapshotOf } from "../context.ts";
import { createClaims } from "../nodeclaim-template.ts";
import { interruptionActions } from "./actions.ts";
import { instanceIDOf } from "./instance-id.ts";

/**
 * The interruption controller, as Karpenter's AWS one: each notice is matched to NodeClaims by
 * instance ID and acted on by its kind (see actions.ts) — cordon the node with the disrupted taint,
 * launch replacements for its pods at once (planned by the solver without the node), and delete the
 * NodeClaim so termination drains it before the cloud takes the instance — then acknowledged. A
 * notice whose handling fails is not acknowledged, so the queue hands it out again.
 */
export class Interruption {
  readonly #context: ControllerContext;
  /** Claims drained for an interruption, for the simulation's summary. */
  interrupted = 0;

  constructor(context: ControllerContext) {
    this.#context = context;
  }

  async handle(notices: readonly InterruptionNotice[]): Promise<void> {
    if (notices.length === 0) return;
    const claims = claimsByInstanceID(await this.#context.store.list("NodeClaim"));
    // A claim named by two notices in one batch (a spot warning, then its state change) is acted
    // on once: the list above does not yet show the first deletion.
    const done = new Set<string>();
    let failure: unknown;
    for (const notice of notices) {
      try {
        for (const id of notice.instanceIDs) {
          const claim = claims.get(id);
          const name = claim?.metadata.name ?? "";
          if (claim === undefined || claim.metadata.deletionTimestamp !== undefined) continue;
          if (done.has(name)) continue;
          if (await this.#act(notice.kind, claim)) done.add(name);
        }
        await notice.ack();
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined) throw failure;
  }

  /** Acts on one claim; true when it was drained. */
  async #act(kind: InterruptionKind, claim: NodeClaim): Promise<boolean> {
    const { store, events, unavailable, clock } = this.#context;
    const action = interruptionActions[kind];
    const object = `NodeClaim/${claim.metadata.name}`;
    const nodeName = claim.status?.nodeName;
    if (!action.drain) {
      events.record({ kind: action.event, object, message: `${kind}: no action taken` });
      return false;
    }
    const labels = claim.metadata.labels ?? {};
    const instanceType = labels[Labels.instanceType];
    const zone = labels[Labels.zone];
    if (action.offeringUnavailable && instanceType !== undefined && zone !== undefined)
      unavailable.mark({ instanceType, zone, capacityType: "spot" }, clock.now().getTime());
    this.interrupted++;
    const node = nodeName === undefined ? undefined : await store.get("Node", nodeName);
    const taints = node?.spec?.taints ?? [];
    if (node !== undefined && !taints.some((t) => t.key === Taints.disrupted.key)) {
      await store.update({
        ...node,
        spec: { ...node.spec, taints: [...taints, { ...Taints.disrupted }] },
      });
    }
    const launched =
      node !== undefined && action.preProvision
        ? await this.#preProvision(node.metadata.name ?? "")
        : [];
    const replacements =
      launched.length > 0 ? `; replacements ${launched.join(", ")} launched` : "";
    events.record({
      kind: action.event,
      object,
      message: `${kind}: draining${node === undefined ? "" : ` Node/${nodeName}`}${replacements}`,
    });
    try {
      await store.delete({ kind: "NodeClaim", name: claim.metadata.name ?? "" });
    } catch (error) {
      // Gone already (the cloud or a user was quicker): what the notice asked for is done.
      if (!(error instanceof NotFoundError)) throw error;
    }
    return true;
  }

  async #preProvision(nodeName: string): Promise<string[]> {
    const { store } = this.#context;
    const model = new ClusterModel(await snapshotOf(store), await catalogOf(this.#context));
    const node = model.node(nodeName);
    if (node === undefined) return [];
    const replacements = model.repack([node]).replacements;
    return createClaims(store, replacements);
  }
}

function claimsByInstanceID(claims: readonly NodeClaim[]): Map<string, NodeClaim> {
  const byID = new Map<string, NodeClaim>();
  for (const claim of claims) {
    const id = instanceIDOf(claim.status?.providerID ?? "");
    if (id !== undefined) byID.set(id, claim);
  }
  return byID;
}
