import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateObject } from "./validate.ts";

const overlay = (spec: Record<string, unknown>) => ({
  apiVersion: "karpenter.sh/v1alpha1",
  kind: "NodeOverlay",
  metadata: { name: "o" },
  spec: { requirements: [], ...spec },
});

// Each row cites the rule of Karpenter's NodeOverlay CRD (karpenter.sh_nodeoverlays.yaml) or its
// RuntimeValidate (pkg/apis/v1alpha1/nodeoverlay_validation.go) that it checks.
const rows: { name: string; spec: Record<string, unknown>; error?: [string, RegExp] }[] = [
  { name: "an overlay with only requirements is valid (every field else optional)", spec: {} },
  { name: "price is an unsigned decimal", spec: { price: "0.5" } },
  {
    name: "price takes no sign (pattern ^\\d+(\\.\\d+)?$)",
    spec: { price: "+0.5" },
    error: ["spec.price", /must match/],
  },
  { name: "priceAdjustment: a signed amount", spec: { priceAdjustment: "-0.01" } },
  { name: "priceAdjustment: a rise in percent", spec: { priceAdjustment: "+10%" } },
  { name: "priceAdjustment: a cut of -100% is allowed", spec: { priceAdjustment: "-100%" } },
  {
    name: "priceAdjustment: a cut beyond 100% is refused",
    spec: { priceAdjustment: "-150%" },
    error: ["spec.priceAdjustment", /must match/],
  },
  {
    name: "priceAdjustment needs a sign",
    spec: { priceAdjustment: "10%" },
    error: ["spec.priceAdjustment", /must match/],
  },
  {
    name: "CEL: cannot set both 'price' and 'priceAdjustment'",
    spec: { price: "1", priceAdjustment: "+1" },
    error: ["spec", /cannot set both 'price' and 'priceAdjustment'/],
  },
  { name: "weight is 1..10000 (minimum)", spec: { weight: 0 }, error: ["spec.weight", /1/] },
  {
    name: "weight is 1..10000 (maximum)",
    spec: { weight: 10001 },
    error: ["spec.weight", /10000/],
  },
  {
    name: "capacity adds extended resources",
    spec: { capacity: { "example.com/gpu-slice": "4" } },
  },
  {
    name: "CEL: capacity may not name cpu, memory, ephemeral-storage or pods",
    spec: { capacity: { memory: "1Gi" } },
    error: ["spec.capacity.memory", /invalid resource restricted/],
  },
  {
    name: "capacity values are quantities",
    spec: { capacity: { "hugepages-2Mi": "lots" } },
    error: ["spec.capacity.hugepages-2Mi", /quantities must match/],
  },
  {
    name: "CEL: requirements with operator 'In' must have a value defined",
    spec: {
      requirements: [{ key: "node.kubernetes.io/instance-type", operator: "In", values: [] }],
    },
    error: ["spec.requirements[0].values", /non-empty/],
  },
  {
    name: "CEL: Gt takes a single positive integer",
    spec: {
      requirements: [{ key: "karpenter.k8s.aws/instance-cpu", operator: "Gt", values: ["many"] }],
    },
    error: ["spec.requirements[0].values", /single positive integer/],
  },
  {
    name: "CEL: label domain karpenter.sh is restricted, but karpenter.sh/nodepool is allowed",
    spec: { requirements: [{ key: "karpenter.sh/nodepool", operator: "In", values: ["default"] }] },
  },
  {
    name: "CEL: kubernetes.io/hostname is restricted",
    spec: { requirements: [{ key: "kubernetes.io/hostname", operator: "Exists" }] },
    error: ["spec.requirements[0].key", /restricted/],
  },
];

describe("NodeOverlay validation", () => {
  for (const row of rows) {
    it(row.name, () => {
      const result = validateObject(overlay(row.spec));
      if (row.error === undefined) {
        assert.equal(result.ok, true, JSON.stringify(!result.ok && result.errors));
        return;
      }
      assert.equal(result.ok, false);
      if (result.ok) return;
      const [path, message] = row.error;
      const found = result.errors.find((e) => e.path === path);
      assert.ok(found, `no error at ${path}: ${JSON.stringify(result.errors)}`);
      assert.match(found.message, message);
    });
  }
  it("requirements are required (the CRD's spec.required)", () => {
    const result = validateObject({ ...overlay({}), spec: {} });
    assert.equal(result.ok, false);
  });
});
