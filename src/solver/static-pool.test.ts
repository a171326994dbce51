import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NodePool } from "../api/nodepool.ts";
import type { Pod } from "../api/pod.ts";
import { catalogFromInstanceTypes } from "../catalog/user-catalog.ts";
import { renderReason } from "../render/reasons.ts";
import {
  instanceType,
  node,
  nodePool,
  placements,
  planOf,
  pod,
  sizes,
} from "./fixtures.test-helpers.ts";
import { solve } from "./solve.ts";
import { staticClaim } from "./static-claim.ts";

describe("static NodePools in the solver (Karpenter v1.8 #2521: the provisioner skips pools with spec.replicas)", () => {
  const types = catalogFromInstanceTypes(sizes).catalog;
  const fixedSmall = (replicas: number, spec: Record<string, unknown> = {}) =>
    nodePool(
      "fixed",
      { replicas, ...spec },
      {
        requirements: [
          { key: "node.kubernetes.io/instance-type", operator: "In", values: ["small"] },
        ],
      },
    ) as NodePool;
  /** The provisioner's solve: no launches for static pools, whatever the pods. */
  const provision = (pools: NodePool[], objects: { nodes?: object[]; pods: Pod[] }) =>
    solve({
      pendingPods: objects.pods,
      boundPods: [],
      nodes: (objects.nodes ?? []) as never,
      nodeClaims: [],
      nodePools: pools,
      daemonSets: [],
      volumes: { claims: new Map(), volumes: new Map(), storageClasses: new Map() },
      catalog: types,
    });
  it("the provisioner opens no claim on a static pool, even its only pool, and says why", () => {
    const solution = provision([fixedSmall(2)], { pods: [pod("a", "1")] });
    assert.equal(solution.claims.length, 0);
    assert.deepEqual(solution.staticLaunches, []);
    const reasons = solution.unschedulable[0]?.targets[0]?.reasons ?? [];
    assert.match(reasons.map(renderReason).join(), /static \(spec\.replicas: 2\)/);
  });
  it("a static pool's existing node takes pods as any node does", () => {
    const solution = provision([fixedSmall(2)], {
      nodes: [node("fixed-1", "4", { "karpenter.sh/nodepool": "fixed" })],
      pods: [pod("a", "1")],
    });
    assert.deepEqual([...solution.onExisting.keys()], ["fixed-1"]);
  });

  // carpool plan: the nodes the static controller would launch are counted (launchStatic).
  const rows: {
    name: string;
    objects: object[];
    where: Record<string, string>;
    newNodes: number;
    reason?: RegExp;
  }[] = [
    {
      name: "plan launches the replicas the input lacks; a pod that fits runs on one",
      objects: [fixedSmall(2), ...sizes, pod("a", "1")],
      where: { "default/a": "fixed-0" },
      newNodes: 2,
    },
    {
      name: "the pool's nodes in the input count toward replicas",
      objects: [fixedSmall(2), ...sizes, node("old", "2", { "karpenter.sh/nodepool": "fixed" })],
      where: {},
      newNodes: 1,
    },
    {
      name: "limits.nodes caps the launches (ComputeNodeClaimsToProvision)",
      objects: [fixedSmall(3, { limits: { nodes: "1" } }), ...sizes],
      where: {},
      newNodes: 1,
    },
    {
      name: "a pod too big for the static nodes is not given a bigger one: unschedulable, told why",
      objects: [fixedSmall(1), ...sizes, pod("big", "3")],
      where: { "default/big": "unschedulable" },
      newNodes: 1,
      reason: /static \(spec\.replicas: 1\)/,
    },
    {
      name: "with a dynamic pool beside it, the dynamic pool launches for what the static nodes cannot hold",
      objects: [
        nodePool("fixed", { replicas: 1 }),
        nodePool("dynamic"),
        ...sizes,
        pod("a", "1500m"),
        pod("b", "1500m"),
      ],
      where: { "default/a": "fixed-0", "default/b": "dynamic-0" },
      newNodes: 2,
    },
  ];
  for (const row of rows)
    it(row.name, () => {
      const plan = planOf(...row.objects);
      assert.deepEqual(placements(plan), row.where);
      assert.equal(plan.nodeClaims.length, row.newNodes);
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
