import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  canPassThreshold,
  evaluateMove,
  nodeDisruption,
  poolTotals,
  scoreMove,
} from "./balanced.ts";
import {
  blockedOf,
  bound,
  catalog,
  disruptOf,
  managed,
  pool,
  summary,
} from "./fixtures.test-helpers.ts";

// Karpenter v1.14 consolidationPolicy: Balanced (kubernetes-sigs/karpenter#2962,
// designs/balanced-consolidation.md, pkg/controllers/disruption/balanced.go).

describe("Balanced scoring (Karpenter ScoreMove)", () => {
  it("k = 2 by default: a move needs a score of 0.5, and one just under it is rejected", () => {
    const totals = { cost: 1, disruption: 10 };
    assert.equal(scoreMove(0.25, 5, totals).threshold, 0.5);
    assert.equal(scoreMove(0.2499, 5, totals).approved, false);
  });
  const cases: [string, number, number, { cost: number; disruption: number }, boolean, number][] = [
    // name, savings, move disruption, pool totals, approved, score
    ["a single-node pool's delete scores exactly 1", 1, 3, { cost: 1, disruption: 3 }, true, 1],
    ["half the savings for half the disruption", 0.5, 5, { cost: 1, disruption: 10 }, true, 1],
    [
      "savings share half the disruption share: at the threshold",
      0.25,
      5,
      { cost: 1, disruption: 10 },
      true,
      0.5,
    ],
    [
      "a marginal replace is rejected",
      0.08,
      7,
      { cost: 0.36, disruption: 15 },
      false,
      0.08 / 0.36 / (7 / 15),
    ],
    ["no savings is rejected", 0, 1, { cost: 1, disruption: 10 }, false, 0],
    ["a net loss is rejected", -0.1, 1, { cost: 1, disruption: 10 }, false, 0],
    ["a pool with no cost rejects", 0.1, 1, { cost: 0, disruption: 10 }, false, 0],
    [
      "a pool with no disruption approves any saving",
      0.1,
      1,
      { cost: 1, disruption: 0 },
      true,
      Number.POSITIVE_INFINITY,
    ],
  ];
  for (const [name, savings, disruption, totals, approved, score] of cases) {
    it(name, () => {
      const result = scoreMove(savings, disruption, totals);
      assert.equal(result.approved, approved);
      assert.ok(Math.abs(result.score - score) < 1e-9 || result.score === score, `${result.score}`);
    });
  }

  it("a node's disruption is 1 plus its pods' eviction costs, negative ones counted as 0", () => {
    assert.equal(nodeDisruption({ podCosts: [] }), 1);
    assert.equal(nodeDisruption({ podCosts: [1, 1, 1] }), 4);
    assert.equal(nodeDisruption({ podCosts: [-10, 2] }), 3);
  });

  it("pool totals leave out nodes with no known price (Karpenter computeNodePoolTotals)", () => {
    const totals = poolTotals([
      { pool: "a", price: 0.1, podCosts: [1, 1] },
      { pool: "a", price: 0.2, podCosts: [] },
      { pool: "a", price: undefined, podCosts: [1, 1, 1, 1] },
      { pool: "b", price: 0.5, podCosts: [1] },
    ]);
    assert.deepEqual(
      [...totals],
      [
        ["a", { cost: 0.30000000000000004, disruption: 4 }],
        ["b", { cost: 0.5, disruption: 2 }],
      ],
    );
  });

  it("CanPassThreshold: a node whose outright delete would be rejected is not worth working out", () => {
    const totals = { cost: 0.23, disruption: 13 };
    assert.equal(
      canPassThreshold({ pool: "p", price: 0.05, podCosts: Array(10).fill(1) }, totals),
      false,
    );
    assert.equal(canPassThreshold({ pool: "p", price: 0.18, podCosts: [1] }, totals), true);
    // Zero totals let the node through; the move itself is scored (and rejected) later.
    assert.equal(
      canPassThreshold({ pool: "p", price: 0.05, podCosts: [1] }, { cost: 0, disruption: 0 }),
      true,
    );
  });

  it("a move over two Balanced pools shares its savings by price, and each pool must approve", () => {
    const nodes = [
      { pool: "a", price: 0.3, podCosts: [1] },
      { pool: "b", price: 0.1, podCosts: [1, 1, 1, 1, 1] },
    ];
    const totals = new Map([
      ["a", { cost: 0.6, disruption: 4 }],
      ["b", { cost: 0.2, disruption: 8 }],
    ]);
    // Savings 0.2: a gets 0.15 (score (0.15/0.6)/(2/4) = 0.5, approved); b gets 0.05 ((0.05/0.2)/(6/8) = 0.33).
    const both = evaluateMove(nodes, 0.2, () => 2, totals);
    assert.equal(both?.approved, false);
    assert.ok(Math.abs((both?.score ?? 0) - 1 / 3) < 1e-9);
    // Only a's policy is Balanced: b's part is not scored.
    const onlyA = evaluateMove(nodes, 0.2, (p) => (p === "a" ? 2 : undefined), totals);
    assert.equal(onlyA?.approved, true);
    assert.equal(
      evaluateMove(nodes, 0.2, () => undefined, totals),
      undefined,
    );
    // consolidationThreshold 3 on b: its 0.33 now passes (≥ 1/3).
    const lenient = evaluateMove(nodes, 0.2, (p) => (p === "b" ? 3 : 2), totals);
    assert.equal(lenient?.approved, true);
  });
});

describe("consolidationPolicy Balanced in disruption", () => {
  // Node a: a large ($0.18) holding 3 CPU in eight pods, which a medium ($0.10) could hold.
  // Node b: a large filled by eight 1-CPU pods. Nothing fits elsewhere.
  const eightSmall = Array.from({ length: 8 }, (_, i) => bound(`s${i}`, "a", "375m"));
  const eightFull = Array.from({ length: 8 }, (_, i) => bound(`f${i}`, "b", "1"));
  const cluster = (policy: string, aPods = eightSmall) => [
    pool("default", { consolidationPolicy: policy }),
    ...catalog,
    ...managed("a", "large"),
    ...managed("b", "large"),
    ...aPods,
    ...eightFull,
  ];

  it("WhenEmptyOrUnderutilized replaces the large with a medium for any saving", () => {
    assert.deepEqual(summary(disruptOf(cluster("WhenEmptyOrUnderutilized"))), [
      "Underutilized replace a → medium",
    ]);
  });
  it("Balanced refuses it: 22% of the pool's cost saved for 50% of its disruption", () => {
    const plan = disruptOf(cluster("Balanced"));
    assert.deepEqual(summary(plan), []);
    assert.equal(
      blockedOf(plan).a,
      "consolidationPolicy Balanced: the move saves 22.2% of its NodePool's cost for 50.0% of its disruption (score 0.44, needs 0.50)",
    );
  });
  it("consolidationThreshold 3 approves it: a score of 0.44 passes 1/3", () => {
    const plan = disruptOf([
      pool("default", { consolidationPolicy: "Balanced", consolidationThreshold: 3 }),
      ...catalog,
      ...managed("a", "large"),
      ...managed("b", "large"),
      ...eightSmall,
      ...eightFull,
    ]);
    assert.deepEqual(summary(plan), ["Underutilized replace a → medium"]);
  });
  it("Balanced approves the same saving when it moves one pod (22% saved for 18% disrupted)", () => {
    const plan = disruptOf(cluster("Balanced", [bound("one", "a", "3")]));
    assert.deepEqual(summary(plan), ["Underutilized replace a → medium"]);
  });
  it("Balanced skips a node whose outright delete would already be rejected (CanPassThreshold)", () => {
    const tiny = Array.from({ length: 10 }, (_, i) => bound(`t${i}`, "a", "100m"));
    const plan = disruptOf([
      pool("default", { consolidationPolicy: "Balanced" }),
      ...catalog,
      ...managed("a", "small"),
      ...managed("b", "large"),
      ...tiny,
      bound("lonely", "b", "1"),
    ]);
    // b's one pod fits on a: deleting b saves 78% of the cost for 15% of the disruption.
    assert.deepEqual(summary(plan), ["Underutilized delete b"]);
    assert.match(
      blockedOf(plan).a ?? "",
      /^consolidationPolicy Balanced: even deleting it would save 21\.7%/,
    );
  });
  it("empty nodes are deleted under Balanced as under the other policies", () => {
    const plan = disruptOf([
      pool("default", { consolidationPolicy: "Balanced" }),
      ...catalog,
      ...managed("a", "small"),
    ]);
    assert.deepEqual(summary(plan), ["Empty delete a"]);
  });
});
