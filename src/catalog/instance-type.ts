import { CapacityTypes, Labels } from "../api/wellknown.ts";
import type { Resources } from "../resources/resource-list.ts";

/** Where and how an instance type can be bought. */
export interface Offering {
  readonly zone: string;
  /** "on-demand", "spot" or "reserved". */
  readonly capacityType: string;
  /** USD per hour: what a node bought this way costs, `priceParts` summed where given. */
  readonly price: number;
  readonly available: boolean;
  /**
   * Set where a pool's node class adds costs of its own (EBS volumes, a public IPv4 address) to
   * the catalog's instance price; absent, the price is the instance's alone.
   */
  readonly priceParts?: PriceParts;
  /**
   * Set where no price of this kind is known and the catalog put a stand-in in its place (spot at
   * the on-demand price, an upper bound): a figure to decide with, never to show as a real one.
   */
  readonly priceStandIn?: true;
  /**
   * Labels a node bought this way carries beyond zone and capacity type, which differ between a
   * type's offerings: `topology.k8s.aws/zone-id`, and for reserved capacity
   * `karpenter.k8s.aws/capacity-reservation-id`, `-type` and `-interruptible`. A key some offering
   * of the type has and this one lacks is absent on its nodes (Karpenter's DoesNotExist).
   */
  readonly labels?: Readonly<Record<string, string>>;
  /** Reserved capacity: how many more instances the reservation can launch now. */
  readonly reservationCapacity?: number;
}

/** A node's hourly price, by what it pays for (USD per hour). */
export interface PriceParts {
  readonly instance: number;
  readonly volumes: number;
  readonly publicIPv4: number;
}

/** The parts of an offering's price: all of it is the instance's unless it says otherwise. */
export function pricePartsOf(offering: Offering): PriceParts {
  return offering.priceParts ?? { instance: offering.price, volumes: 0, publicIPv4: 0 };
}

/** A catalog offering as a pool's nodes would cost: its instance price plus the node's extras. */
export function withExtras(
  offering: Offering,
  extras: { readonly volumes: number; readonly publicIPv4: number; readonly total: number },
): Offering {
  if (extras.total === 0) return offering;
  const instance = pricePartsOf(offering).instance;
  return {
    ...offering,
    price: instance + extras.total,
    priceParts: { instance, volumes: extras.volumes, publicIPv4: extras.publicIPv4 },
  };
}

/**
 * Label keys that differ between a type's offerings (Offering.labels), beside zone and capacity
 * type: the AWS zone ID and the capacity reservation a reserved offering launches into.
 */
export const OfferingLabelKeys: readonly string[] = [
  Labels.awsZoneID,
  Labels.awsCapacityReservationID,
  Labels.awsCapacityReservationType,
  Labels.awsCapacityReservationInterruptible,
];

/** The value an offering gives a label: zone and capacity type, or one of its own labels. */
export function offeringLabel(offering: Offering, key: string): string | undefined {
  if (key === Labels.zone) return offering.zone;
  if (key === Labels.capacityType) return offering.capacityType;
  return offering.labels?.[key];
}

/** Which reservation a reserved offering draws on, for counting what a plan takes of it. */
export function reservationKey(type: string, offering: Offering): string | undefined {
  if (offering.reservationCapacity === undefined) return undefined;
  const id = offering.labels?.[Labels.awsCapacityReservationID];
  return id ?? `${type}/${offering.zone}/${offering.capacityType}`;
}

export interface InstanceType {
  readonly name: string;
  /** Labels a node of this type carries, without zone and capacity type (those come from the offering). */
  readonly labels: Readonly<Record<string, string>>;
  readonly capacity: Resources;
  /** kube-reserved + system-reserved + eviction threshold. */
  readonly overhead: Resources;
  /** capacity − overhead: what pods may request. */
  readonly allocatable: Resources;
  /** Sorted by price, then zone, then capacity type. */
  readonly offerings: readonly Offering[];
}

export interface Catalog {
  readonly region: string | undefined;
  readonly instanceTypes: readonly InstanceType[];
  /**
   * Set where NodeOverlays change prices or capacity: the instance types as each NodePool (by
   * name) sees them; a pool not in it sees `instanceTypes` (catalog/overlay.ts poolInstanceTypes).
   */
  readonly byPool?: ReadonlyMap<string, readonly InstanceType[]>;
}

export function compareOfferings(a: Offering, b: Offering): number {
  return (
    a.price - b.price || compareText(a.zone, b.zone) || compareText(a.capacityType, b.capacityType)
  );
}

/**
 * Karpenter's launch order of capacity types: reserved, then spot, then on-demand, whatever the
 * prices (kubernetes-sigs/karpenter `Offerings.WorstLaunchPrice`; the AWS provider's
 * `getCapacityType`). A capacity type it does not know comes last.
 */
const launchOrder: readonly string[] = [
  CapacityTypes.reserved,
  CapacityTypes.spot,
  CapacityTypes.onDemand,
];

/** Where a capacity type stands in Karpenter's launch order: lower launches first. */
export function launchRank(capacityType: string): number {
  const rank = launchOrder.indexOf(capacityType);
  return rank === -1 ? launchOrder.length : rank;
}

/** Offerings in the order a launch tries them: capacity type by launch order, then cheapest first. */
export function compareLaunchOrder(a: Offering, b: Offering): number {
  return (
    launchRank(a.capacityType) - launchRank(b.capacityType) ||
    compareText(a.capacityType, b.capacityType) ||
    compareOfferings(a, b)
  );
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The cheapest available offering, if any (offerings are kept sorted by price). */
export function cheapestOffering(instanceType: InstanceType): Offering | undefined {
  return instanceType.offerings.find((offering) => offering.available);
}
