import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultNodePool, type NodePool } from "../api/nodepool.ts";
import { allowedDisruptions } from "./budgets.ts";

const pool = (budgets?: NonNullable<NodePool["spec"]["disruption"]>["budgets"]): NodePool =>
  defaultNodePool({
    apiVersion: "karpenter.sh/v1",
    kind: "NodePool",
    metadata: { name: "p" },
    spec: {
      template: { spec: { nodeClassRef: { group: "g", kind: "k", name: "n" }, requirements: [] } },
      ...(budgets !== undefined && { disruption: { consolidateAfter: "0s", budgets } }),
    },
  });
const wednesdayNoon = new Date("2026-11-25T12:00:00Z");

describe("NodePool disruption budgets (Karpenter GetAllowedDisruptionsByReason)", () => {
  const cases: [
    name: string,
    budgets: Parameters<typeof pool>[0],
    reason: "Empty" | "Drifted" | "Underutilized",
    nodes: number,
    allowed: number,
  ][] = [
    ["no budgets field: the default 10%, rounded up", undefined, "Empty", 3, 1],
    ["10% of 25 nodes rounds up to 3", [{ nodes: "10%" }], "Drifted", 25, 3],
    ["a count", [{ nodes: "5" }], "Underutilized", 100, 5],
    ["several budgets: the smallest", [{ nodes: "50%" }, { nodes: "2" }], "Empty", 10, 2],
    ["0% allows none", [{ nodes: "0%" }], "Empty", 10, 0],
    [
      "a budget for other reasons does not apply",
      [{ nodes: "0", reasons: ["Drifted"] }],
      "Empty",
      10,
      Infinity,
    ],
    [
      "a budget for this reason applies",
      [{ nodes: "1", reasons: ["Empty", "Drifted"] }],
      "Drifted",
      10,
      1,
    ],
    ["an empty budgets list allows everything", [], "Underutilized", 10, Infinity],
    [
      "a scheduled budget inside its window",
      [{ nodes: "0", schedule: "0 9 * * MON-FRI", duration: "8h" }],
      "Underutilized",
      10,
      0,
    ],
    [
      "a scheduled budget outside its window does not count",
      [{ nodes: "0", schedule: "0 9 * * SAT", duration: "8h" }, { nodes: "3" }],
      "Underutilized",
      10,
      3,
    ],
  ];
  for (const [name, budgets, reason, nodes, allowed] of cases) {
    it(name, () => {
      assert.equal(allowedDisruptions(pool(budgets), reason, nodes, wednesdayNoon), allowed);
    });
  }
});
