import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { Taint } from "../api/pod.ts";
import { parseResources } from "../resources/resource-list.ts";
import { labelMatches } from "../scheduling/node-affinity.ts";
import { toleratedByAny } from "../scheduling/taints.ts";
import { instanceType, nodePool, planOf, pod } from "./fixtures.test-helpers.ts";

/**
 * For random pods, pools and catalogs: every pending pod is placed exactly once or reported
 * unschedulable; no new node exceeds its allocatable; no pod lands on a taint it does not tolerate
 * or a label set it does not select; no pool limit is exceeded.
 */
const teams = ["a", "b", "c"];
const world = fc.record({
  types: fc.array(
    fc.record({
      cpu: fc.constantFrom(1, 2, 4, 8),
      memory: fc.constantFrom(2, 4, 8, 16),
      price: fc.integer({ min: 1, max: 100 }),
      gpu: fc.boolean(),
    }),
    { minLength: 1, maxLength: 5 },
  ),
  pools: fc.array(
    fc.record({
      weight: fc.integer({ min: 1, max: 3 }),
      tainted: fc.boolean(),
      team: fc.option(fc.constantFrom(...teams), { nil: undefined }),
      cpuLimit: fc.option(fc.constantFrom(4, 8, 16), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  pods: fc.array(
    fc.record({
      cpu: fc.constantFrom(100, 500, 1000, 1500, 3000),
      memory: fc.constantFrom(128, 512, 1024, 4096),
      gpu: fc.boolean(),
      tolerates: fc.boolean(),
      team: fc.option(fc.constantFrom(...teams), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 25 },
  ),
});

describe("solver properties", () => {
  it("places every pod once, within allocatable, taints, selectors and limits", () => {
    fc.assert(
      fc.property(world, (w) => {
        const types = w.types.map((t, i) =>
          instanceType(
            `t${i}`,
            t.cpu,
            t.memory,
            t.price / 100,
            t.gpu ? { capacity: { "nvidia.com/gpu": "1" } } : {},
          ),
        );
        const taint: Taint = { key: "dedicated", value: "x", effect: "NoSchedule" };
        const pools = w.pools.map((p, i) =>
          nodePool(
            `pool${i}`,
            { weight: p.weight, ...(p.cpuLimit && { limits: { cpu: String(p.cpuLimit) } }) },
            {
              ...(p.tainted && { taints: [taint] }),
              requirements: p.team ? [{ key: "team", operator: "In", values: [p.team] }] : [],
            },
          ),
        );
        const pods = w.pods.map((p, i) =>
          pod(`p${i}`, `${p.cpu}m`, {
            containers: [
              {
                name: "c",
                resources: {
                  requests: { cpu: `${p.cpu}m`, memory: `${p.memory}Mi` },
                  ...(p.gpu && { limits: { "nvidia.com/gpu": "1" } }),
                },
              },
            ],
            ...(p.tolerates && { tolerations: [{ key: "dedicated", operator: "Exists" }] }),
            ...(p.team && { nodeSelector: { team: p.team } }),
          }),
        );
        const result = planOf(...pools, ...types, ...pods);

        const seen = [
          ...result.nodeClaims.flatMap((c) => c.pods),
          ...result.existingNodes.flatMap((n) => n.pods),
          ...result.unschedulable.map((u) => u.pod),
        ].sort();
        assert.deepEqual(
          seen,
          pods.map((p) => `default/${p.metadata.name}`).sort(),
          "every pod exactly once",
        );

        const byName = new Map(pods.map((p) => [`default/${p.metadata.name}`, p]));
        const typeByName = new Map(types.map((t) => [t.metadata.name, t]));
        const usage = new Map<string, number>();
        for (const claim of result.nodeClaims) {
          const type = typeByName.get(claim.instanceType);
          const capacity = parseResources(type?.spec.capacity);
          const requests = parseResources(claim.requests);
          assert.ok(capacity.ok && requests.ok);
          for (const [resource, amount] of Object.entries(requests.resources)) {
            assert.ok(
              amount <= (capacity.resources[resource] ?? 0),
              `${claim.name}: ${resource} over allocatable`,
            );
          }
          for (const key of claim.pods) {
            const p = byName.get(key);
            for (const t of claim.taints)
              assert.ok(toleratedByAny(t, p?.spec.tolerations), `${key} on an untolerated taint`);
            for (const [k, v] of Object.entries(p?.spec.nodeSelector ?? {})) {
              assert.ok(
                labelMatches({ key: k, operator: "In", values: [v] }, claim.labels[k]),
                `${key} on a node it does not select`,
              );
            }
          }
          usage.set(
            claim.nodePool,
            (usage.get(claim.nodePool) ?? 0) + (capacity.resources.cpu ?? 0),
          );
        }
        w.pools.forEach((p, i) => {
          if (p.cpuLimit)
            assert.ok(
              (usage.get(`pool${i}`) ?? 0) <= p.cpuLimit * 1000,
              `pool${i} over its cpu limit`,
            );
        });
      }),
      { seed: 424242, numRuns: 150 },
    );
  });
});
