import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NamespacedKinds } from "../api/validate.ts";
import { replacementOutcomes } from "./fixtures.test-helpers.ts";
import { loadScenario } from "./scenario.ts";
import { simulate } from "./simulation.ts";

async function run(name: string) {
  const loaded = loadScenario(`examples/scenarios/${name}.yaml`);
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join("\n"));
  return simulate(loaded.scenario);
}

describe("the bundled scenarios", () => {
  it("eks-daily-traffic: every pod scheduled, nodes follow the traffic down, no violations", async () => {
    const result = await run("eks-daily-traffic");
    assert.deepEqual(result.violations, []);
    assert.equal(result.summary.pods.neverScheduled, 0);
    assert.ok(result.summary.nodes.final < result.summary.nodes.peak / 2);
    assert.ok(result.summary.disruptions.Empty + result.summary.disruptions.Underutilized > 0);
  });
  it("eks-daily-traffic: every consolidation replacement gets the pods it was launched for", async () => {
    // Karpenter launches a replacement only for pods its simulation places there; were they bound
    // elsewhere, it would be deleted empty minutes later (the demo once did that twice).
    const outcomes = replacementOutcomes(await run("eks-daily-traffic"));
    assert.ok(outcomes.length >= 1);
    for (const o of outcomes) {
      assert.ok(o.received > 0 && o.received >= o.evicted - o.moved, JSON.stringify(o));
    }
  });
  it("eks-daily-traffic: event data names objects one way, says each reason once, and shows bindings", async () => {
    const result = await run("eks-daily-traffic");
    for (const e of result.events) {
      // Kind/namespace/name for namespaced kinds, Kind/name otherwise; a command lists its nodes.
      for (const ref of e.object.split(",")) {
        const [kind, ...rest] = ref.split("/");
        assert.match(ref, /^[A-Z][A-Za-z]*\/./, JSON.stringify(e));
        if (NamespacedKinds.has(kind as never))
          assert.equal(rest.length, 2, `${JSON.stringify(e)}: namespace/name`);
      }
      assert.doesNotMatch(e.message, /^(\w+): \1\b/i, JSON.stringify(e));
    }
    // kube-scheduler's Scheduled event: every evicted pod's successor is seen landing somewhere.
    const evictions = result.events.filter((e) => e.kind === "PodEvicted");
    assert.ok(evictions.length > 0);
    for (const t of new Set(evictions.map((e) => e.t))) {
      const evicted = evictions.filter((e) => e.t === t).length;
      const scheduled = result.events.filter((e) => e.kind === "Scheduled" && e.t === t);
      assert.ok(scheduled.length >= evicted, `${t}: ${evicted} evicted, ${scheduled.length} bound`);
      const successors = scheduled.filter((e) => /, in place of evicted Pod\//.test(e.message));
      assert.equal(successors.length, evicted, `${t}: each evicted pod's successor is named`);
      for (const e of scheduled)
        assert.match(
          e.message,
          /^assigned to Node\/node-\d+(, in place of evicted Pod\/shop\/[\w-]+)?$/,
        );
    }
  });
  it("gpu-batch-burst: the GPU pool stays within its limit and goes back to nothing", async () => {
    const result = await run("gpu-batch-burst");
    assert.deepEqual(result.violations, []);
    const gpuNodes = result.samples.map((s) => s.nodesByPool.gpu ?? 0);
    assert.ok(Math.max(...gpuNodes) <= 16, "16 GPUs at most, one per node");
    assert.equal(gpuNodes.at(-1), 0);
    assert.equal(result.summary.pods.neverScheduled, 0);
  });
  it("k3s-edge: runs on the site's own machines only", async () => {
    const result = await run("k3s-edge");
    assert.deepEqual(result.violations, []);
    const launched = result.events
      .filter((e) => e.kind === "NodeClaimLaunched")
      .map((e) => e.message);
    assert.ok(
      launched.every((m) => /^(nuc-small|nuc-large|jetson-orin|pi5) /.test(m)),
      launched.join("\n"),
    );
  });
  it("fault-storm: interruptions and capacity shortages handled without losing pods", async () => {
    const result = await run("fault-storm");
    assert.deepEqual(result.violations, []);
    assert.ok(result.summary.disruptions.Interrupted >= 5);
    assert.ok(result.events.some((e) => e.kind === "InsufficientCapacity"));
    assert.equal(result.samples.at(-1)?.pendingPods, 0);
  });
});
