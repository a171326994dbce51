import { readFileSync } from "node:fs";
import { Labels } from "../api/wellknown.ts";
import { packageFile } from "../package-files.ts";
import type { AwsCatalogData, AwsInstanceTypeData } from "./aws-catalog-data.ts";
import { defaultEphemeralStorage } from "./aws-overhead.ts";
import {
  type Catalog,
  compareOfferings,
  type InstanceType,
  type Offering,
} from "./instance-type.ts";
import { kubeletAllocatable } from "./kubelet-allocatable.ts";

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

/**
 * One catalog instance type from its facts, offered in `zones`: capacity, overhead and allocatable
 * by kubeletAllocatable, the one rule carpool has for them, as Karpenter computes them for an
 * AL2023 node without blockDeviceMappings or a kubelet block.
 */
export function awsInstanceType(
  row: AwsInstanceTypeData,
  region: string,
  zones: readonly string[],
  price: number,
): InstanceType {
  const { capacity, overhead, allocatable } = kubeletAllocatable({
    vcpu: row.vcpu,
    memoryMiB: row.memoryMiB,
    architecture: row.labels[Labels.arch] === "arm64" ? "arm64" : "amd64",
    eniLimitedPods: row.maxPods,
    ephemeralStorage: defaultEphemeralStorage,
    ...((row.gpus || row.neuron) && {
      devices: {
        ...(row.gpus && { [row.gpus.resource]: row.gpus.count }),
        ...(row.neuron && {
          "aws.amazon.com/neuron": row.neuron.devices,
          "aws.amazon.com/neuroncore": row.neuron.cores,
        }),
      },
    }),
  });
  const spot = row.spotPrice?.[region];
  const offerings: Offering[] = zones
    .flatMap((zone): Offering[] => [
      { zone, capacityType: "on-demand", price, available: true },
      ...spotOffering(zone, price, spot),
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
    allocatable,
    offerings,
  };
}

/**
 * The spot offering in a zone: at its refreshed price, or — where the data has no spot prices for
 * the region — at the on-demand price, an upper bound (see the data's sources) and marked as a
 * stand-in, as Karpenter's AWS provider prices spot until its first spot price update. A region
 * with refreshed prices offers spot only in the zones they name.
 */
function spotOffering(
  zone: string,
  onDemand: number,
  spot: Readonly<Record<string, number>> | undefined,
): Offering[] {
  if (spot === undefined)
    return [{ zone, capacityType: "spot", price: onDemand, available: true, priceStandIn: true }];
  const price = spot[zone];
  return price === undefined ? [] : [{ zone, capacityType: "spot", price, available: true }];
}
