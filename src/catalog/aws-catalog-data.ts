/**
 * How the built-in AWS catalog's data is derived from the shared public facts; used by
 * scripts/gen-aws-catalog.ts and by the test that keeps the checked-in file honest.
 */

/** A row of ../shared/data/aws-instance-types.json (the fields used here). */
export interface SharedInstanceType {
  readonly name: string;
  readonly vcpu: number;
  readonly memoryMiB: number;
  readonly architecture: string;
  readonly maxPods: number | null;
  readonly onDemandPrice: Readonly<Record<string, number>>;
  readonly bareMetal: boolean | null;
}

/** One instance type as stored: capacity facts, labels, prices by region. */
export interface AwsInstanceTypeData {
  readonly name: string;
  readonly vcpu: number;
  readonly memoryMiB: number;
  readonly maxPods: number;
  readonly gpus?: { readonly resource: string; readonly count: number };
  /** AWS Inferentia and Trainium: Neuron devices and the NeuronCores on them. */
  readonly neuron?: { readonly devices: number; readonly cores: number };
  readonly labels: Readonly<Record<string, string>>;
  readonly onDemandPrice: Readonly<Record<string, number>>;
  /** Region → zone → latest spot price, when refreshed from DescribeSpotPriceHistory. */
  readonly spotPrice?: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

export interface AwsCatalogData {
  readonly _generated: string;
  readonly sources: Readonly<Record<string, string>>;
  readonly zones: Readonly<Record<string, readonly string[]>>;
  readonly instanceTypes: readonly AwsInstanceTypeData[];
}

/**
 * The zones offered per region. Which types each zone really offers is not in our public data,
 * so every type is offered in every listed zone (a simplification docs/catalog.md states).
 */
const zones: Readonly<Record<string, readonly string[]>> = {
  "us-east-1": ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1f"],
};

/** Accelerators and the extended resource their device plugin advertises. */
const acceleratorResources: Readonly<Record<string, string>> = {
  nvidia: "nvidia.com/gpu",
  amd: "amd.com/gpu",
};

/**
 * NeuronCores per Neuron device, by Karpenter's instance-accelerator-name (EC2's
 * NeuronInfo.NeuronDevices[].CoreInfo.Count): Karpenter advertises aws.amazon.com/neuroncore as
 * devices × cores per device, and aws.amazon.com/neuron as the devices.
 */
export const NeuronCoresPerDevice: Readonly<Record<string, number>> = {
  inferentia: 4,
  inferentia2: 2,
  trainium: 2,
  trainium2: 8,
};

function neuronOf(
  labels: Readonly<Record<string, string>>,
): { devices: number; cores: number } | undefined {
  if (labels["karpenter.k8s.aws/instance-accelerator-manufacturer"] !== "aws") return undefined;
  const devices = Number(labels["karpenter.k8s.aws/instance-accelerator-count"] ?? 0);
  const perDevice =
    NeuronCoresPerDevice[labels["karpenter.k8s.aws/instance-accelerator-name"] ?? ""];
  if (!(devices > 0) || perDevice === undefined) return undefined;
  return { devices, cores: devices * perDevice };
}

export function buildAwsCatalogData(
  types: readonly SharedInstanceType[],
  labels: Readonly<Record<string, Readonly<Record<string, string>>>>,
): AwsCatalogData {
  const rows: AwsInstanceTypeData[] = [];
  for (const type of types) {
    const typeLabels = labels[type.name];
    // Without Karpenter's labels carpool cannot know a type's GPUs or architecture, and without a
    // max-pods figure it has no ENI facts: such types are left out (docs/catalog.md lists them).
    if (typeLabels === undefined || type.maxPods === null) continue;
    const prices = Object.fromEntries(
      Object.entries(type.onDemandPrice).filter(([region]) => region in zones),
    );
    if (Object.keys(prices).length === 0) continue;
    const gpuCount = Number(typeLabels["karpenter.k8s.aws/instance-gpu-count"] ?? 0);
    const gpuResource =
      acceleratorResources[typeLabels["karpenter.k8s.aws/instance-gpu-manufacturer"] ?? ""];
    const neuron = neuronOf(typeLabels);
    rows.push({
      name: type.name,
      vcpu: type.vcpu,
      // EC2's MemoryInfo.SizeInMiB, which Karpenter publishes as instance-memory and computes
      // capacity from; the shared facts round to whole GiB, off on a few older types (c1.medium).
      memoryMiB: Number(typeLabels["karpenter.k8s.aws/instance-memory"] ?? type.memoryMiB),
      maxPods: type.maxPods,
      ...(gpuCount > 0 &&
        gpuResource !== undefined && { gpus: { resource: gpuResource, count: gpuCount } }),
      ...(neuron && { neuron }),
      labels: Object.fromEntries(
        Object.entries(typeLabels).filter(
          ([key]) => key.startsWith("karpenter.k8s.aws/") || key === "kubernetes.io/arch",
        ),
      ),
      onDemandPrice: prices,
    });
  }
  rows.sort((a, b) => (a.name < b.name ? -1 : 1));
  return {
    _generated:
      "npm run catalog:aws (scripts/gen-aws-catalog.ts) from ../shared/data — do not edit by hand",
    sources: {
      "vcpu, memoryMiB, maxPods, onDemandPrice":
        "../shared/data/aws-instance-types.json (see its README for each field's public source)",
      labels:
        "../shared/data/aws-instance-labels.json (Karpenter's AWS provider instance-type reference)",
      zones:
        "the region's zones; per-zone availability is not in the public data, so every type is offered in every zone",
      spot: "no public static spot prices: spot offerings are priced at the on-demand price, an upper bound, until refreshed",
    },
    zones,
    instanceTypes: rows,
  };
}

/** Prices read from the AWS APIs for one region (see src/providers/aws/catalog-source.ts). */
export interface LivePrices {
  readonly region: string;
  readonly onDemand: ReadonlyMap<string, number>;
  /** type → zone → price */
  readonly spot: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/**
 * The data with a region's live prices merged in: on-demand prices replace the static ones,
 * spot prices are recorded per zone, and the region's zones become those spot prices name.
 */
export function withLivePrices(data: AwsCatalogData, live: LivePrices): AwsCatalogData {
  const liveZones = new Set<string>();
  for (const byZone of live.spot.values()) for (const zone of byZone.keys()) liveZones.add(zone);
  const instanceTypes = data.instanceTypes.map((row) => {
    const onDemand = live.onDemand.get(row.name);
    const spot = live.spot.get(row.name);
    if (onDemand === undefined) return row;
    return {
      ...row,
      onDemandPrice: { ...row.onDemandPrice, [live.region]: onDemand },
      ...(spot && {
        spotPrice: {
          ...row.spotPrice,
          [live.region]: Object.fromEntries([...spot].sort(([a], [b]) => (a < b ? -1 : 1))),
        },
      }),
    };
  });
  return {
    ...data,
    sources: {
      ...data.sources,
      [`prices ${live.region}`]:
        "AWS Pricing GetProducts and EC2 DescribeSpotPriceHistory, read by npm run catalog:aws",
    },
    zones: { ...data.zones, ...(liveZones.size > 0 && { [live.region]: [...liveZones].sort() }) },
    instanceTypes,
  };
}
