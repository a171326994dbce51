import { CapacityTypes, Labels } from "../../../api/wellknown.ts";
import type { OfferingChoice } from "../../offering-choice.ts";

/** The reservation a reserved offering launches into, from its labels (reserved-offerings.ts). */
export interface ReservationTarget {
  readonly id: string;
  readonly reservationType: "default" | "capacity-block";
  readonly interruptible: boolean;
}

export function reservationOf(choice: OfferingChoice): ReservationTarget | undefined {
  const labels = choice.offering.labels ?? {};
  const id = labels[Labels.awsCapacityReservationID];
  if (choice.offering.capacityType !== CapacityTypes.reserved || id === undefined) return undefined;
  return {
    id,
    reservationType:
      labels[Labels.awsCapacityReservationType] === "capacity-block" ? "capacity-block" : "default",
    interruptible: labels[Labels.awsCapacityReservationInterruptible] === "true",
  };
}

/**
 * The reserved offerings one CreateFleet can take, as Karpenter's launch filters narrow them
 * (instance/filter/filter.go), because a fleet has one market type and one offering per pool:
 * only one reservation type — the one with the cheapest offering, default before capacity-block
 * on a tie; of capacity blocks only the cheapest one; otherwise, per type and zone, the
 * reservation with the most capacity left. Input in launch order; output keeps it.
 */
export function reservedFleetChoices(launchable: readonly OfferingChoice[]): OfferingChoice[] {
  const reserved = launchable.flatMap((choice) => {
    const target = reservationOf(choice);
    return target === undefined ? [] : [{ choice, target }];
  });
  if (reserved.length === 0) return [];
  const cheapest = (type: ReservationTarget["reservationType"]) =>
    Math.min(
      ...reserved
        .filter((r) => r.target.reservationType === type)
        .map((r) => r.choice.offering.price),
    );
  const blocks = cheapest("capacity-block") < cheapest("default");
  const ofType = reserved.filter((r) => (r.target.reservationType === "capacity-block") === blocks);
  if (blocks) {
    const [best] = [...ofType].sort((a, b) => a.choice.offering.price - b.choice.offering.price);
    return best === undefined ? [] : [best.choice];
  }
  const byPool = new Map<string, OfferingChoice>();
  for (const { choice } of ofType) {
    const pool = `${choice.instanceType.name}/${choice.offering.zone}`;
    const kept = byPool.get(pool);
    if (
      kept === undefined ||
      (choice.offering.reservationCapacity ?? 0) > (kept.offering.reservationCapacity ?? 0)
    )
      byPool.set(pool, choice);
  }
  const keep = new Set(byPool.values());
  return ofType.map((r) => r.choice).filter((c) => keep.has(c));
}
