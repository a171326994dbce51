import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NodeOverlay, NodeOverlaySpec } from "../api/nodeoverlay.ts";
import type { NodePool } from "../api/nodepool.ts";
import type { InstanceType } from "./instance-type.ts";
import {
  evaluateNodeOverlays,
  orderByWeight,
  poolInstanceTypes,
  withNodeOverlays,
} from "./overlay.ts";

const type = (name: string, family: string, price: number): InstanceType => ({
  name,
  labels: {
    "node.kubernetes.io/instance-type": name,
    "karpenter.k8s.aws/instance-family": family,
    "karpenter.k8s.aws/instance-cpu": "2",
  },
  capacity: { cpu: 2000, memory: 8 * 2 ** 30 },
  overhead: { cpu: 100, memory: 2 ** 30 },
  allocatable: { cpu: 1900, memory: 7 * 2 ** 30 },
  offerings: [
    { zone: "z-a", capacityType: "spot", price: price / 2, available: true },
    { zone: "z-a", capacityType: "on-demand", price, available: true },
  ],
});
const types = [type("m5.large", "m5", 0.096), type("c5.large", "c5", 0.085)];

const pool = (name: string, labels: Record<string, string> = {}): NodePool =>
  ({
    apiVersion: "karpenter.sh/v1",
    kind: "NodePool",
    metadata: { name },
    spec: {
      template: {
        metadata: { labels },
        spec: { requirements: [], nodeClassRef: { group: "g", kind: "K", name: "n" } },
      },
    },
  }) as NodePool;
const pools = [pool("default"), pool("gpu", { team: "ml" })];

const overlay = (name: string, spec: Partial<NodeOverlaySpec>): NodeOverlay => ({
  apiVersion: "karpenter.sh/v1alpha1",
  kind: "NodeOverlay",
  metadata: { name },
  spec: { requirements: [], ...spec },
});

const m5 = { key: "karpenter.k8s.aws/instance-family", operator: "In" as const, values: ["m5"] };

function price(poolName: string, typeName: string, capacityType: string, overlays: NodeOverlay[]) {
  const { catalog } = withNodeOverlays(
    { region: undefined, instanceTypes: types },
    pools,
    overlays,
  );
  const found = poolInstanceTypes(catalog, poolName).find((t) => t.name === typeName);
  return found?.offerings.find((o) => o.capacityType === capacityType)?.price;
}

const close = (actual: number | undefined, expected: number) =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);

// Rows cite kubernetes-sigs/karpenter pkg/controllers/nodeoverlay (controller.go, store.go) and the
// NodeOverlay concept page (karpenter.sh/v1.14/concepts/nodeoverlays).
describe("NodeOverlay: which instance types and offerings an overlay selects", () => {
  const rows: [string, NodeOverlay[], string, string, string, number][] = [
    [
      "empty requirements select every type of every pool",
      [overlay("all", { price: "1" })],
      "gpu",
      "c5.large",
      "on-demand",
      1,
    ],
    [
      "a requirement on an instance label selects by it",
      [overlay("m5", { requirements: [m5], price: "1" })],
      "default",
      "c5.large",
      "on-demand",
      0.085,
    ],
    [
      "capacity-type selects offerings: spot changes, on-demand stays",
      [
        overlay("spot", {
          requirements: [{ key: "karpenter.sh/capacity-type", operator: "In", values: ["spot"] }],
          price: "0.01",
        }),
      ],
      "default",
      "m5.large",
      "on-demand",
      0.096,
    ],
    [
      "capacity-type selects offerings: the spot offering changes",
      [
        overlay("spot", {
          requirements: [{ key: "karpenter.sh/capacity-type", operator: "In", values: ["spot"] }],
          price: "0.01",
        }),
      ],
      "default",
      "m5.large",
      "spot",
      0.01,
    ],
    [
      "karpenter.sh/nodepool selects the pool",
      [
        overlay("p", {
          requirements: [{ key: "karpenter.sh/nodepool", operator: "In", values: ["gpu"] }],
          price: "1",
        }),
      ],
      "default",
      "m5.large",
      "on-demand",
      0.096,
    ],
    [
      "a pool's template labels are matched",
      [
        overlay("ml", {
          requirements: [{ key: "team", operator: "In", values: ["ml"] }],
          price: "1",
        }),
      ],
      "gpu",
      "m5.large",
      "on-demand",
      1,
    ],
    [
      "a label no node of the pool carries is no match (Compatible, undefined custom label)",
      [
        overlay("ml", {
          requirements: [{ key: "team", operator: "In", values: ["ml"] }],
          price: "1",
        }),
      ],
      "default",
      "m5.large",
      "on-demand",
      0.096,
    ],
    [
      "Gte (Karpenter v1.9+) selects by a numeric bound: 2 vCPU is not Gte 4",
      [
        overlay("big", {
          requirements: [{ key: "karpenter.k8s.aws/instance-cpu", operator: "Gte", values: ["4"] }],
          price: "1",
        }),
      ],
      "default",
      "m5.large",
      "on-demand",
      0.096,
    ],
    [
      "Lte selects by a numeric bound: 2 vCPU is Lte 2",
      [
        overlay("small", {
          requirements: [{ key: "karpenter.k8s.aws/instance-cpu", operator: "Lte", values: ["2"] }],
          price: "1",
        }),
      ],
      "default",
      "m5.large",
      "on-demand",
      1,
    ],
    [
      "DoesNotExist on a label the pool lacks still matches",
      [
        overlay("no-team", {
          requirements: [{ key: "team", operator: "DoesNotExist" }],
          price: "1",
        }),
      ],
      "default",
      "m5.large",
      "on-demand",
      1,
    ],
  ];
  for (const [name, overlays, poolName, typeName, capacityType, expected] of rows)
    it(name, () => close(price(poolName, typeName, capacityType, overlays), expected));
});

describe("NodeOverlay: weights and conflicts", () => {
  it("order: higher weight first, equal weights by name later in the alphabet first (OrderByWeight)", () => {
    const ordered = orderByWeight([
      overlay("a", { weight: 10 }),
      overlay("b", {}),
      overlay("c", { weight: 10 }),
      overlay("d", { weight: 50 }),
    ]).map((o) => o.metadata.name);
    assert.deepEqual(ordered, ["d", "c", "a", "b"]);
  });
  it("the heavier overlay's price wins over a lighter one's", () => {
    close(
      price("default", "m5.large", "on-demand", [
        overlay("light", { weight: 1, price: "5" }),
        overlay("heavy", { weight: 2, priceAdjustment: "-50%" }),
      ]),
      0.048,
    );
  });
  it("no weight is weight 0, below any weight given", () => {
    close(
      price("default", "m5.large", "on-demand", [
        overlay("zzz", { price: "5" }),
        overlay("aaa", { weight: 1, price: "2" }),
      ]),
      2,
    );
  });
  it("two price overlays of one weight on the same offering: the one later in the alphabet applies, the other conflicts", () => {
    const evaluation = evaluateNodeOverlays(
      [overlay("a", { weight: 5, price: "1" }), overlay("b", { weight: 5, price: "2" })],
      pools,
      types,
    );
    assert.deepEqual(
      evaluation.verdicts.map((v) => [v.name, v.outcome.kind]),
      [
        ["b", "applied"],
        ["a", "conflict"],
      ],
    );
    close(
      evaluation.byPool.get("default")?.[0]?.offerings.find((o) => o.capacityType === "on-demand")
        ?.price,
      2,
    );
  });
  it("same weight, disjoint offerings: no conflict", () => {
    const evaluation = evaluateNodeOverlays(
      [
        overlay("a", { weight: 5, requirements: [m5], price: "1" }),
        overlay("b", { weight: 5, requirements: [{ ...m5, values: ["c5"] }], price: "2" }),
      ],
      pools,
      types,
    );
    assert.deepEqual(
      evaluation.verdicts.map((v) => v.outcome.kind),
      ["applied", "applied"],
    );
  });
  it("same weight, price and capacity: different fields do not conflict", () => {
    const evaluation = evaluateNodeOverlays(
      [
        overlay("a", { weight: 5, price: "1" }),
        overlay("b", { weight: 5, capacity: { "example.com/slice": "4" } }),
      ],
      pools,
      types,
    );
    assert.deepEqual(
      evaluation.verdicts.map((v) => v.outcome.kind),
      ["applied", "applied"],
    );
  });
  it("same weight, the same extended resource: conflict", () => {
    const evaluation = evaluateNodeOverlays(
      [
        overlay("a", { weight: 5, capacity: { "example.com/slice": "4" } }),
        overlay("b", { weight: 5, capacity: { "example.com/slice": "8" } }),
      ],
      pools,
      types,
    );
    assert.deepEqual(
      evaluation.verdicts.map((v) => [v.name, v.outcome.kind]),
      [
        ["b", "applied"],
        ["a", "conflict"],
      ],
    );
  });
  it("a conflicting overlay applies nowhere, not even where it would not conflict (validated before stored)", () => {
    const evaluation = evaluateNodeOverlays(
      [
        overlay("b", { weight: 5, requirements: [m5], price: "2" }),
        overlay("a", { weight: 5, price: "1" }),
      ],
      pools,
      types,
    );
    assert.equal(evaluation.verdicts.find((v) => v.name === "a")?.outcome.kind, "conflict");
    close(
      evaluation.byPool
        .get("default")
        ?.find((t) => t.name === "c5.large")
        ?.offerings.find((o) => o.capacityType === "on-demand")?.price,
      0.085,
    );
  });
  it("an overlay RuntimeValidate refuses is reported invalid and not applied", () => {
    const evaluation = evaluateNodeOverlays(
      [overlay("bad", { price: "1", priceAdjustment: "+1" })],
      pools,
      types,
    );
    assert.equal(evaluation.verdicts[0]?.outcome.kind, "invalid");
    assert.equal(evaluation.byPool.size, 0);
  });
});

describe("NodeOverlay: capacity", () => {
  const overlaid = (overlays: NodeOverlay[]) =>
    evaluateNodeOverlays(overlays, pools, types)
      .byPool.get("default")
      ?.find((t) => t.name === "m5.large");
  it("capacity adds an extended resource to capacity and allocatable", () => {
    const m = overlaid([overlay("gpu", { capacity: { "nvidia.com/gpu": "1" } })]);
    assert.equal(m?.capacity["nvidia.com/gpu"], 1);
    assert.equal(m?.allocatable["nvidia.com/gpu"], 1);
    assert.equal(m?.allocatable.cpu, 1900);
  });
  it("resources from several overlays are merged; the heavier one's quantity wins per resource", () => {
    const m = overlaid([
      overlay("heavy", { weight: 2, capacity: { "example.com/a": "1" } }),
      overlay("light", { weight: 1, capacity: { "example.com/a": "9", "example.com/b": "2" } }),
    ]);
    assert.deepEqual([m?.capacity["example.com/a"], m?.capacity["example.com/b"]], [1, 2]);
  });
  it("hugepages come out of allocatable memory (Karpenter's allocatable)", () => {
    const m = overlaid([overlay("huge", { capacity: { "hugepages-2Mi": "1Gi" } })]);
    assert.equal(m?.allocatable.memory, 6 * 2 ** 30);
    assert.equal(m?.allocatable["hugepages-2Mi"], 2 ** 30);
  });
  it("offerings stay sorted by price after a change", () => {
    const m = overlaid([
      overlay("spot-up", {
        requirements: [{ key: "karpenter.sh/capacity-type", operator: "In", values: ["spot"] }],
        price: "1",
      }),
    ]);
    assert.deepEqual(
      m?.offerings.map((o) => o.capacityType),
      ["on-demand", "spot"],
    );
  });
  it("without overlays the catalog is the same object (nothing recomputed)", () => {
    const catalog = { region: undefined, instanceTypes: types };
    assert.equal(withNodeOverlays(catalog, pools, []).catalog, catalog);
  });
});
