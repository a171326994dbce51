import type { Resources } from "../resources/resource-list.ts";

/** Where and how an instance type can be bought. */
export interface Offering {
  readonly zone: string;
  /** "on-demand", "spot" or "reserved". */
  readonly capacityType: string;
  /** USD per hour. */
  readonly price: number;
  readonly available: boolean;
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
}

export function compareOfferings(a: Offering, b: Offering): number {
  return (
    a.price - b.price || compareText(a.zone, b.zone) || compareText(a.capacityType, b.capacityType)
  );
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The cheapest available offering, if any (offerings are kept sorted by price). */
export function cheapestOffering(instanceType: InstanceType): Offering | undefined {
  return instanceType.offerings.find((offering) => offering.available);
}
