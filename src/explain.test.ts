import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod } from "./api/pod.ts";
import { type Explanation, explainObjects } from "./explain.ts";
import { decodeOrThrow } from "./plan.ts";
import { renderExplanation } from "./render/explain.ts";
import { instanceType, nodePool } from "./solver/fixtures.test-helpers.ts";

const gpuPod = (name: string): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default" },
  spec: {
    containers: [
      { name: "c", resources: { requests: { cpu: "1" }, limits: { "nvidia.com/gpu": "1" } } },
    ],
  },
});

function explain(objects: object[], pod: string): Explanation {
  const result = explainObjects(decodeOrThrow(objects), pod);
  if (!result.ok) throw new Error(JSON.stringify(result));
  return result.explanation;
}

describe("explain gives the reason the full plan uses", () => {
  const types = [
    instanceType("c-small", 2, 4, 0.02),
    instanceType("g-1", 4, 16, 0.5, { capacity: { "nvidia.com/gpu": "1" } }),
  ];
  const gpuPool = nodePool("gpu", { limits: { "nvidia.com/gpu": "2" } });
  const rows: { name: string; objects: object[]; pod: string; planned: RegExp; says?: RegExp }[] = [
    {
      // Karpenter schedules a batch's pods in turn: the first two take the limit (issue 16).
      name: "a pod that fits alone but not after the pods before it: the plan's limit reason",
      objects: [gpuPool, ...types, gpuPod("t0"), gpuPod("t1"), gpuPod("t2")],
      pod: "t2",
      planned: /^unschedulable$/,
      says: /In the full plan: unschedulable, because\n {2}NodePool\/gpu: NodePool limit on nvidia\.com\/gpu would be exceeded: 2 in use \+ 1 \(a new g-1\) > 2\n\(the verdicts above ask about this pod alone/,
    },
    {
      name: "a pod the plan places: no plan reasons",
      objects: [gpuPool, ...types, gpuPod("t0"), gpuPod("t1"), gpuPod("t2")],
      pod: "t0",
      planned: /^new node gpu-0 /,
    },
    {
      name: "a pod nothing fits even alone: the table says why, the plan adds nothing",
      objects: [nodePool("gpu", { limits: { "nvidia.com/gpu": "0" } }), ...types, gpuPod("t0")],
      pod: "t0",
      planned: /^unschedulable$/,
      says: /In the full plan: unschedulable\n$/,
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const explanation = explain(row.objects, row.pod);
      assert.match(explanation.planned, row.planned);
      if (!row.planned.test("unschedulable")) assert.equal(explanation.plannedReasons, undefined);
      else assert.ok(explanation.plannedReasons !== undefined);
      if (row.says !== undefined) assert.match(renderExplanation(explanation), row.says);
    });
  }
});
