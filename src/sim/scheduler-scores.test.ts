import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod } from "../api/pod.ts";
import { TopologyIndex } from "../scheduling/topology-index.ts";
import { pod } from "../solver/fixtures.test-helpers.ts";
import {
  balancedAllocationScore,
  leastAllocatedScore,
  nodeAffinityScores,
  type ScoredNode,
  taintTolerationScores,
  topologySpreadScores,
} from "./scheduler-scores.ts";

const node = (name: string, cpu: number, memory: number, used = {}, zone = "z1"): ScoredNode => ({
  node: {
    name,
    labels: { "kubernetes.io/hostname": name, "topology.kubernetes.io/zone": zone },
    taints: [],
  },
  allocatable: { cpu, memory },
  used,
});

describe("kube-scheduler NodeResourcesFit LeastAllocated and BalancedAllocation", () => {
  const rows: {
    name: string;
    requests: Record<string, number>;
    node: ScoredNode;
    least: number;
    balanced: number;
  }[] = [
    {
      name: "an empty node: (alloc − request) × 100 / alloc, averaged over cpu and memory",
      requests: { cpu: 1000, memory: 1000 },
      node: node("a", 4000, 4000),
      least: 75,
      balanced: 100,
    },
    {
      name: "already-requested resources count with the pod's own",
      requests: { cpu: 1000, memory: 1000 },
      node: node("a", 4000, 4000, { cpu: 2000 }),
      least: 50,
      // fractions 0.75 and 0.25: standard deviation 0.25
      balanced: 75,
    },
    {
      name: "scores are whole numbers: kube-scheduler divides int64s (200000 / 3000 = 66)",
      requests: { cpu: 1000, memory: 0 },
      node: node("a", 3000, 3000),
      least: 83,
      // fractions 1/3 and 0: (1 − 1/6) × 100 truncated
      balanced: 83,
    },
    {
      name: "a request above allocatable scores 0 for that resource; fractions cap at 1",
      requests: { cpu: 5000, memory: 0 },
      node: node("a", 4000, 4000),
      least: 50,
      balanced: 50,
    },
  ];
  for (const row of rows)
    it(row.name, () => {
      assert.equal(leastAllocatedScore(row.requests, row.node), row.least);
      assert.equal(balancedAllocationScore(row.requests, row.node), row.balanced);
    });
});

describe("kube-scheduler PodTopologySpread scoring (ScheduleAnyway)", () => {
  const web = (
    name: string,
    whenUnsatisfiable = "ScheduleAnyway",
    topologyKey = "topology.kubernetes.io/zone",
  ): Pod =>
    pod(
      name,
      "100m",
      {
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey,
            whenUnsatisfiable: whenUnsatisfiable as "ScheduleAnyway",
            labelSelector: { matchLabels: { app: "web" } },
          },
        ],
      },
      { app: "web" },
    );
  const cluster = () => {
    const nodes = [
      node("a", 4000, 4000, {}, "z1"),
      node("b", 4000, 4000, {}, "z2"),
      node("c", 4000, 4000, {}, "z2"),
    ];
    const index = new TopologyIndex();
    for (const n of nodes) index.addNode(n.node);
    return { nodes, index };
  };
  it("the zone with the fewest matching pods scores 100, the fullest less: 100 × (max + min − raw) / max", () => {
    const { nodes, index } = cluster();
    index.addPod(web("w1"), "a");
    index.addPod(web("w2"), "a");
    index.addPod(web("w3"), "b");
    // raw: z1 2 × ln(4) = 2.77 → 3, z2 1 × ln(4) = 1.39 → 1
    const scores = topologySpreadScores(web("new"), nodes, index);
    assert.deepEqual(scores, [33, 100, 100]);
  });
  it("pods the selector does not match, and pods in other namespaces, do not count", () => {
    const { nodes, index } = cluster();
    index.addPod(pod("other", "100m", {}, { app: "db" }), "a");
    index.addPod(
      { ...web("elsewhere"), metadata: { ...web("elsewhere").metadata, namespace: "x" } },
      "a",
    );
    assert.deepEqual(topologySpreadScores(web("new"), nodes, index), [100, 100, 100]);
  });
  it("DoNotSchedule constraints only filter: without ScheduleAnyway every node scores 0", () => {
    const { nodes, index } = cluster();
    index.addPod(web("w1"), "a");
    assert.deepEqual(topologySpreadScores(web("new", "DoNotSchedule"), nodes, index), [0, 0, 0]);
  });
  it("a node without the topology key scores 0", () => {
    const { nodes, index } = cluster();
    const bare: ScoredNode = {
      ...node("d", 4000, 4000),
      node: { name: "d", labels: {}, taints: [] },
    };
    index.addNode(bare.node);
    index.addPod(web("w1"), "a");
    const scores = topologySpreadScores(web("new"), [...nodes, bare], index);
    assert.equal(scores[3], 0);
    assert.equal(scores[1], 100);
  });
});

describe("kube-scheduler NodeAffinity and TaintToleration scoring", () => {
  const nodes = [node("a", 4000, 4000, {}, "z1"), node("b", 4000, 4000, {}, "z2")];
  const inZone = (zone: string, weight: number) => ({
    weight,
    preference: {
      matchExpressions: [
        { key: "topology.kubernetes.io/zone", operator: "In" as const, values: [zone] },
      ],
    },
  });
  it("preferred terms: summed weights a node matches, the best node scaled to 100", () => {
    const preferring = pod("p", "100m", {
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [inZone("z1", 30), inZone("z2", 10)],
        },
      },
    });
    assert.deepEqual(nodeAffinityScores(preferring, nodes), [100, 33]);
  });
  it("no preferred terms: every node scores 0", () => {
    assert.deepEqual(nodeAffinityScores(pod("p", "100m"), nodes), [0, 0]);
  });
  it("untolerated PreferNoSchedule taints: the node with fewest scores 100 (reversed)", () => {
    const tainted: ScoredNode = {
      ...nodes[1]!,
      node: { ...nodes[1]!.node, taints: [{ key: "spot", effect: "PreferNoSchedule" }] },
    };
    assert.deepEqual(taintTolerationScores(pod("p", "100m"), [nodes[0]!, tainted]), [100, 0]);
    const tolerating = pod("p", "100m", {
      tolerations: [{ key: "spot", operator: "Exists", effect: "PreferNoSchedule" }],
    });
    assert.deepEqual(taintTolerationScores(tolerating, [nodes[0]!, tainted]), [100, 100]);
    // A NoSchedule toleration does not count for a PreferNoSchedule taint.
    const wrongEffect = pod("p", "100m", {
      tolerations: [{ key: "spot", operator: "Exists", effect: "NoSchedule" }],
    });
    assert.deepEqual(taintTolerationScores(wrongEffect, [nodes[0]!, tainted]), [100, 0]);
  });
});
