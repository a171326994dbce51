// The built-in AWS catalog's spot offerings: real prices where the data has them, else the
// on-demand price marked as a stand-in. Karpenter's AWS provider does the same until its first spot
// price update (aws/karpenter-provider-aws pkg/providers/pricing: "default our spot pricing to the
// same as the on-demand pricing until a price update").
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { awsCatalog, awsInstanceType } from "./aws-catalog.ts";
import type { AwsInstanceTypeData } from "./aws-catalog-data.ts";

const row = (spotPrice?: AwsInstanceTypeData["spotPrice"]): AwsInstanceTypeData => ({
  name: "m5.large",
  vcpu: 2,
  memoryMiB: 8192,
  maxPods: 29,
  labels: {},
  onDemandPrice: { "us-east-1": 0.096 },
  ...(spotPrice && { spotPrice }),
});
const zones = ["us-east-1a", "us-east-1b"];
const offeringsOf = (data: AwsInstanceTypeData) =>
  awsInstanceType(data, "us-east-1", zones, 0.096).offerings.map((o) => ({
    zone: o.zone,
    capacityType: o.capacityType,
    price: o.price,
    standIn: o.priceStandIn === true,
  }));

const rows: {
  name: string;
  data: AwsInstanceTypeData;
  want: { zone: string; capacityType: string; price: number; standIn: boolean }[];
}[] = [
  {
    name: "no spot prices for the region: spot in every zone at on-demand, each a stand-in",
    data: row(),
    want: [
      { zone: "us-east-1a", capacityType: "on-demand", price: 0.096, standIn: false },
      { zone: "us-east-1a", capacityType: "spot", price: 0.096, standIn: true },
      { zone: "us-east-1b", capacityType: "on-demand", price: 0.096, standIn: false },
      { zone: "us-east-1b", capacityType: "spot", price: 0.096, standIn: true },
    ],
  },
  {
    name: "refreshed spot prices: real figures, and spot only in the zones they name (DescribeSpotPriceHistory per zone)",
    data: row({ "us-east-1": { "us-east-1b": 0.035 } }),
    want: [
      { zone: "us-east-1b", capacityType: "spot", price: 0.035, standIn: false },
      { zone: "us-east-1a", capacityType: "on-demand", price: 0.096, standIn: false },
      { zone: "us-east-1b", capacityType: "on-demand", price: 0.096, standIn: false },
    ],
  },
  {
    name: "spot prices for another region only: this region's spot is a stand-in",
    data: row({ "us-west-2": { "us-west-2a": 0.03 } }),
    want: [
      { zone: "us-east-1a", capacityType: "on-demand", price: 0.096, standIn: false },
      { zone: "us-east-1a", capacityType: "spot", price: 0.096, standIn: true },
      { zone: "us-east-1b", capacityType: "on-demand", price: 0.096, standIn: false },
      { zone: "us-east-1b", capacityType: "spot", price: 0.096, standIn: true },
    ],
  },
];

describe("spot prices in the built-in AWS catalog", () => {
  for (const r of rows) it(r.name, () => assert.deepEqual(offeringsOf(r.data), r.want));

  it("the checked-in data has no spot prices: every spot offering is a stand-in, no on-demand one is", () => {
    for (const type of awsCatalog("us-east-1").instanceTypes)
      for (const offering of type.offerings)
        assert.equal(offering.priceStandIn === true, offering.capacityType === "spot", type.name);
  });
});
