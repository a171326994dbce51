import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod } from "../api/pod.ts";
import { instanceType, node, nodePool, placements, planOf } from "./fixtures.test-helpers.ts";

/** A pod asking for whole GPUs (limits only: Kubernetes copies them to requests). */
const gpuPod = (name: string, gpus: string): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default" },
  spec: {
    containers: [
      {
        name: "c",
        resources: { requests: { cpu: "1" }, limits: { "nvidia.com/gpu": gpus } },
      },
    ],
  },
});

const cpuPod = (name: string, cpu: string): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default" },
  spec: { containers: [{ name: "c", resources: { requests: { cpu } } }] },
});

const gpuTypes = [
  // The pool's cheapest type has no GPU: the limit reason must not speak of it.
  instanceType("c-small", 2, 4, 0.02),
  instanceType("g-1", 4, 16, 0.5, { capacity: { "nvidia.com/gpu": "1" } }),
  instanceType("g-4", 16, 64, 2.5, { capacity: { "nvidia.com/gpu": "4" } }),
];

describe("NodePool limits (Karpenter: a new node's full capacity counts against spec.limits)", () => {
  const rows: {
    name: string;
    limits: Record<string, string>;
    objects: object[];
    pods: Pod[];
    newNodes: number;
    unschedulable: string[];
    reason?: string;
  }[] = [
    {
      name: "limits.nodes: 1 launches one node, not one per pod (resources.Node counts 1 per node)",
      limits: { nodes: "1" },
      objects: [instanceType("small", 2, 4, 0.02)],
      pods: [cpuPod("a", "1500m"), cpuPod("b", "1500m"), cpuPod("c", "1500m")],
      newNodes: 1,
      unschedulable: ["default/b", "default/c"],
      reason: "NodePool limit on nodes would be exceeded: 1 in use + a new small > 1",
    },
    {
      name: "limits.nodes counts the pool's existing nodes (StateNode capacity has nodes: 1)",
      limits: { nodes: "2" },
      objects: [
        instanceType("small", 2, 4, 0.02),
        node("old", "1", { "karpenter.sh/nodepool": "capped" }),
      ],
      pods: [cpuPod("a", "1500m"), cpuPod("b", "1500m"), cpuPod("c", "1500m")],
      newNodes: 1,
      unschedulable: ["default/b", "default/c"],
      reason: "NodePool limit on nodes would be exceeded: 2 in use + a new small > 2",
    },
    {
      name: "an in-flight claim not launched yet (size unknown) still counts one node (StateNode.Capacity)",
      limits: { nodes: "1" },
      objects: [
        instanceType("small", 2, 4, 0.02),
        {
          apiVersion: "karpenter.sh/v1",
          kind: "NodeClaim",
          metadata: { name: "capped-x", labels: { "karpenter.sh/nodepool": "capped" } },
          spec: {
            nodeClassRef: { group: "carpool.dev", kind: "K3sNodeClass", name: "default" },
            requirements: [
              { key: "node.kubernetes.io/instance-type", operator: "In", values: ["small", "big"] },
            ],
          },
        },
      ],
      pods: [cpuPod("a", "1500m")],
      newNodes: 0,
      unschedulable: ["default/a"],
      reason: "NodePool limit on nodes would be exceeded: 1 in use + a new small > 1",
    },
    {
      name: "a GPU limit of 2 takes two 1-GPU nodes; the third pod is told the node's GPU, not 0",
      limits: { "nvidia.com/gpu": "2" },
      objects: gpuTypes,
      pods: [gpuPod("t0", "1"), gpuPod("t1", "1"), gpuPod("t2", "1")],
      newNodes: 2,
      unschedulable: ["default/t2"],
      reason: "NodePool limit on nvidia.com/gpu would be exceeded: 2 in use + 1 (a new g-1) > 2",
    },
    {
      name: "the wanted amount is the new node's capacity, not the pod's request (4 GPUs for a 1-GPU pod)",
      limits: { "nvidia.com/gpu": "3" },
      objects: [instanceType("g-4", 16, 64, 2.5, { capacity: { "nvidia.com/gpu": "4" } })],
      pods: [gpuPod("t0", "1")],
      newNodes: 0,
      unschedulable: ["default/t0"],
      reason: "NodePool limit on nvidia.com/gpu would be exceeded: 0 in use + 4 (a new g-4) > 3",
    },
    {
      name: "a pool under every limit launches as if it had none",
      limits: { nodes: "3", cpu: "100" },
      objects: [instanceType("small", 2, 4, 0.02)],
      pods: [cpuPod("a", "1500m"), cpuPod("b", "1500m"), cpuPod("c", "1500m")],
      newNodes: 3,
      unschedulable: [],
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const plan = planOf(nodePool("capped", { limits: row.limits }), ...row.objects, ...row.pods);
      assert.equal(plan.nodeClaims.length, row.newNodes, JSON.stringify(placements(plan)));
      assert.deepEqual(
        plan.unschedulable.map((u) => u.pod),
        row.unschedulable,
      );
      if (row.reason !== undefined)
        for (const u of plan.unschedulable)
          assert.equal(u.reasons.find((r) => r.target === "NodePool/capped")?.reason, row.reason);
    });
  }
});
