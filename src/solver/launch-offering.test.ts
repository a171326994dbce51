// Which offering a planned claim launches on: the capacity type in Karpenter's launch order, then
// the cheapest offering of it. Rows cite the upstream rule they check.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { InstanceTypeObject } from "../api/instancetype.ts";
import { nodePool, planOf, pod } from "./fixtures.test-helpers.ts";

type OfferingRow = { zone: string; capacityType: string; price: number; available?: boolean };

const typeWith = (name: string, cpu: number, offerings: OfferingRow[]): InstanceTypeObject => ({
  apiVersion: "carpool.dev/v1alpha1",
  kind: "InstanceType",
  metadata: { name },
  spec: {
    capacity: { cpu: String(cpu), memory: "16Gi", pods: "110" },
    labels: { "kubernetes.io/arch": "amd64" },
    offerings,
  },
});

const capacityTypes = (values: string[]) => ({
  requirements: [{ key: "karpenter.sh/capacity-type", operator: "In", values }],
});

const WORST_LAUNCH_PRICE =
  "kubernetes-sigs/karpenter pkg/cloudprovider/types.go Offerings.WorstLaunchPrice: reserved, then spot, then on-demand";
const GET_CAPACITY_TYPE =
  "aws/karpenter-provider-aws pkg/providers/instance getCapacityType: spot when the claim allows it and an available spot offering is compatible";

const rows: {
  name: string;
  rule: string;
  pool: string[] | undefined;
  types: InstanceTypeObject[];
  want: { instanceType: string; zone: string; capacityType: string; price: number };
}[] = [
  {
    name: "spot and on-demand at the same price: spot",
    rule: GET_CAPACITY_TYPE,
    pool: ["spot", "on-demand"],
    types: [
      typeWith("m", 4, [
        { zone: "z1", capacityType: "on-demand", price: 0.1 },
        { zone: "z1", capacityType: "spot", price: 0.1 },
      ]),
    ],
    want: { instanceType: "m", zone: "z1", capacityType: "spot", price: 0.1 },
  },
  {
    name: "spot dearer than on-demand: still spot, whatever the prices",
    rule: GET_CAPACITY_TYPE,
    pool: ["spot", "on-demand"],
    types: [
      typeWith("m", 4, [
        { zone: "z1", capacityType: "on-demand", price: 0.1 },
        { zone: "z1", capacityType: "spot", price: 0.12 },
      ]),
    ],
    want: { instanceType: "m", zone: "z1", capacityType: "spot", price: 0.12 },
  },
  {
    name: "no capacity-type requirement allows every capacity type: spot",
    rule: GET_CAPACITY_TYPE,
    pool: undefined,
    types: [
      typeWith("m", 4, [
        { zone: "z1", capacityType: "on-demand", price: 0.05 },
        { zone: "z2", capacityType: "spot", price: 0.07 },
      ]),
    ],
    want: { instanceType: "m", zone: "z2", capacityType: "spot", price: 0.07 },
  },
  {
    name: "a pool of on-demand only never launches spot",
    rule: GET_CAPACITY_TYPE,
    pool: ["on-demand"],
    types: [
      typeWith("m", 4, [
        { zone: "z1", capacityType: "on-demand", price: 0.1 },
        { zone: "z1", capacityType: "spot", price: 0.03 },
      ]),
    ],
    want: { instanceType: "m", zone: "z1", capacityType: "on-demand", price: 0.1 },
  },
  {
    name: "spot unavailable everywhere: on-demand",
    rule: GET_CAPACITY_TYPE,
    pool: ["spot", "on-demand"],
    types: [
      typeWith("m", 4, [
        { zone: "z1", capacityType: "on-demand", price: 0.1 },
        { zone: "z1", capacityType: "spot", price: 0.03, available: false },
      ]),
    ],
    want: { instanceType: "m", zone: "z1", capacityType: "on-demand", price: 0.1 },
  },
  {
    name: "reserved before spot and on-demand",
    rule: WORST_LAUNCH_PRICE,
    pool: ["reserved", "spot", "on-demand"],
    types: [
      typeWith("m", 4, [
        { zone: "z1", capacityType: "on-demand", price: 0.1 },
        { zone: "z1", capacityType: "spot", price: 0.03 },
        { zone: "z2", capacityType: "reserved", price: 0.2 },
      ]),
    ],
    want: { instanceType: "m", zone: "z2", capacityType: "reserved", price: 0.2 },
  },
  {
    name: "only a dearer type offers spot: that type, on spot",
    rule: GET_CAPACITY_TYPE,
    pool: ["spot", "on-demand"],
    types: [
      typeWith("cheap", 4, [{ zone: "z1", capacityType: "on-demand", price: 0.05 }]),
      typeWith("dear", 4, [
        { zone: "z1", capacityType: "on-demand", price: 0.08 },
        { zone: "z1", capacityType: "spot", price: 0.06 },
      ]),
    ],
    want: { instanceType: "dear", zone: "z1", capacityType: "spot", price: 0.06 },
  },
  {
    name: "the cheapest spot offering of all the claim's types and zones",
    rule: `${GET_CAPACITY_TYPE}; then the cheapest offering of that capacity type (CreateFleet lowest price)`,
    pool: ["spot", "on-demand"],
    types: [
      typeWith("a", 4, [
        { zone: "z1", capacityType: "spot", price: 0.05 },
        { zone: "z2", capacityType: "spot", price: 0.04 },
      ]),
      typeWith("b", 4, [{ zone: "z1", capacityType: "spot", price: 0.045 }]),
    ],
    want: { instanceType: "a", zone: "z2", capacityType: "spot", price: 0.04 },
  },
];

describe("the offering a planned claim launches on", () => {
  for (const row of rows) {
    it(`${row.name} (${row.rule})`, () => {
      const pool = nodePool("default", {}, row.pool === undefined ? {} : capacityTypes(row.pool));
      const result = planOf(pool, ...row.types, pod("web", "1"));
      const [claim] = result.nodeClaims;
      assert.ok(claim, "one claim is planned");
      const { instanceType, zone, capacityType, price } = claim;
      assert.deepEqual({ instanceType, zone, capacityType, price }, row.want);
      assert.equal(claim.labels["karpenter.sh/capacity-type"], row.want.capacityType);
      assert.equal(claim.priceStandIn, undefined, "a user catalog's prices are its own");
    });
  }
});

describe("stand-in prices in the plan", () => {
  it("the built-in catalog's spot, priced at on-demand, is launched and marked a stand-in", () => {
    const pool = nodePool(
      "default",
      {},
      {
        nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" },
        requirements: [
          { key: "karpenter.sh/capacity-type", operator: "In", values: ["spot", "on-demand"] },
          { key: "node.kubernetes.io/instance-type", operator: "In", values: ["m5.large"] },
        ],
      },
    );
    const result = planOf(pool, pod("web", "1"));
    const [claim] = result.nodeClaims;
    assert.ok(claim);
    assert.equal(claim.capacityType, "spot");
    assert.equal(claim.priceStandIn, true);
    assert.equal(claim.price, 0.096, "the stand-in is m5.large's on-demand price in us-east-1");
    assert.equal(result.summary.standInPrices, 1);
  });

  it("on-demand from the built-in catalog is a real price: no mark", () => {
    const pool = nodePool("default", {}, capacityTypes(["on-demand"]));
    const result = planOf(pool, pod("web", "1"));
    assert.ok(result.nodeClaims.length > 0);
    for (const claim of result.nodeClaims) assert.equal(claim.priceStandIn, undefined);
    assert.equal(result.summary.standInPrices, undefined);
  });
});
