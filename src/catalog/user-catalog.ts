import type { InstanceTypeObject } from "../api/instancetype.ts";
import { Labels } from "../api/wellknown.ts";
import { parseResources, type Resources, subtractResources } from "../resources/resource-list.ts";
import { type Catalog, compareOfferings, compareText, type InstanceType } from "./instance-type.ts";

export interface CatalogError {
  readonly instanceType: string;
  readonly path: string;
  readonly message: string;
}

/**
 * A catalog from carpool.dev/v1alpha1 InstanceType objects: how a k3s site or a rack of machines
 * describes what it can start. Nodes get node.kubernetes.io/instance-type and kubernetes.io/os
 * (linux unless the type says otherwise).
 */
export function catalogFromInstanceTypes(objects: readonly InstanceTypeObject[]): {
  catalog: Catalog;
  errors: CatalogError[];
} {
  const errors: CatalogError[] = [];
  const instanceTypes: InstanceType[] = [];
  for (const object of [...objects].sort((a, b) =>
    compareText(a.metadata.name ?? "", b.metadata.name ?? ""),
  )) {
    const name = object.metadata.name ?? "";
    const capacity = resourcesOf(object.spec.capacity, name, "spec.capacity", errors);
    const overhead = resourcesOf(object.spec.overhead, name, "spec.overhead", errors);
    if (capacity === undefined || overhead === undefined) continue;
    instanceTypes.push({
      name,
      labels: { [Labels.os]: "linux", ...object.spec.labels, [Labels.instanceType]: name },
      capacity,
      overhead,
      allocatable: subtractResources(capacity, overhead),
      offerings: object.spec.offerings
        .map((offering) => ({
          zone: offering.zone,
          capacityType: offering.capacityType,
          price: offering.price,
          available: offering.available ?? true,
          ...(offering.labels && { labels: offering.labels }),
          ...(offering.reservationCapacity !== undefined && {
            reservationCapacity: offering.reservationCapacity,
          }),
        }))
        .sort(compareOfferings),
    });
  }
  return { catalog: { region: undefined, instanceTypes }, errors };
}

function resourcesOf(
  list: Readonly<Record<string, string | number>> | undefined,
  instanceType: string,
  path: string,
  errors: CatalogError[],
): Resources | undefined {
  const parsed = parseResources(list);
  if (parsed.ok) return parsed.resources;
  for (const error of parsed.errors)
    errors.push({ instanceType, path: `${path}.${error.resource}`, message: error.message });
  return undefined;
}
