// `carpool plan -o table`: a stand-in price is marked and explained, so a user never reads it as a
// quote (issue 11: "say in the plan when a price is a stand-in").
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Plan, PlannedNodeClaim } from "../solver/plan.ts";
import { renderPlanTable } from "./plan.ts";

const claim = (name: string, standIn: boolean): PlannedNodeClaim => ({
  name,
  nodePool: "default",
  instanceType: "m5.large",
  instanceTypeOptions: ["m5.large"],
  zone: "us-east-1a",
  capacityType: standIn ? "spot" : "on-demand",
  price: 0.096,
  totalPrice: 0.096,
  priceParts: { instance: 0.096, volumes: 0, publicIPv4: 0 },
  ...(standIn && { priceStandIn: true as const }),
  labels: {},
  taints: [],
  startupTaints: [],
  pods: [`default/${name}-pod`],
  requests: { cpu: "1" },
});

const planOf = (claims: PlannedNodeClaim[]): Plan => {
  const standIns = claims.filter((c) => c.priceStandIn === true).length;
  return {
    apiVersion: "carpool.dev/v1alpha1",
    kind: "Plan",
    nodeClaims: claims,
    existingNodes: [],
    unschedulable: [],
    summary: {
      pods: claims.length,
      onExistingNodes: 0,
      onNewNodes: claims.length,
      unschedulable: 0,
      newNodes: claims.length,
      hourlyCost: 0.096 * claims.length,
      hourlyTotalCost: 0.096 * claims.length,
      ...(standIns > 0 && { standInPrices: standIns }),
    },
  };
};

const rows: { name: string; claims: PlannedNodeClaim[]; marked: string[]; note?: string }[] = [
  { name: "real prices: no mark, no note", claims: [claim("a", false)], marked: [] },
  {
    name: "one stand-in: its price marked, the note in the singular",
    claims: [claim("a", true), claim("b", false)],
    marked: ["a"],
    note: "* 1 new node's price is a stand-in",
  },
  {
    name: "two stand-ins: both marked, the note in the plural",
    claims: [claim("a", true), claim("b", true)],
    marked: ["a", "b"],
    note: "* 2 new nodes' prices are a stand-in",
  },
];

describe("plan table: stand-in prices", () => {
  for (const row of rows) {
    for (const wide of [false, true]) {
      it(`${row.name}${wide ? " (-o wide)" : ""}`, () => {
        const text = renderPlanTable(planOf(row.claims), { wide });
        const lines = text.split("\n");
        for (const c of row.claims) {
          const line = lines.find((l) => l.startsWith(`${c.name} `)) ?? "";
          const stars = (line.match(/\$0\.0960\*/g) ?? []).length;
          // -o wide shows the instance's part beside the whole: both are the stand-in.
          assert.equal(stars, row.marked.includes(c.name) ? (wide ? 2 : 1) : 0, line);
        }
        const note = lines.find((l) => l.startsWith("* "));
        if (row.note === undefined) assert.equal(note, undefined);
        else assert.ok(note?.startsWith(row.note), note);
      });
    }
  }
});
