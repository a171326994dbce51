import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeInstanceTypes, onDemandPrices, spotPrices } from "./catalog-source.ts";
import { FakeAwsClient } from "./fake-sdk.ts";

const m5large = {
  InstanceType: "m5.large" as const,
  VCpuInfo: { DefaultVCpus: 2 },
  MemoryInfo: { SizeInMiB: 8192 },
  NetworkInfo: { MaximumNetworkInterfaces: 3, Ipv4AddressesPerInterface: 10 },
  ProcessorInfo: { SupportedArchitectures: ["x86_64" as const] },
  BareMetal: false,
};
const g5 = {
  ...m5large,
  InstanceType: "g5.xlarge" as const,
  VCpuInfo: { DefaultVCpus: 4 },
  MemoryInfo: { SizeInMiB: 16384 },
  NetworkInfo: { MaximumNetworkInterfaces: 4, Ipv4AddressesPerInterface: 15 },
  GpuInfo: {
    Gpus: [{ Name: "A10G", Manufacturer: "NVIDIA", Count: 1, MemoryInfo: { SizeInMiB: 24576 } }],
  },
};
const graviton = {
  ...m5large,
  InstanceType: "m6g.large" as const,
  ProcessorInfo: { SupportedArchitectures: ["arm64" as const] },
};

describe("AWS catalog source (EC2 DescribeInstanceTypes, DescribeSpotPriceHistory, Pricing GetProducts)", () => {
  it("reads every page of DescribeInstanceTypes and derives the VPC CNI max pods", async () => {
    const ec2 = new FakeAwsClient({ instanceTypes: [m5large, g5, graviton] }, 2);
    const facts = await describeInstanceTypes(ec2);
    assert.equal(ec2.sent.length, 2, "two pages");
    assert.deepEqual(
      facts.map((f) => [f.name, f.maxPods, f.architecture]),
      [
        ["g5.xlarge", 58, "amd64"],
        ["m5.large", 29, "amd64"],
        ["m6g.large", 29, "arm64"],
      ],
    );
    assert.deepEqual(facts[0]?.gpus, {
      manufacturer: "nvidia",
      name: "a10g",
      count: 1,
      memoryMiB: 24576,
    });
  });
  it("keeps the latest spot price of each type in each zone", async () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 24, 0, minute));
    const ec2 = new FakeAwsClient({
      spotPrices: [
        {
          InstanceType: "m5.large",
          AvailabilityZone: "us-east-1a",
          SpotPrice: "0.0400",
          Timestamp: at(1),
        },
        {
          InstanceType: "m5.large",
          AvailabilityZone: "us-east-1a",
          SpotPrice: "0.0350",
          Timestamp: at(5),
        },
        {
          InstanceType: "m5.large",
          AvailabilityZone: "us-east-1b",
          SpotPrice: "0.0380",
          Timestamp: at(2),
        },
      ],
    });
    const prices = await spotPrices(ec2, at(0));
    assert.deepEqual(
      [...(prices.get("m5.large") ?? [])],
      [
        ["us-east-1a", 0.035],
        ["us-east-1b", 0.038],
      ],
    );
  });
  it("reads on-demand prices from the Pricing API's price list documents", async () => {
    const product = (instanceType: string, usd: string) => ({
      product: { attributes: { instanceType, operatingSystem: "Linux" } },
      terms: {
        OnDemand: {
          "X.JRTCKXETXF": {
            priceDimensions: {
              "X.JRTCKXETXF.6YS6EN2CT7": { unit: "Hrs", pricePerUnit: { USD: usd } },
            },
          },
        },
      },
    });
    const pricing = new FakeAwsClient({
      priceList: [
        product("m5.large", "0.1070000000"),
        product("c5.large", "0.0960000000"),
        product("free", "0.0000000000"),
      ],
    });
    const prices = await onDemandPrices(pricing, "eu-west-1");
    assert.deepEqual(
      [...prices],
      [
        ["m5.large", 0.107],
        ["c5.large", 0.096],
      ],
    );
    const filters = (pricing.sent[0] as { input: { Filters: { Field: string; Value: string }[] } })
      .input.Filters;
    assert.deepEqual(
      filters.map((f) => `${f.Field}=${f.Value}`),
      [
        "regionCode=eu-west-1",
        "operatingSystem=Linux",
        "tenancy=Shared",
        "preInstalledSw=NA",
        "capacitystatus=Used",
      ],
    );
  });
});
