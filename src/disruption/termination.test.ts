import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Node } from "../api/node.ts";
import type { Pod } from "../api/pod.ts";
import { bound } from "./fixtures.test-helpers.ts";
import { EvictionBudgets } from "./pdb.ts";
import { terminationStep } from "./termination.ts";

const node: Node = { apiVersion: "v1", kind: "Node", metadata: { name: "n" } };
const tainted: Node = {
  ...node,
  spec: { taints: [{ key: "karpenter.sh/disrupted", effect: "NoSchedule" }] },
};
const daemon = (name: string): Pod => {
  const pod = bound(name, "n", "100m");
  pod.metadata.ownerReferences = [{ apiVersion: "apps/v1", kind: "DaemonSet", name: "ds" }];
  return pod;
};
const critical = (name: string): Pod =>
  bound(name, "n", "100m", { spec: { priorityClassName: "system-node-critical" } });
const step = (
  pods: Pod[],
  extra: { node?: Node; grace?: number; now?: number; budgets?: EvictionBudgets } = {},
) =>
  terminationStep({
    node: extra.node ?? tainted,
    pods,
    budgets: extra.budgets ?? new EvictionBudgets([], pods),
    deletingSince: 0,
    gracePeriodMs: extra.grace,
    now: extra.now ?? 1000,
  });
const names = (pods: readonly Pod[]) => pods.map((p) => p.metadata.name);

describe("termination (Karpenter v1 terminator)", () => {
  it("taints the node karpenter.sh/disrupted:NoSchedule first", () => {
    assert.equal(step([bound("a", "n", "1")], { node }).taint, true);
    assert.equal(step([bound("a", "n", "1")]).taint, false);
  });
  it("drains in Karpenter's order: ordinary, ordinary daemonset, critical, critical daemonset", () => {
    const pods = [critical("crit"), daemon("ds"), bound("app", "n", "1")];
    const first = step(pods);
    assert.deepEqual(names(first.evict), ["app"]);
    assert.deepEqual(
      first.waiting.map((w) => [w.pod, w.why.code]),
      [
        ["default/crit", "earlier_group"],
        ["default/ds", "earlier_group"],
      ],
    );
    assert.deepEqual(names(step([critical("crit"), daemon("ds")]).evict), ["ds"]);
    assert.deepEqual(names(step([critical("crit")]).evict), ["crit"]);
  });
  it("once nothing is left to drain, the instance is deleted", () => {
    const finished = bound("done", "n", "1");
    finished.status = { phase: "Succeeded" };
    const tolerant = bound("t", "n", "1", {
      spec: { tolerations: [{ key: "karpenter.sh/disrupted", operator: "Exists" }] },
    });
    assert.equal(step([finished, tolerant]).deleteInstance, true);
  });
  it("do-not-disrupt pods and PodDisruptionBudgets hold the drain", () => {
    const guarded = bound("g", "n", "1", { labels: { app: "x" } });
    const budgets = new EvictionBudgets(
      [
        {
          apiVersion: "policy/v1",
          kind: "PodDisruptionBudget",
          metadata: { name: "x", namespace: "default" },
          spec: { minAvailable: 1, selector: { matchLabels: { app: "x" } } },
        },
      ],
      [guarded],
    );
    const result = step(
      [bound("p", "n", "1", { annotations: { "karpenter.sh/do-not-disrupt": "true" } }), guarded],
      {
        budgets,
      },
    );
    assert.deepEqual(result.evict, []);
    assert.deepEqual(
      result.waiting.map((w) => w.why.code),
      ["do_not_disrupt", "eviction"],
    );
    assert.equal(result.deleteInstance, false);
  });
  it("terminationGracePeriod: a pod is deleted once only its own grace period is left, the instance at the deadline", () => {
    const pod = bound("p", "n", "1", {
      annotations: { "karpenter.sh/do-not-disrupt": "true" },
      spec: { terminationGracePeriodSeconds: 60 },
    });
    const hour = 3_600_000;
    assert.deepEqual(names(step([pod], { grace: hour, now: hour - 61_000 }).forceDelete), []);
    assert.deepEqual(names(step([pod], { grace: hour, now: hour - 60_000 }).forceDelete), ["p"]);
    assert.equal(step([pod], { grace: hour, now: hour }).deleteInstance, true);
    assert.equal(step([pod], { now: 100 * hour }).deleteInstance, false); // no grace period: waits
  });
});
