import { Labels } from "../../../api/wellknown.ts";
import type { Clock } from "../../../ports/clock.ts";
import type { ClusterStore } from "../../../ports/cluster-store.ts";
import { type CapacityReservations, reservationStatus } from "./capacity-reservations.ts";
import type { NodeClassLog } from "./controller.ts";

export interface CapacityBlockExpirationOptions {
  readonly store: ClusterStore;
  readonly clock: Clock;
  readonly reservations: CapacityReservations;
  readonly log?: NodeClassLog;
}

/**
 * Karpenter's capacityreservation.expiration controller: a NodeClaim in a capacity block that is
 * expiring (40 minutes before its end; EC2 starts reclaiming the instances 10 minutes later, as
 * its interruption notice says) is deleted, so its pods are drained and replaced while there is
 * still time, rather than lost when EC2 takes the instance back.
 */
export class CapacityBlockExpirationController {
  readonly name = "capacityreservation.expiration";
  readonly #o: CapacityBlockExpirationOptions;

  constructor(options: CapacityBlockExpirationOptions) {
    this.#o = options;
  }

  async reconcile(): Promise<void> {
    const claims = (await this.#o.store.list("NodeClaim")).filter(
      (c) =>
        c.spec.nodeClassRef.kind === "EC2NodeClass" &&
        c.metadata.deletionTimestamp === undefined &&
        c.metadata.labels?.[Labels.awsCapacityReservationID] !== undefined,
    );
    if (claims.length === 0) return;
    const ids = [
      ...new Set(claims.map((c) => c.metadata.labels?.[Labels.awsCapacityReservationID] ?? "")),
    ].sort();
    const now = this.#o.clock.now();
    const expiring = new Set(
      (await this.#o.reservations.list(ids.map((id) => ({ id }))))
        .map((r) => reservationStatus(r, now))
        .flatMap((reading) =>
          reading.ok && reading.status.state === "expiring" ? [reading.status.id] : [],
        ),
    );
    for (const claim of claims) {
      const id = claim.metadata.labels?.[Labels.awsCapacityReservationID] ?? "";
      if (!expiring.has(id)) continue;
      await this.#o.store.delete({ kind: "NodeClaim", name: claim.metadata.name ?? "" });
      this.#o.log?.info(
        { kind: "NodeClaim", name: claim.metadata.name, capacityReservationID: id },
        "initiating delete for capacity block expiration",
      );
    }
  }
}
