import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  blockedOf,
  bound,
  catalog,
  disruptOf,
  managed,
  nodePool,
  pool,
  summary,
} from "../../disruption/fixtures.test-helpers.ts";

/** A static pool (spec.replicas) with a budget that would let every node go. */
const fixed = nodePool("fixed", {
  replicas: 2,
  disruption: { consolidateAfter: "0s", budgets: [{ nodes: "100%" }] },
});

describe("disruption and static NodePools (Karpenter #2521: consolidation does not apply to them)", () => {
  const rows: { name: string; objects: object[]; commands: string[]; blocked?: RegExp }[] = [
    {
      name: "empty nodes of a static pool are not deleted (no emptiness)",
      objects: [
        fixed,
        ...catalog,
        ...managed("a", "medium", { pool: "fixed" }),
        ...managed("b", "medium", { pool: "fixed" }),
      ],
      commands: [],
      blocked: /static \(spec\.replicas: 2\): consolidation does not apply/,
    },
    {
      name: "an underutilized static node is not consolidated onto another",
      objects: [
        fixed,
        ...catalog,
        ...managed("a", "large", { pool: "fixed" }),
        ...managed("b", "large", { pool: "fixed" }),
        bound("p", "a", "500m"),
        bound("q", "b", "500m"),
      ],
      commands: [],
      blocked: /static/,
    },
    {
      name: "the same nodes in a dynamic pool are consolidated (the contrast)",
      objects: [pool(), ...catalog, ...managed("a", "medium"), ...managed("b", "medium")],
      commands: ["Empty delete a,b"],
    },
  ];
  for (const row of rows)
    it(row.name, () => {
      const plan = disruptOf(row.objects);
      assert.deepEqual(summary(plan), row.commands);
      if (row.blocked !== undefined)
        for (const reason of Object.values(blockedOf(plan))) assert.match(reason, row.blocked);
    });
});

describe("drift of a static pool's node (Karpenter StaticDrift)", () => {
  const drifted = (limits?: Record<string, string>) => [
    nodePool(
      "fixed",
      {
        replicas: 1,
        ...(limits && { limits }),
        disruption: { consolidateAfter: "0s", budgets: [{ nodes: "100%" }] },
      },
      { requirements: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["z2"] }] },
    ),
    ...catalog,
    ...managed("a", "large", { pool: "fixed", zone: "z1" }),
    bound("p", "a", "3"),
  ];
  const rows: { name: string; objects: object[]; commands: string[] }[] = [
    {
      // Not a re-pack: the cheapest node of the pool's template, whatever the pods need.
      name: "is replaced by one node of the pool's own template, launched first",
      objects: drifted(),
      commands: ["Drifted replace a → small"],
    },
    {
      name: "at limits.nodes, goes first (the static controller launches its successor)",
      objects: drifted({ nodes: "1" }),
      commands: ["Drifted delete a"],
    },
  ];
  for (const row of rows)
    it(row.name, () => {
      const plan = disruptOf(row.objects);
      assert.deepEqual(summary(plan), row.commands);
      for (const r of plan.commands[0]?.replacements ?? []) assert.equal(r.zone, "z2");
    });
});
