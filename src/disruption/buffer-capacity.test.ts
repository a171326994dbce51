import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { catalog, disruptOf, managed, pool, summary } from "./fixtures.test-helpers.ts";

const buffer = (replicas: number, cpu = "3") => [
  {
    apiVersion: "v1",
    kind: "PodTemplate",
    metadata: { name: "chunk", namespace: "default" },
    template: {
      spec: { containers: [{ name: "c", resources: { requests: { cpu, memory: "1Gi" } } }] },
    },
  },
  {
    apiVersion: "autoscaling.x-k8s.io/v1alpha1",
    kind: "CapacityBuffer",
    metadata: { name: "warm", namespace: "default" },
    spec: { podTemplateRef: { name: "chunk" }, replicas },
  },
];

// Karpenter keeps buffer capacity through disruption: virtual pods count on the existing nodes
// provisioning places them on (provisioning/buffers.go bufferPodCountsFromResults; consolidation's
// SimulateScheduling sees them through GetPendingPods).
describe("disruption keeps CapacityBuffer room", () => {
  it("without a buffer, both empty nodes are deleted (the baseline)", () => {
    const plan = disruptOf([
      pool(),
      ...catalog,
      ...managed("a", "medium"),
      ...managed("b", "medium"),
    ]);
    assert.deepEqual(summary(plan), ["Empty delete a,b"]);
  });
  it("a node holding a buffer's chunk is not empty: only the other goes", () => {
    const plan = disruptOf([
      pool(),
      ...catalog,
      ...managed("a", "medium"),
      ...managed("b", "medium"),
      ...buffer(1),
    ]);
    assert.equal(plan.commands.length, 1);
    assert.equal(plan.commands[0]?.nodes.length, 1);
  });
  it("consolidation must fit the chunks again: two 4-cpu nodes holding 3 cpu each become one 8-cpu node", () => {
    const plan = disruptOf([
      pool(),
      ...catalog,
      ...managed("a", "medium"),
      ...managed("b", "medium"),
      ...buffer(2),
    ]);
    assert.deepEqual(summary(plan), ["Underutilized replace a,b → large"]);
  });
});
