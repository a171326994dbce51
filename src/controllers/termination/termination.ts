import type { Node } from "../../api/node.ts";
import type { NodeClaim } from "../../api/nodeclaim.ts";
import type { PodDisruptionBudget } from "../../api/policy.ts";
import { Finalizers, Taints } from "../../api/wellknown.ts";
import { podKey } from "../../cluster/snapshot.ts";
import { parseDuration } from "../../disruption/duration.ts";
import { EvictionBudgets } from "../../disruption/pdb.ts";
import { terminationStep } from "../../disruption/termination.ts";
import { NodeClaimNotFoundError } from "../../ports/cloud-provider.ts";
import { NotFoundError, TooManyRequestsError } from "../../ports/cluster-store.ts";
import type { ControllerContext } from "../context.ts";

/**
 * The termination controller: for each NodeClaim being deleted, taint its node
 * `karpenter.sh/disrupted:NoSchedule`, drain it step by step (`terminationStep`: Karpenter's
 * order, PodDisruptionBudgets through the eviction API, do-not-disrupt, terminationGracePeriod),
 * then delete the instance and the node, and drop the finalizer.
 */
export class Termination {
  readonly #context: ControllerContext;

  constructor(context: ControllerContext) {
    this.#context = context;
  }

  async reconcile(): Promise<void> {
    const { store } = this.#context;
    const deleting = (await store.list("NodeClaim")).filter(
      (c) => c.metadata.deletionTimestamp !== undefined,
    );
    if (deleting.length === 0) return;
    const nodes = await store.list("Node");
    for (const claim of deleting) {
      const node = nodes.find(
        (n) =>
          n.metadata.name === claim.status?.nodeName ||
          (n.spec?.providerID !== undefined && n.spec.providerID === claim.status?.providerID),
      );
      if (node === undefined) await this.#finish(claim, undefined);
      else await this.#drain(claim, node);
    }
  }

  async #drain(claim: NodeClaim, node: Node): Promise<void> {
    const { store, clock, events } = this.#context;
    const pods = (await store.list("Pod")).filter((p) => p.spec.nodeName === node.metadata.name);
    const budgets = new EvictionBudgets(
      (await store.list("PodDisruptionBudget")) as PodDisruptionBudget[],
      await store.list("Pod"),
    );
    const step = terminationStep({
      node,
      pods,
      budgets,
      deletingSince: Date.parse(claim.metadata.deletionTimestamp ?? ""),
      gracePeriodMs:
        claim.spec.terminationGracePeriod === undefined
          ? undefined
          : parseDuration(claim.spec.terminationGracePeriod),
      now: clock.now().getTime(),
    });
    if (step.taint) {
      await store.update({
        ...node,
        spec: { ...node.spec, taints: [...(node.spec?.taints ?? []), { ...Taints.disrupted }] },
      });
      events.record({
        kind: "NodeTainted",
        object: `Node/${node.metadata.name}`,
        message: "karpenter.sh/disrupted:NoSchedule",
      });
    }
    for (const pod of step.evict) {
      try {
        await store.evict(pod);
        events.record({
          kind: "PodEvicted",
          object: `Pod/${podKey(pod)}`,
          message: `from Node/${node.metadata.name}`,
        });
      } catch (error) {
        if (!(error instanceof TooManyRequestsError)) throw error;
      }
    }
    for (const pod of step.forceDelete) {
      await store.delete({
        kind: "Pod",
        name: pod.metadata.name ?? "",
        namespace: pod.metadata.namespace,
      });
      events.record({
        kind: "PodDeleted",
        object: `Pod/${podKey(pod)}`,
        message: `terminationGracePeriod of Node/${node.metadata.name} ran out`,
      });
    }
    if (step.deleteInstance) await this.#finish(claim, node);
  }

  async #finish(claim: NodeClaim, node: Node | undefined): Promise<void> {
    const { store, cloud, events } = this.#context;
    if (claim.status?.providerID !== undefined) {
      try {
        await cloud.delete(claim);
      } catch (error) {
        if (!(error instanceof NodeClaimNotFoundError)) throw error;
      }
    }
    if (node !== undefined) {
      try {
        await store.delete({ kind: "Node", name: node.metadata.name ?? "" });
      } catch (error) {
        // A provider whose instances are Node objects (kwok) has deleted it already.
        if (!(error instanceof NotFoundError)) throw error;
      }
      // Pods still bound to the node (daemonsets, tolerating pods) go with it (pod garbage collection).
      for (const pod of (await store.list("Pod")).filter(
        (p) => p.spec.nodeName === node.metadata.name,
      ))
        await store.delete({
          kind: "Pod",
          name: pod.metadata.name ?? "",
          namespace: pod.metadata.namespace,
        });
    }
    await store.update({
      ...claim,
      metadata: {
        ...claim.metadata,
        finalizers: (claim.metadata.finalizers ?? []).filter((f) => f !== Finalizers.termination),
      },
    });
    events.record({
      kind: "NodeClaimTerminated",
      object: `NodeClaim/${claim.metadata.name}`,
      message:
        node === undefined
          ? "never joined; instance deleted"
          : `Node/${node.metadata.name} drained and its instance deleted`,
    });
  }
}
