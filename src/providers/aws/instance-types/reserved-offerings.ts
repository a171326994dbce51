import type { CapacityReservationStatus } from "../../../api/ec2nodeclass.ts";
import { CapacityTypes, Labels } from "../../../api/wellknown.ts";
import type { Offering } from "../../../catalog/instance-type.ts";

/**
 * Karpenter prices a reserved offering at the on-demand price divided by this: already paid for,
 * so cheaper than anything else, yet reservations of bigger types still cost more than smaller
 * ones, which consolidation needs (offering/reserved_capacity_resolver.go).
 */
export const ReservedPriceDivisor = 10_000_000;

/** What the status cannot say about a reservation: the provider's counts (capacity-reservations.ts). */
export interface ReservationCounts {
  availableCount(id: string): number;
  interruptible(id: string): boolean;
}

export interface ReservedOfferingsInput {
  readonly instanceType: string;
  readonly onDemandPrice: number;
  readonly reservations: readonly CapacityReservationStatus[];
  readonly counts: ReservationCounts | undefined;
  /** Zones the class has subnets in, with their zone IDs where known. */
  readonly subnetZones: ReadonlyMap<string, string | undefined>;
  /** Zones EC2 sells the type in; undefined when that could not be read (then every zone). */
  readonly typeZones: ReadonlySet<string> | undefined;
}

/**
 * One `reserved` offering per reservation of the type (Karpenter's ReservedCapacityResolver):
 * in its zone, labelled with its ID, type and whether it is interruptible (and the zone ID),
 * available while it can launch more, the type is sold there, the class has a subnet there and
 * it is not an expiring capacity block; `reservationCapacity` says how many more.
 */
export function reservedOfferings(input: ReservedOfferingsInput): Offering[] {
  return input.reservations
    .filter((r) => r.instanceType === input.instanceType)
    .map((r) => {
      const capacity = input.counts?.availableCount(r.id) ?? 0;
      const zoneID = input.subnetZones.get(r.availabilityZone);
      const available =
        capacity > 0 &&
        input.subnetZones.has(r.availabilityZone) &&
        (input.typeZones === undefined || input.typeZones.has(r.availabilityZone)) &&
        r.state !== "expiring";
      return {
        zone: r.availabilityZone,
        capacityType: CapacityTypes.reserved,
        price: input.onDemandPrice / ReservedPriceDivisor,
        available,
        reservationCapacity: capacity,
        labels: {
          ...(zoneID !== undefined && { [Labels.awsZoneID]: zoneID }),
          [Labels.awsCapacityReservationID]: r.id,
          [Labels.awsCapacityReservationType]: r.reservationType ?? "default",
          [Labels.awsCapacityReservationInterruptible]: String(
            input.counts?.interruptible(r.id) ?? false,
          ),
        },
      };
    });
}
