import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Sample } from "../result.ts";
import { chartsFor, type Series, sameSeries } from "./charts.ts";

function sample(seconds: number, pools: Record<string, number>, types: Record<string, number>) {
  const s: Sample = {
    t: `${seconds}s`,
    seconds,
    nodes: 0,
    pendingPods: 0,
    runningPods: 0,
    hourlyCost: 0,
    nodesByPool: pools,
    nodesByCapacityType: types,
  };
  return s;
}

const step = (name: string, values: number[]): Series => ({ name, values, style: "step" });

describe("chartsFor", () => {
  // A NodePool whose requirements allow one karpenter.sh/capacity-type has exactly the nodes of
  // that capacity type: the second chart would only repeat the first under other names.
  const cases = [
    {
      name: "one capacity type per pool: the capacity-type chart is left out, with a note",
      samples: [
        sample(0, { od: 1 }, { "on-demand": 1 }),
        sample(60, { od: 1, sp: 3 }, { "on-demand": 1, spot: 3 }),
      ],
      ids: ["nodes-by-pool", "pods", "cost"],
      note: /od: on-demand, sp: spot/,
    },
    {
      name: "a pool mixing capacity types: both charts are drawn",
      samples: [
        sample(0, { general: 2 }, { "on-demand": 1, spot: 1 }),
        sample(60, { general: 3 }, { "on-demand": 1, spot: 2 }),
      ],
      ids: ["nodes-by-pool", "nodes-by-capacity-type", "pods", "cost"],
      note: undefined,
    },
    {
      name: "two pools, every node one capacity type: the one-line chart is left out",
      samples: [sample(0, { a: 1, b: 1 }, { spot: 2 }), sample(60, { a: 2, b: 1 }, { spot: 3 })],
      ids: ["nodes-by-pool", "pods", "cost"],
      note: /Every node was spot/,
    },
    {
      name: "one capacity type that does not add up to the pools' nodes is drawn, not hidden",
      samples: [sample(0, { a: 1, b: 1 }, { spot: 1 })],
      ids: ["nodes-by-pool", "nodes-by-capacity-type", "pods", "cost"],
      note: undefined,
    },
    {
      name: "no node at all: one empty node chart, saying why there is no other",
      samples: [sample(0, {}, {})],
      ids: ["nodes-by-pool", "pods", "cost"],
      note: /No node ran/,
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const charts = chartsFor(c.samples);
      assert.deepEqual(
        charts.map((chart) => chart.id),
        c.ids,
      );
      const note = charts[0]?.note;
      if (c.note === undefined) assert.equal(note, undefined);
      else assert.match(note ?? "", c.note);
    });

  it("titles every y axis with its unit", () => {
    const titles = chartsFor([sample(0, { a: 1 }, { spot: 1, "on-demand": 0 })]).map((c) => [
      c.id,
      c.yTitle,
    ]);
    assert.deepEqual(titles, [
      ["nodes-by-pool", "nodes"],
      ["nodes-by-capacity-type", "nodes"],
      ["pods", "pods"],
      ["cost", "USD per hour"],
    ]);
  });

  it("draws pending pods as bars and counts as steps", () => {
    const pods = chartsFor([sample(0, {}, {})]).find((c) => c.id === "pods");
    assert.deepEqual(
      pods?.series.map((s) => [s.name, s.style]),
      [
        ["running", "step"],
        ["pending", "bars"],
      ],
    );
  });
});

describe("sameSeries", () => {
  const cases = [
    {
      name: "equal values in another order pair up",
      a: [step("x", [1, 2]), step("y", [0, 1])],
      b: [step("p", [0, 1]), step("q", [1, 2])],
      want: [
        ["x", "q"],
        ["y", "p"],
      ],
    },
    {
      name: "a different count of series differs",
      a: [step("x", [1])],
      b: [step("p", [1]), step("q", [0])],
      want: undefined,
    },
    {
      name: "one differing sample differs",
      a: [step("x", [1, 2, 3])],
      b: [step("p", [1, 2, 4])],
      want: undefined,
    },
    {
      name: "one series cannot match two",
      a: [step("x", [1]), step("y", [2])],
      b: [step("p", [1]), step("q", [1])],
      want: undefined,
    },
    { name: "no series on either side are the same", a: [], b: [], want: [] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(sameSeries(c.a, c.b), c.want));
});
