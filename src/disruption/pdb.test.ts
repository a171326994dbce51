import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod } from "../api/pod.ts";
import type { PodDisruptionBudget } from "../api/policy.ts";
import { EvictionBudgets } from "./pdb.ts";

const pod = (
  name: string,
  labels: Record<string, string>,
  status: Pod["status"] = {},
  namespace = "default",
): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace, labels },
  spec: { nodeName: "n", containers: [{ name: "c" }] },
  status,
});
const pdb = (
  name: string,
  spec: PodDisruptionBudget["spec"],
  status?: PodDisruptionBudget["status"],
): PodDisruptionBudget => ({
  apiVersion: "policy/v1",
  kind: "PodDisruptionBudget",
  metadata: { name, namespace: "default" },
  spec,
  ...(status && { status }),
});
const app = { matchLabels: { app: "a" } };
const pods = [pod("a-0", { app: "a" }), pod("a-1", { app: "a" }), pod("a-2", { app: "a" })];
const notReady = { phase: "Running", conditions: [{ type: "Ready", status: "False" }] };

describe("PodDisruptionBudgets, counted as the API server's eviction check counts them", () => {
  const allowed = (budget: PodDisruptionBudget, all: Pod[] = pods) => {
    const budgets = new EvictionBudgets([budget], all);
    let n = 0;
    for (const p of all) {
      const check = budgets.check([p]);
      if (!check.ok) break;
      budgets.commit(check.consumes);
      n++;
    }
    return n;
  };
  const cases: [string, PodDisruptionBudget, number][] = [
    ["minAvailable 2 of 3 healthy: one eviction", pdb("p", { minAvailable: 2, selector: app }), 1],
    ["maxUnavailable 1: one eviction", pdb("p", { maxUnavailable: 1, selector: app }), 1],
    [
      "minAvailable 50% of 3 rounds up to 2: one eviction",
      pdb("p", { minAvailable: "50%", selector: app }),
      1,
    ],
    [
      "maxUnavailable 50% of 3 rounds up to 2: two evictions",
      pdb("p", { maxUnavailable: "50%", selector: app }),
      2,
    ],
    ["minAvailable 3 of 3: none", pdb("p", { minAvailable: 3, selector: app }), 0],
    [
      "status.disruptionsAllowed is what the API server reads",
      pdb(
        "p",
        { minAvailable: 0, selector: app },
        { disruptionsAllowed: 2, currentHealthy: 3, desiredHealthy: 1 },
      ),
      2,
    ],
    ["a budget without a selector selects nothing (policy/v1)", pdb("p", { minAvailable: 3 }), 3],
    [
      "an empty selector selects every pod of its namespace",
      pdb("p", { minAvailable: 3, selector: {} }),
      0,
    ],
  ];
  for (const [name, budget, expected] of cases) {
    it(name, () => assert.equal(allowed(budget), expected));
  }

  it("a budget in another namespace does not apply", () => {
    const other = {
      ...pdb("p", { minAvailable: 3, selector: app }),
      metadata: { name: "p", namespace: "other" },
    };
    assert.equal(allowed(other), 3);
  });

  it("a pod selected by two budgets cannot be evicted at all", () => {
    const budgets = new EvictionBudgets(
      [
        pdb("one", { maxUnavailable: 3, selector: app }),
        pdb("two", { maxUnavailable: 3, selector: app }),
      ],
      pods,
    );
    const check = budgets.check([pods[0] as Pod]);
    assert.equal(check.ok, false);
    if (!check.ok)
      assert.deepEqual(check.refusal, {
        code: "pdb_multiple",
        pod: "default/a-0",
        budgets: ["default/one", "default/two"],
      });
  });

  it("unhealthy pods: IfHealthyBudget lets them go while the application is healthy, without using the budget", () => {
    const mixed = [
      pod("a-0", { app: "a" }),
      pod("a-1", { app: "a" }),
      pod("a-2", { app: "a" }, notReady),
    ];
    const budgets = new EvictionBudgets([pdb("p", { minAvailable: 2, selector: app })], mixed);
    // currentHealthy 2 >= desiredHealthy 2: the unready pod goes free; no healthy one may go.
    assert.equal(budgets.check([mixed[2] as Pod]).ok, true);
    assert.equal(budgets.check([mixed[0] as Pod]).ok, false);
  });

  it("unhealthy pods: under IfHealthyBudget an unhealthy application protects them too", () => {
    const sick = [pod("a-0", { app: "a" }, notReady), pod("a-1", { app: "a" }, notReady)];
    const budgets = new EvictionBudgets([pdb("p", { minAvailable: 1, selector: app })], sick);
    assert.equal(budgets.check([sick[0] as Pod]).ok, false);
    const always = new EvictionBudgets(
      [pdb("p", { minAvailable: 1, selector: app, unhealthyPodEvictionPolicy: "AlwaysAllow" })],
      sick,
    );
    assert.equal(always.check([sick[0] as Pod]).ok, true);
  });

  it("pods not yet running (phase Pending) and terminal pods are evicted without a check", () => {
    const pending = pod("a-3", { app: "a" }, { phase: "Pending" });
    const budgets = new EvictionBudgets(
      [pdb("p", { minAvailable: 3, selector: app })],
      [...pods, pending],
    );
    assert.equal(budgets.check([pending]).ok, true);
  });

  it("evictions count down across checks: two nodes of one budget cannot both go", () => {
    const budgets = new EvictionBudgets([pdb("p", { maxUnavailable: 1, selector: app })], pods);
    const first = budgets.check([pods[0] as Pod]);
    assert.equal(first.ok, true);
    if (first.ok) budgets.commit(first.consumes);
    const second = budgets.check([pods[1] as Pod]);
    assert.equal(second.ok, false);
    if (!second.ok)
      assert.deepEqual(second.refusal, {
        code: "pdb_exhausted",
        budget: "default/p",
        pod: "default/a-1",
      });
  });
});
