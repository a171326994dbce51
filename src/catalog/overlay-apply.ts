import { parseResources, type Resources } from "../resources/resource-list.ts";
import {
  compareOfferings,
  type InstanceType,
  type Offering,
  pricePartsOf,
} from "./instance-type.ts";
import { adjustedPrice } from "./overlay-price.ts";

/** What the overlays that won change on one instance type of one pool. */
export interface TypeUpdate {
  /** By offering (zone/capacity type): the winning price change, and the lowest weight that touched it. */
  readonly prices: Map<string, { readonly change: string; lowestWeight: number }>;
  /** Extended resources to add or set, first overlay's quantity per resource. */
  readonly capacity: Record<string, string | number>;
  capacityLowestWeight: number;
  capacityLowestWeightKeys: ReadonlySet<string>;
}

/**
 * An instance type with its overlays applied (Karpenter's ApplyPriceOverlay and
 * ApplyCapacityOverlay): the instance part of each selected offering's price changed, extended
 * resources set in capacity and allocatable (no overhead is reserved from them), and hugepages
 * taken out of allocatable memory as Karpenter's allocatable does.
 */
export function overlaidType(type: InstanceType, update: TypeUpdate): InstanceType {
  const offerings = type.offerings
    .map((offering) => {
      const price = update.prices.get(`${offering.zone}/${offering.capacityType}`);
      return price === undefined ? offering : repriced(offering, price.change);
    })
    .sort(compareOfferings);
  const parsed = parseResources(update.capacity);
  // The overlay was validated: its quantities parse.
  const added: Resources = parsed.ok ? parsed.resources : {};
  if (Object.keys(added).length === 0) return { ...type, offerings };
  const allocatable: Record<string, number> = { ...type.allocatable, ...added };
  let hugepages = 0;
  for (const [resource, amount] of Object.entries(added))
    if (resource.startsWith("hugepages-")) hugepages += amount - (type.capacity[resource] ?? 0);
  if (hugepages !== 0 && allocatable.memory !== undefined)
    allocatable.memory = Math.max(0, allocatable.memory - hugepages);
  return { ...type, offerings, capacity: { ...type.capacity, ...added }, allocatable };
}

function repriced(offering: Offering, change: string): Offering {
  const parts = pricePartsOf(offering);
  const instance = adjustedPrice(parts.instance, change);
  const { priceStandIn: _standIn, ...rest } = offering;
  // An absolute price is a real figure; a stand-in adjusted is still a stand-in.
  const absolute = !change.startsWith("+") && !change.startsWith("-");
  return {
    ...(absolute ? rest : offering),
    price: instance + parts.volumes + parts.publicIPv4,
    ...(offering.priceParts !== undefined && { priceParts: { ...parts, instance } }),
  };
}
