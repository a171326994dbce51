import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { instanceType, nodePool, planOf, pod } from "./fixtures.test-helpers.ts";

interface Shape {
  readonly cpu: number;
  readonly memory: number;
}

/** Every way to split `items` into groups (set partitions). */
function* partitions<T>(items: readonly T[]): Generator<T[][]> {
  if (items.length === 0) {
    yield [];
    return;
  }
  const [first, ...rest] = items as [T, ...T[]];
  for (const partition of partitions(rest)) {
    for (let i = 0; i < partition.length; i++) {
      yield partition.map((group, j) => (j === i ? [first, ...group] : group));
    }
    yield [[first], ...partition];
  }
}

/** The cheapest hourly cost of any grouping, each group on the cheapest type that holds it. */
function optimalCost(
  pods: readonly Shape[],
  types: readonly (Shape & { price: number })[],
): number | undefined {
  let best: number | undefined;
  for (const partition of partitions(pods)) {
    let cost = 0;
    for (const group of partition) {
      const cpu = group.reduce((sum, p) => sum + p.cpu, 0);
      const memory = group.reduce((sum, p) => sum + p.memory, 0);
      const prices = types.filter((t) => t.cpu >= cpu && t.memory >= memory).map((t) => t.price);
      if (prices.length === 0) {
        cost = Number.POSITIVE_INFINITY;
        break;
      }
      cost += Math.min(...prices);
    }
    if (best === undefined || cost < best) best = cost;
  }
  return best === Number.POSITIVE_INFINITY ? undefined : best;
}

describe("solver against an exhaustive search on tiny inputs", () => {
  it("never beats the optimum (that would be over-packing) and is usually optimal", () => {
    const worst: number[] = [];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            cpu: fc.integer({ min: 1, max: 8 }),
            memory: fc.integer({ min: 1, max: 16 }),
            price: fc.integer({ min: 1, max: 40 }),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        fc.array(
          fc.record({
            cpu: fc.constantFrom(250, 500, 1000, 1500, 2000, 3000),
            memory: fc.constantFrom(256, 512, 1024, 2048, 4096),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        (rawTypes, rawPods) => {
          const types = rawTypes.map((t) => ({
            cpu: t.cpu * 1000,
            memory: t.memory * 1024,
            price: t.price / 100,
          }));
          const pods = rawPods.map((p) => ({ cpu: p.cpu, memory: p.memory }));
          const optimum = optimalCost(pods, types);
          const result = planOf(
            nodePool("default"),
            ...types.map((t, i) =>
              instanceType(`t${i}`, t.cpu / 1000, t.memory / 1024, t.price, { zones: ["z1"] }),
            ),
            ...pods.map((p, i) =>
              pod(`p${i}`, `${p.cpu}m`, {
                containers: [
                  {
                    name: "c",
                    resources: { requests: { cpu: `${p.cpu}m`, memory: `${p.memory}Mi` } },
                  },
                ],
              }),
            ),
          );
          if (optimum === undefined) {
            assert.ok(
              result.summary.unschedulable > 0,
              "the exhaustive search finds no placement for some pod",
            );
            return;
          }
          if (result.summary.unschedulable > 0) return; // a pod larger than every type: both agree it cannot go
          const cost = result.summary.hourlyCost;
          assert.ok(
            cost >= optimum - 1e-9,
            `cost ${cost} below the optimum ${optimum}: over-packed`,
          );
          worst.push(cost / optimum);
        },
      ),
      { seed: 7, numRuns: 300 },
    );
    assert.ok(worst.length > 100, "most cases are schedulable");
    // Greedy packing has no constant bound against the optimum with arbitrary prices (the worst
    // case here, 1.64×, is a trap Karpenter's first fit falls into too); these guard the typical
    // quality. At seed 7: 265 cases, 256 optimal, mean ratio 1.012.
    const mean = worst.reduce((a, b) => a + b, 0) / worst.length;
    const optimal = worst.filter((ratio) => ratio < 1 + 1e-9).length;
    assert.ok(mean <= 1.05, `mean cost ratio ${mean} above 1.05`);
    assert.ok(optimal >= 0.9 * worst.length, `only ${optimal} of ${worst.length} cases optimal`);
  });
});
