// The order in which providers try a claim's offerings. Rows cite the upstream rule they check.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { InstanceType, Offering } from "../catalog/instance-type.ts";
import { Requirements } from "../scheduling/requirements.ts";
import { allowedOfferings } from "./offering-choice.ts";

const typeOf = (name: string, offerings: Offering[]): InstanceType => ({
  name,
  labels: { "kubernetes.io/arch": "amd64" },
  capacity: { cpu: 2000 },
  overhead: {},
  allocatable: { cpu: 2000 },
  offerings,
});
const offer = (zone: string, capacityType: string, price: number): Offering => ({
  zone,
  capacityType,
  price,
  available: true,
});

const catalog = [
  typeOf("a", [offer("z1", "on-demand", 0.05), offer("z1", "spot", 0.05)]),
  typeOf("b", [offer("z1", "on-demand", 0.04), offer("z2", "spot", 0.06)]),
  typeOf("c", [offer("z1", "reserved", 0.09), offer("z1", "on-demand", 0.03)]),
];
const capacityTypes = (values: string[]) =>
  Requirements.from([{ key: "karpenter.sh/capacity-type", operator: "In", values }]);

const rows: { name: string; requirements: Requirements; want: string[] }[] = [
  {
    name: "reserved, then spot, then on-demand, each cheapest first (kubernetes-sigs/karpenter Offerings.WorstLaunchPrice's order; the AWS provider's getCapacityType prefers spot whatever the prices)",
    requirements: Requirements.from([]),
    want: [
      "c/z1/reserved",
      "a/z1/spot",
      "b/z2/spot",
      "c/z1/on-demand",
      "b/z1/on-demand",
      "a/z1/on-demand",
    ],
  },
  {
    name: "spot and on-demand allowed: every spot offering before any on-demand one (getCapacityType; on-demand is the fallback when spot cannot be had)",
    requirements: capacityTypes(["spot", "on-demand"]),
    want: ["a/z1/spot", "b/z2/spot", "c/z1/on-demand", "b/z1/on-demand", "a/z1/on-demand"],
  },
  {
    name: "on-demand only: cheapest first, ties by type name (CreateFleet lowest-price over the types ordered by price)",
    requirements: capacityTypes(["on-demand"]),
    want: ["c/z1/on-demand", "b/z1/on-demand", "a/z1/on-demand"],
  },
];

describe("allowedOfferings: the order providers launch in", () => {
  for (const row of rows) {
    it(row.name, () => {
      const order = allowedOfferings(catalog, row.requirements).map(
        ({ instanceType, offering }) =>
          `${instanceType.name}/${offering.zone}/${offering.capacityType}`,
      );
      assert.deepEqual(order, row.want);
    });
  }
});
