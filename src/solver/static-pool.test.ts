import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NodePool } from "../api/nodepool.ts";
import { catalogFromInstanceTypes } from "../catalog/user-catalog.ts";
import {
  instanceType,
  node,
  nodePool,
  placements,
  planOf,
  pod,
  sizes,
} from "./fixtures.test-helpers.ts";
import { staticClaim } from "./static-claim.ts";

describe("static NodePools in the solver (Karpenter v1.8 #2521: the provisioner skips pools with spec.replicas)", () => {
  const fixed = nodePool("fixed", { replicas: 2 });
  const dynamic = nodePool("dynamic");
  const rows: {
    name: string;
    objects: object[];
    where: Record<string, string>;
    reason?: RegExp;
  }[] = [
    {
      name: "a pending pod is not given a new node of a static pool, even its only pool",
      objects: [fixed, ...sizes, pod("a", "1")],
      where: { "default/a": "unschedulable" },
      reason: /static \(spec\.replicas: 2\)/,
    },
    {
      name: "a static pool's existing node takes pods as any node does",
      objects: [
        fixed,
        ...sizes,
        node("fixed-1", "4", { "karpenter.sh/nodepool": "fixed" }),
        pod("a", "1"),
      ],
      where: { "default/a": "fixed-1" },
    },
    {
      name: "with a dynamic pool beside it, the dynamic pool launches (whatever the weights)",
      objects: [nodePool("fixed", { replicas: 2, weight: 100 }), dynamic, ...sizes, pod("a", "1")],
      where: { "default/a": "dynamic-0" },
    },
  ];
  for (const row of rows)
    it(row.name, () => {
      const plan = planOf(...row.objects);
      assert.deepEqual(placements(plan), row.where);
      if (row.reason !== undefined)
        assert.match(plan.unschedulable[0]?.reasons[0]?.reason ?? "", row.reason);
    });

  it("the node the static controller launches: every type the pool allows, the cheapest first", () => {
    const { catalog } = catalogFromInstanceTypes([
      ...sizes,
      instanceType("arm", 2, 4, 0.01, { labels: { "kubernetes.io/arch": "arm64" } }),
    ]);
    const pool = nodePool(
      "fixed",
      { replicas: 1 },
      { requirements: [{ key: "kubernetes.io/arch", operator: "In", values: ["amd64"] }] },
    ) as NodePool;
    const claim = staticClaim(pool, catalog);
    assert.equal(claim?.instanceType, "small");
    assert.deepEqual(claim?.instanceTypeOptions, ["small", "medium", "large"]);
    const none = nodePool(
      "none",
      { replicas: 1 },
      { requirements: [{ key: "kubernetes.io/arch", operator: "In", values: ["s390x"] }] },
    ) as NodePool;
    assert.equal(staticClaim(none, catalog), undefined);
  });
});
