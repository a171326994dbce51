import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NodeSelectorOperator, Pod } from "../api/pod.ts";
import { instanceType, nodePool, planOf, pod } from "../solver/fixtures.test-helpers.ts";
import type { Plan } from "../solver/plan.ts";

const rack = "site.example/rack";
// Two racks' machines and one box that carries no rack label at all.
const catalog = [
  instanceType("rack1-box", 4, 8, 0.01, { labels: { [rack]: "r1" } }),
  instanceType("rack2-box", 4, 8, 0.02, { labels: { [rack]: "r2" } }),
  instanceType("plain-box", 4, 8, 0.03),
];

const selecting = (spec: Partial<Pod["spec"]>) => pod("web", "1", spec);
const affinity = (operator: NodeSelectorOperator, values?: string[]): Partial<Pod["spec"]> => ({
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          { matchExpressions: [{ key: rack, operator, ...(values && { values }) }] },
        ],
      },
    },
  },
});

function options(result: Plan): string[] | string {
  const [claim] = result.nodeClaims;
  if (claim !== undefined) return [...claim.instanceTypeOptions];
  return result.unschedulable.flatMap((u) => u.reasons.map((r) => r.reason)).join("; ");
}

interface Row {
  readonly rule: string;
  readonly spec: Partial<Pod["spec"]>;
  readonly pool?: ReturnType<typeof nodePool>;
  readonly want: string[] | RegExp;
}

// Karpenter registers a cloud provider's instance-type labels as well-known
// (karpenter-provider-aws pkg/apis/v1 labels.go adds them to v1.WellKnownLabels), and a pod is
// checked against a NodePool with Compatible(..., AllowUndefinedWellKnownLabels)
// (karpenter pkg/scheduling/requirements.go); the types are then filtered by Intersects, where a
// type lacking a registered label has it as DoesNotExist (instancetype/types.go computeRequirements).
describe("labels a catalog's InstanceTypes declare count as well-known", () => {
  const rows: Row[] = [
    {
      rule: "nodeSelector on a catalog label the pool does not mention: the types carrying the value",
      spec: { nodeSelector: { [rack]: "r2" } },
      want: ["rack2-box"],
    },
    {
      rule: "In with two values: every type carrying one of them, cheapest first",
      spec: affinity("In", ["r1", "r2"]),
      want: ["rack1-box", "rack2-box"],
    },
    {
      rule: "Exists: a type without the label does not have it (DoesNotExist on that type)",
      spec: affinity("Exists"),
      want: ["rack1-box", "rack2-box"],
    },
    {
      rule: "DoesNotExist: only the type that lacks the label",
      spec: affinity("DoesNotExist"),
      want: ["plain-box"],
    },
    {
      rule: "NotIn: a type without the label satisfies it, as does one with another value",
      spec: affinity("NotIn", ["r1"]),
      want: ["rack2-box", "plain-box"],
    },
    {
      rule: "a value no type carries: no instance type, not an undefined label",
      spec: { nodeSelector: { [rack]: "r9" } },
      want: /none of 3 instance types fits/,
    },
    {
      rule: "a label no type declares is still custom: the pool must define it",
      spec: { nodeSelector: { "site.example/room": "a" } },
      want: /does not define/,
    },
    {
      rule: "a pool's requirement on the catalog label still narrows its types (Intersects)",
      spec: { nodeSelector: { [rack]: "r2" } },
      pool: nodePool(
        "default",
        {},
        { requirements: [{ key: rack, operator: "In", values: ["r1"] }] },
      ),
      want: /the pod requires site.example\/rack=r2, but the target has site.example\/rack=r1/,
    },
  ];
  for (const row of rows) {
    it(row.rule, () => {
      const result = planOf(row.pool ?? nodePool("default"), ...catalog, selecting(row.spec));
      const got = options(result);
      if (row.want instanceof RegExp) {
        assert.equal(typeof got, "string", `placed on ${String(got)}`);
        assert.match(got as string, row.want);
      } else assert.deepEqual(got, row.want);
    });
  }

  it("the node carries the selected catalog label", () => {
    const result = planOf(
      nodePool("default"),
      ...catalog,
      selecting({ nodeSelector: { [rack]: "r1" } }),
    );
    assert.equal(result.nodeClaims[0]?.labels[rack], "r1");
  });

  it("built-in AWS catalog: a GPU name selects GPU types only (types without a GPU lack the label)", () => {
    const result = planOf(
      nodePool(
        "default",
        {},
        { nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" } },
      ),
      selecting({ nodeSelector: { "karpenter.k8s.aws/instance-gpu-name": "a10g" } }),
    );
    const types = options(result);
    assert.ok(Array.isArray(types) && types.length > 0, String(types));
    assert.ok(
      types.every((name) => name.startsWith("g5.")),
      types.join(", "),
    );
  });
});
