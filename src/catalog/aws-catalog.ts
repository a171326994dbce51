import { readFileSync } from "node:fs";
import { Labels } from "../api/wellknown.ts";
import { packageFile } from "../package-files.ts";
import { type Resources, subtractResources } from "../resources/resource-list.ts";
import type { AwsCatalogData, AwsInstanceTypeData } from "./aws-catalog-data.ts";
import { awsOverhead, defaultEphemeralStorage, vmMemoryOverhead } from "./aws-overhead.ts";
import {
  type Catalog,
  compareOfferings,
  type InstanceType,
  type Offering,
} from "./instance-type.ts";

let data: AwsCatalogData | undefined;
const catalogs = new Map<string, Catalog>();

/** The built-in AWS catalog of a region; its data is read once, on first use. */
export function awsCatalog(region = "us-east-1"): Catalog {
  const cached = catalogs.get(region);
  if (cached !== undefined) return cached;
  data ??= JSON.parse(
    readFileSync(packageFile("src/catalog/data/aws.generated.json"), "utf8"),
  ) as AwsCatalogData;
  const zones = data.zones[region];
  if (zones === undefined) {
    throw new Error(
      `the built-in AWS catalog has no region ${region}; it has ${Object.keys(data.zones).join(", ")}`,
    );
  }
  const instanceTypes = data.instanceTypes.flatMap((row) => {
    const price = row.onDemandPrice[region];
    return price === undefined ? [] : [awsInstanceType(row, region, zones, price)];
  });
  const catalog = { region, instanceTypes };
  catalogs.set(region, catalog);
  return catalog;
}

export function awsRegions(): string[] {
  data ??= JSON.parse(
    readFileSync(packageFile("src/catalog/data/aws.generated.json"), "utf8"),
  ) as AwsCatalogData;
  return Object.keys(data.zones);
}

/** One catalog instance type from its facts: capacity, overhead and allocatable as Karpenter computes them, offered in `zones`. */
export function awsInstanceType(
  row: AwsInstanceTypeData,
  region: string,
  zones: readonly string[],
  price: number,
): InstanceType {
  const mebi = 1024 * 1024;
  const capacity: Resources = {
    cpu: row.vcpu * 1000,
    memory: row.memoryMiB * mebi - vmMemoryOverhead(row.memoryMiB),
    pods: row.maxPods,
    "ephemeral-storage": defaultEphemeralStorage,
    ...(row.gpus && { [row.gpus.resource]: row.gpus.count }),
  };
  const overhead = awsOverhead(capacity.cpu ?? 0, row.maxPods, defaultEphemeralStorage);
  // Without refreshed spot prices, spot is priced at on-demand: an upper bound (see the data's sources).
  const spot = row.spotPrice?.[region];
  const offerings: Offering[] = zones
    .flatMap((zone) => [
      { zone, capacityType: "on-demand", price, available: true },
      ...(spot === undefined || spot[zone] !== undefined
        ? [{ zone, capacityType: "spot", price: spot?.[zone] ?? price, available: true }]
        : []),
    ])
    .sort(compareOfferings);
  return {
    name: row.name,
    labels: {
      ...row.labels,
      [Labels.os]: "linux",
      [Labels.instanceType]: row.name,
      [Labels.region]: region,
    },
    capacity,
    overhead,
    allocatable: subtractResources(capacity, overhead),
    offerings,
  };
}
