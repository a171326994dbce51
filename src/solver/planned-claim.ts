import { Labels } from "../api/wellknown.ts";
import { type Offering, pricePartsOf, reservationKey } from "../catalog/instance-type.ts";
import { addResources, formatResources } from "../resources/resource-list.ts";
import { type LaunchOffering, launchOffering } from "./launch-offering.ts";
import type { NewClaim } from "./new-claim.ts";
import type { PlannedNodeClaim } from "./plan.ts";

/**
 * What the plan says of a claim: launched on the offering Karpenter would launch it on (capacity
 * type by launch order, then cheapest), with every compatible type as an option (cheapest first)
 * and the complete label set the node will carry.
 */
export function plannedClaim(
  claim: NewClaim,
  exhausted?: (type: string, offering: Offering) => boolean,
): PlannedNodeClaim {
  return plannedFrom(claim, launchOffering(claim, exhausted));
}

function plannedFrom(claim: NewClaim, launch: LaunchOffering | undefined): PlannedNodeClaim {
  if (launch === undefined) throw new Error(`claim ${claim.name} has no offering left`);
  const { option: chosen, offering } = launch;
  const { [Labels.hostname]: _hostname, ...requirementLabels } = claim.requirements.labels();
  const labels: Record<string, string> = {
    ...chosen.type.labels,
    ...requirementLabels,
    ...claim.pool.labels,
    [Labels.zone]: offering.zone,
    [Labels.capacityType]: offering.capacityType,
    ...offering.labels,
  };
  return {
    name: claim.name,
    nodePool: claim.pool.name,
    instanceType: chosen.type.name,
    instanceTypeOptions: claim.options.map((option) => option.type.name),
    zone: offering.zone,
    capacityType: offering.capacityType,
    price: pricePartsOf(offering).instance,
    totalPrice: offering.price,
    priceParts: pricePartsOf(offering),
    ...(offering.priceStandIn === true && { priceStandIn: true }),
    labels: Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1))),
    taints: claim.pool.taints,
    startupTaints: claim.pool.startupTaints,
    pods: claim.pods.map((pod) => pod.key).sort(),
    requests: formatResources(addResources(claim.requests, claim.pool.daemonOverhead)),
  };
}

/** A claim none of whose offerings can launch: every one is a reservation this plan has filled. */
export interface ReservationsFull {
  readonly claim: NewClaim;
  readonly reservations: readonly string[];
}

/**
 * The claims as launched, in order, each reservation drawn on at most as often as it has room:
 * Karpenter's scheduler holds a reserved offering for one claim per instance it can still launch,
 * and a claim that finds its reservations full launches on the next capacity type it allows, or
 * not at all when it allows none (its pods stay pending).
 */
export function plannedClaims(claims: readonly NewClaim[]): {
  readonly planned: PlannedNodeClaim[];
  readonly launched: NewClaim[];
  readonly full: ReservationsFull[];
} {
  const taken = new Map<string, number>();
  const exhausted = (type: string, offering: Offering): boolean => {
    const key = reservationKey(type, offering);
    return key !== undefined && (taken.get(key) ?? 0) >= (offering.reservationCapacity ?? 0);
  };
  const planned: PlannedNodeClaim[] = [];
  const launched: NewClaim[] = [];
  const full: ReservationsFull[] = [];
  for (const claim of claims) {
    const launch = launchOffering(claim, exhausted);
    if (launch === undefined) {
      const reservations = new Set<string>();
      for (const option of claim.options)
        for (const offering of option.offerings) {
          const key = reservationKey(option.type.name, offering);
          if (key !== undefined) reservations.add(key);
        }
      full.push({ claim, reservations: [...reservations].sort() });
      continue;
    }
    const key = reservationKey(launch.option.type.name, launch.offering);
    if (key !== undefined) taken.set(key, (taken.get(key) ?? 0) + 1);
    planned.push(plannedFrom(claim, launch));
    launched.push(claim);
  }
  return { planned, launched, full };
}

/** Why a claim's pods stay pending when its reservations are full, in words. */
export function reservationsFullReason(full: ReservationsFull): string {
  return `every offering it allows is a capacity reservation this plan has filled (${full.reservations.join(", ")})`;
}
