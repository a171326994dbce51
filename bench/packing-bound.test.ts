import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { InstanceType } from "../src/catalog/instance-type.ts";
import { addResources, type Resources } from "../src/resources/resource-list.ts";
import { lowerBound } from "./lower-bound.ts";
import { packingBound } from "./packing-bound.ts";

const GiB = 1024 ** 3;

function type(
  name: string,
  cpu: number,
  memory: number,
  pods: number,
  price: number,
): InstanceType {
  const allocatable = { cpu, memory, pods };
  return {
    name,
    labels: {},
    capacity: allocatable,
    overhead: {},
    allocatable,
    offerings: [{ zone: "z1", capacityType: "on-demand", price, available: true }],
  };
}

const priceOf = (t: InstanceType) => t.offerings[0]?.price;

/** The cheapest packing, by trying every partition of the pods into nodes. */
function optimum(types: readonly InstanceType[], pods: readonly Resources[]): number {
  const nodeCost = (block: readonly Resources[]) => {
    const total = block.reduce(addResources, {});
    let best = Number.POSITIVE_INFINITY;
    for (const t of types) {
      const fits = ["cpu", "memory", "pods"].every(
        (r) => (total[r] ?? 0) <= (t.allocatable[r] ?? 0),
      );
      if (fits) best = Math.min(best, priceOf(t) ?? Number.POSITIVE_INFINITY);
    }
    return best;
  };
  let best = Number.POSITIVE_INFINITY;
  const blocks: Resources[][] = [];
  const place = (i: number, cost: number) => {
    if (cost >= best) return;
    const pod = pods[i];
    if (pod === undefined) {
      best = cost;
      return;
    }
    for (const block of blocks) {
      const before = nodeCost(block);
      block.push(pod);
      place(i + 1, cost - before + nodeCost(block));
      block.pop();
    }
    blocks.push([pod]);
    place(i + 1, cost + nodeCost([pod]));
    blocks.pop();
  };
  place(0, 0);
  return best;
}

describe("packing bound (configuration LP)", () => {
  it("counts a pod's cpu on one node: 1.5-cpu pods need a 2-cpu node each, where the total-resource LP buys 0.75 of one", async () => {
    const types = [type("two", 2000, 4 * GiB, 10, 1), type("four", 4000, 8 * GiB, 20, 2.1)];
    const pods = Array.from({ length: 6 }, () => ({ cpu: 1500, memory: GiB, pods: 1 }));
    const packing = await packingBound(types, pods, priceOf);
    const total = await lowerBound(types, pods.reduce(addResources, {}), priceOf);
    assert.ok(Math.abs(packing.bound - 6) < 1e-6, `bound ${packing.bound}`);
    assert.ok(Math.abs(total - 4.5) < 1e-6, `total-resource bound ${total}`);
    assert.equal(optimum(types, pods), 6);
  });

  it("is never above the cheapest packing, and never below the total-resource LP by more than rounding", async () => {
    const shape = fc.record({
      cpu: fc.constantFrom(100, 250, 500, 1000, 1500),
      memory: fc.constantFrom(0.25, 0.5, 1, 2).map((g) => g * GiB),
    });
    const nodeType = fc.record({
      cpu: fc.constantFrom(2000, 4000, 8000),
      memory: fc.constantFrom(2, 4, 8, 16).map((g) => g * GiB),
      pods: fc.integer({ min: 2, max: 12 }),
      price: fc.integer({ min: 1, max: 100 }).map((p) => p / 100),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(nodeType, { minLength: 1, maxLength: 3 }),
        fc.array(shape, { minLength: 1, maxLength: 6 }),
        async (specs, shapes) => {
          const types = [
            ...specs.map((s, i) => type(`t${i}`, s.cpu, s.memory, s.pods, s.price)),
            type("big", 8000, 16 * GiB, 12, 2),
          ];
          const pods = shapes.map((s) => ({ ...s, pods: 1 }));
          const packing = await packingBound(types, pods, priceOf);
          const total = await lowerBound(types, pods.reduce(addResources, {}), priceOf);
          const best = optimum(types, pods);
          assert.ok(packing.bound <= best + 1e-6, `bound ${packing.bound} above optimum ${best}`);
          assert.ok(packing.bound >= total - 1e-6, `bound ${packing.bound} below ${total}`);
          assert.ok(packing.restricted >= packing.bound - 1e-6);
        },
      ),
      { numRuns: 60, seed: 20261125 },
    );
  });
});
