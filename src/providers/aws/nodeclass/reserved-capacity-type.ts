import type { NodeClaim } from "../../../api/nodeclaim.ts";
import { CapacityTypes, Labels } from "../../../api/wellknown.ts";
import type { Clock } from "../../../ports/clock.ts";
import type { CloudProvider } from "../../../ports/cloud-provider.ts";
import type { ClusterStore } from "../../../ports/cluster-store.ts";
import type { NodeClassLog } from "./controller.ts";

export interface ReservedCapacityTypeOptions {
  readonly store: ClusterStore;
  readonly cloud: Pick<CloudProvider, "list">;
  readonly clock: Clock;
  readonly log?: NodeClassLog;
}

/** Karpenter checks once a minute: each check lists the cluster's instances. */
export const CapacityTypeCheckMs = 60_000;

/**
 * Karpenter's capacityreservation.capacitytype controller: when a reservation ends, its instances
 * run on as plain on-demand ones, so a NodeClaim labelled `reserved` whose instance EC2 now
 * reports as on-demand becomes `on-demand` and loses its reservation ID — and so does its Node,
 * once registered (before that, registration copies the claim's labels). Only that demotion: an
 * on-demand instance is never promoted into a reservation.
 */
export class ReservedCapacityTypeController {
  readonly name = "capacityreservation.capacitytype";
  readonly #o: ReservedCapacityTypeOptions;
  #checkedAt = Number.NEGATIVE_INFINITY;

  constructor(options: ReservedCapacityTypeOptions) {
    this.#o = options;
  }

  async reconcile(): Promise<void> {
    const now = this.#o.clock.now().getTime();
    if (now - this.#checkedAt < CapacityTypeCheckMs) return;
    const reserved = (await this.#o.store.list("NodeClaim")).filter(
      (c) =>
        c.metadata.deletionTimestamp === undefined &&
        c.metadata.labels?.[Labels.capacityType] === CapacityTypes.reserved &&
        c.status?.providerID !== undefined,
    );
    if (reserved.length === 0) return;
    this.#checkedAt = now;
    const byProviderID = new Map(
      (await this.#o.cloud.list()).map((c) => [c.status?.providerID, c.metadata.labels]),
    );
    const demoted = reserved.filter(
      (c) =>
        byProviderID.get(c.status?.providerID)?.[Labels.capacityType] === CapacityTypes.onDemand,
    );
    if (demoted.length === 0) return;
    const nodes = await this.#o.store.list("Node");
    for (const claim of demoted) {
      await this.#o.store.update({ ...claim, metadata: onDemand(claim.metadata) });
      for (const node of nodes)
        if (
          node.spec?.providerID === claim.status?.providerID &&
          node.metadata.deletionTimestamp === undefined &&
          node.metadata.labels?.[Labels.registered] === "true" &&
          node.metadata.labels?.[Labels.capacityType] === CapacityTypes.reserved
        )
          await this.#o.store.update({ ...node, metadata: onDemand(node.metadata) });
    }
    this.#o.log?.info(
      { kind: "NodeClaim", names: demoted.map((c) => c.metadata.name) },
      "updated capacity type for nodeclaims",
    );
  }
}

function onDemand<M extends NodeClaim["metadata"]>(metadata: M): M {
  const labels: Record<string, string> = {
    ...metadata.labels,
    [Labels.capacityType]: CapacityTypes.onDemand,
  };
  delete labels[Labels.awsCapacityReservationID];
  return { ...metadata, labels };
}
