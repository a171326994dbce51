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

/**
 * The cheapest hourly cost of any grouping, each group on the cheapest type that holds it; with
 * `perNode`, no group larger than that (hostname spread: at most maxSkew replicas a new node).
 */
function optimalCost(
  pods: readonly Shape[],
  types: readonly (Shape & { price: number })[],
  perNode = Number.POSITIVE_INFINITY,
): number | undefined {
  let best: number | undefined;
  for (const partition of partitions(pods)) {
    if (partition.some((group) => group.length > perNode)) continue;
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

// Karpenter topologygroup.go (domainMinCount): every new node is a hostname domain with no pod, so
// replicas with a DoNotSchedule hostname constraint go at most maxSkew to a node; any grouping
// within that is one kube-scheduler accepts, so the exhaustive search ranges over exactly those.
describe("solver against an exhaustive search: hostname topology spread", () => {
  it("keeps maxSkew replicas a node at most, never beats the constrained optimum, is usually optimal", () => {
    const ratios: number[] = [];
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
            cpu: fc.constantFrom(250, 500, 1000, 2000),
            memory: fc.constantFrom(256, 1024, 4096),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.integer({ min: 1, max: 3 }),
        (rawTypes, rawPods, maxSkew) => {
          const types = rawTypes.map((t) => ({
            cpu: t.cpu * 1000,
            memory: t.memory * 1024,
            price: t.price / 100,
          }));
          const optimum = optimalCost(rawPods, types, maxSkew);
          const app = { app: "web" };
          const constraint = {
            maxSkew,
            topologyKey: "kubernetes.io/hostname",
            whenUnsatisfiable: "DoNotSchedule" as const,
            labelSelector: { matchLabels: app },
          };
          const result = planOf(
            nodePool("default"),
            ...types.map((t, i) =>
              instanceType(`t${i}`, t.cpu / 1000, t.memory / 1024, t.price, { zones: ["z1"] }),
            ),
            ...rawPods.map((p, i) =>
              pod(
                `p${i}`,
                `${p.cpu}m`,
                {
                  topologySpreadConstraints: [constraint],
                  containers: [
                    {
                      name: "c",
                      resources: { requests: { cpu: `${p.cpu}m`, memory: `${p.memory}Mi` } },
                    },
                  ],
                },
                app,
              ),
            ),
          );
          for (const claim of result.nodeClaims)
            assert.ok(claim.pods.length <= maxSkew, `${claim.name}: ${claim.pods.length} replicas`);
          if (optimum === undefined) {
            assert.ok(result.summary.unschedulable > 0, "no grouping fits, so some pod cannot go");
            return;
          }
          if (result.summary.unschedulable > 0) return;
          const cost = result.summary.hourlyCost;
          assert.ok(cost >= optimum - 1e-9, `cost ${cost} below the optimum ${optimum}`);
          ratios.push(cost / optimum);
        },
      ),
      { seed: 17, numRuns: 300 },
    );
    assert.ok(ratios.length > 100, "most cases are schedulable");
    const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
    const optimal = ratios.filter((ratio) => ratio < 1 + 1e-9).length;
    // At seed 17: 269 cases, 261 optimal, mean ratio 1.007, worst 1.5.
    assert.ok(mean <= 1.05, `mean cost ratio ${mean} above 1.05`);
    assert.ok(optimal >= 0.9 * ratios.length, `only ${optimal} of ${ratios.length} cases optimal`);
  });
});
