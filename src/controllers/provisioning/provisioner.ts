import { isVirtualPod } from "../../api/capacitybuffer-pods.ts";
import { defaultNodePool } from "../../api/nodepool.ts";
import type { Pod } from "../../api/pod.ts";
import { podKey } from "../../cluster/snapshot.ts";
import { toPlan } from "../../plan.ts";
import { poolStatusReason } from "../../solver/pool-readiness.ts";
import { solverInput } from "../../solver/snapshot-input.ts";
import { solve } from "../../solver/solve.ts";
import { recordBufferProvisioning } from "../capacity-buffer/provisioning.ts";
import { type ControllerContext, catalogOf, snapshotOf } from "../context.ts";
import { nodeClaimFor } from "../nodeclaim-template.ts";

/**
 * The provisioning controller: for a batch of pods the scheduler could not place, runs the solver
 * on the cluster as it is (nodes and in-flight NodeClaims count as capacity) and creates a
 * NodeClaim for each new node planned. Pods that fit nowhere are reported once.
 */
export class Provisioner {
  readonly #context: ControllerContext;
  readonly #reported = new Set<string>();

  constructor(context: ControllerContext) {
    this.#context = context;
  }

  /** Plans and creates NodeClaims for the pods; returns the keys of pods that fit nowhere. */
  async provision(pods: readonly Pod[]): Promise<string[]> {
    if (pods.length === 0) return [];
    const snapshot = await snapshotOf(this.#context.store);
    const catalog = await catalogOf(this.#context);
    // A pool reported not Ready (its node class is missing or not ready) is not launched from,
    // and a static pool only by its own controller; the solver says so in the pods' reasons.
    const notReadyPools = new Map(
      snapshot.nodePools.flatMap((p) => {
        const reason = poolStatusReason(p);
        return reason === undefined ? [] : [[p.metadata.name ?? "", reason] as const];
      }),
    );
    const plan = toPlan(
      solve({ ...solverInput(snapshot), notReadyPools, pendingPods: [...pods], catalog }),
    );
    await recordBufferProvisioning(this.#context, pods, plan);
    const pools = new Map(
      snapshot.nodePools.map((p) => [p.metadata.name ?? "", defaultNodePool(p)]),
    );
    for (const planned of plan.nodeClaims) {
      const nodePool = pools.get(planned.nodePool);
      if (nodePool === undefined) continue;
      const created = await this.#context.store.create(
        nodeClaimFor({
          nodePool,
          instanceTypeOptions: planned.instanceTypeOptions,
          zone: planned.zone,
          capacityType: planned.capacityType,
        }),
      );
      this.#context.events.record({
        kind: "NodeClaimCreated",
        object: `NodeClaim/${created.metadata.name}`,
        message: `for ${planned.pods.length} pod(s): ${planned.instanceType} (${planned.instanceTypeOptions.length} option(s)) ${planned.capacityType} in ${planned.zone} at $${planned.price}/h`,
      });
    }
    // A CapacityBuffer's virtual pods are no pods to tell anyone about (filterVirtualPodErrors).
    const virtual = new Set(pods.filter(isVirtualPod).map(podKey));
    const unschedulable = plan.unschedulable.map((u) => u.pod).filter((key) => !virtual.has(key));
    for (const entry of plan.unschedulable) {
      if (virtual.has(entry.pod) || this.#reported.has(entry.pod)) continue;
      this.#reported.add(entry.pod);
      this.#context.events.record({
        kind: "PodUnschedulable",
        object: `Pod/${entry.pod}`,
        message: entry.reasons.map((r) => `${r.target}: ${r.reason}`).join("; ") || "no NodePool",
      });
    }
    return unschedulable;
  }

  /** Pods no longer pending are forgotten, so a pod pending again is reported again. */
  forget(pods: readonly Pod[]): void {
    for (const pod of pods) this.#reported.delete(podKey(pod));
  }
}
