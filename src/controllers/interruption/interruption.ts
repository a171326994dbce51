import { Taints } from "../../api/wellknown.ts";
import { ClusterModel } from "../../disruption/model.ts";
import type { InterruptionQueue } from "../../ports/interruption-queue.ts";
import { type ControllerContext, catalogOf, snapshotOf } from "../context.ts";
import { createClaims } from "../nodeclaim-template.ts";

/**
 * The interruption controller: on a notice, cordon the node (the disrupted taint), launch
 * replacements for its pods at once (planned by the solver without the node), and delete its
 * NodeClaim so termination drains it before the cloud takes the instance.
 */
export class Interruption {
  readonly #context: ControllerContext;
  readonly #queue: InterruptionQueue;
  interrupted = 0;

  constructor(context: ControllerContext, queue: InterruptionQueue) {
    this.#context = context;
    this.#queue = queue;
  }

  async reconcile(): Promise<void> {
    const { store, events } = this.#context;
    for (const notice of await this.#queue.receive()) {
      const claim = (await store.list("NodeClaim")).find(
        (c) => c.status?.providerID === notice.providerID,
      );
      if (claim === undefined || claim.metadata.deletionTimestamp !== undefined) continue;
      this.interrupted++;
      const nodeName = claim.status?.nodeName;
      const node = nodeName === undefined ? undefined : await store.get("Node", nodeName);
      if (node !== undefined) {
        await store.update({
          ...node,
          spec: { ...node.spec, taints: [...(node.spec?.taints ?? []), { ...Taints.disrupted }] },
        });
      }
      const launched = node === undefined ? [] : await this.#preProvision(node.metadata.name ?? "");
      events.record({
        kind: "SpotInterrupted",
        object: `NodeClaim/${claim.metadata.name}`,
        message: `${notice.kind}: draining${launched.length > 0 ? `; replacements ${launched.join(", ")} launched` : ""}`,
      });
      await store.delete({ kind: "NodeClaim", name: claim.metadata.name ?? "" });
    }
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
