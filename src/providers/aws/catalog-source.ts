import {
  DescribeInstanceTypesCommand,
  type DescribeInstanceTypesCommandOutput,
  DescribeSpotPriceHistoryCommand,
  type DescribeSpotPriceHistoryCommandOutput,
  type InstanceTypeInfo,
} from "@aws-sdk/client-ec2";
import { GetProductsCommand, type GetProductsCommandOutput } from "@aws-sdk/client-pricing";

/** The part of an SDK client this module uses, so tests can hand in a fake. */
export interface SdkClient {
  send(command: object): Promise<unknown>;
}

/** What DescribeInstanceTypes says of a type, in the fields the catalog keeps. */
export interface InstanceTypeFacts {
  readonly name: string;
  readonly vcpu: number;
  readonly memoryMiB: number;
  readonly maxPods: number;
  readonly architecture: string;
  readonly bareMetal: boolean;
  /** `nitro` or `xen`; absent for bare metal. */
  readonly hypervisor?: string;
  readonly gpus?: {
    readonly manufacturer: string;
    readonly name: string;
    readonly count: number;
    readonly memoryMiB: number;
  };
}

/** Every instance type of the region (DescribeInstanceTypes, followed page by page). */
export async function describeInstanceTypes(ec2: SdkClient): Promise<InstanceTypeFacts[]> {
  const facts: InstanceTypeFacts[] = [];
  let nextToken: string | undefined;
  do {
    const page = (await ec2.send(
      new DescribeInstanceTypesCommand({ NextToken: nextToken, MaxResults: 100 }),
    )) as DescribeInstanceTypesCommandOutput;
    for (const info of page.InstanceTypes ?? []) {
      const fact = factsOf(info);
      if (fact !== undefined) facts.push(fact);
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return facts.sort((a, b) => (a.name < b.name ? -1 : 1));
}

function factsOf(info: InstanceTypeInfo): InstanceTypeFacts | undefined {
  const name = info.InstanceType;
  const vcpu = info.VCpuInfo?.DefaultVCpus;
  const memoryMiB = info.MemoryInfo?.SizeInMiB;
  const enis = info.NetworkInfo?.MaximumNetworkInterfaces;
  const ipsPerEni = info.NetworkInfo?.Ipv4AddressesPerInterface;
  if (!name || !vcpu || !memoryMiB || !enis || !ipsPerEni) return undefined;
  const gpu = info.GpuInfo?.Gpus?.[0];
  return {
    name,
    vcpu,
    memoryMiB,
    // The EKS VPC CNI's default (no prefix delegation): ENIs × (IPv4 per ENI − 1) + 2.
    maxPods: enis * (ipsPerEni - 1) + 2,
    architecture: info.ProcessorInfo?.SupportedArchitectures?.includes("arm64") ? "arm64" : "amd64",
    bareMetal: info.BareMetal ?? false,
    ...(info.Hypervisor && { hypervisor: info.Hypervisor }),
    ...(gpu && {
      gpus: {
        manufacturer: (gpu.Manufacturer ?? "").toLowerCase(),
        name: (gpu.Name ?? "").toLowerCase(),
        count: gpu.Count ?? 0,
        memoryMiB: gpu.MemoryInfo?.SizeInMiB ?? 0,
      },
    }),
  };
}

/** The latest Linux spot price of every type in every zone (DescribeSpotPriceHistory since `since`). */
export async function spotPrices(
  ec2: SdkClient,
  since: Date,
): Promise<Map<string, Map<string, number>>> {
  const latest = new Map<string, Map<string, { price: number; at: number }>>();
  let nextToken: string | undefined;
  do {
    const page = (await ec2.send(
      new DescribeSpotPriceHistoryCommand({
        ProductDescriptions: ["Linux/UNIX"],
        StartTime: since,
        NextToken: nextToken,
      }),
    )) as DescribeSpotPriceHistoryCommandOutput;
    for (const entry of page.SpotPriceHistory ?? []) {
      const { InstanceType: type, AvailabilityZone: zone, SpotPrice: price, Timestamp: at } = entry;
      if (!type || !zone || !price) continue;
      const byZone = latest.get(type) ?? new Map();
      const seen = byZone.get(zone);
      const time = at?.getTime() ?? 0;
      if (seen === undefined || time > seen.at)
        byZone.set(zone, { price: Number(price), at: time });
      latest.set(type, byZone);
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return new Map(
    [...latest].map(([type, zones]) => [
      type,
      new Map([...zones].map(([zone, { price }]) => [zone, price])),
    ]),
  );
}

/**
 * Linux on-demand prices of a region from the Pricing API's GetProducts (shared tenancy, no
 * pre-installed software, capacity status Used), as Karpenter's pricing provider filters them.
 */
export async function onDemandPrices(
  pricing: SdkClient,
  region: string,
): Promise<Map<string, number>> {
  const prices = new Map<string, number>();
  let nextToken: string | undefined;
  const filter = (Field: string, Value: string) => ({ Type: "TERM_MATCH" as const, Field, Value });
  do {
    const page = (await pricing.send(
      new GetProductsCommand({
        ServiceCode: "AmazonEC2",
        Filters: [
          filter("regionCode", region),
          filter("operatingSystem", "Linux"),
          filter("tenancy", "Shared"),
          filter("preInstalledSw", "NA"),
          filter("capacitystatus", "Used"),
        ],
        NextToken: nextToken,
      }),
    )) as GetProductsCommandOutput;
    for (const item of page.PriceList ?? []) {
      const parsed = onDemandPriceOf(typeof item === "string" ? item : JSON.stringify(item));
      if (parsed !== undefined) prices.set(parsed.instanceType, parsed.price);
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return prices;
}

/** One PriceList entry (a JSON document): its instance type and hourly USD on-demand price. */
function onDemandPriceOf(text: string): { instanceType: string; price: number } | undefined {
  const product = JSON.parse(text) as {
    product?: { attributes?: { instanceType?: string } };
    terms?: {
      OnDemand?: Record<
        string,
        { priceDimensions?: Record<string, { pricePerUnit?: { USD?: string } }> }
      >;
    };
  };
  const instanceType = product.product?.attributes?.instanceType;
  for (const term of Object.values(product.terms?.OnDemand ?? {})) {
    for (const dimension of Object.values(term.priceDimensions ?? {})) {
      const price = Number(dimension.pricePerUnit?.USD);
      if (instanceType && price > 0) return { instanceType, price };
    }
  }
  return undefined;
}
