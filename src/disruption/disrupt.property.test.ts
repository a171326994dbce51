import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { bound, catalog, disruptOf, managed, pool } from "./fixtures.test-helpers.ts";

/**
 * After applying the commands to random clusters: every pod still has a place, no protected pod
 * was moved, no NodePool budget or PodDisruptionBudget was exceeded, no node is over its
 * allocatable, and the hourly cost never rises.
 */
const cpuOf: Record<string, number> = { small: 2000, medium: 4000, large: 8000 };
const apps = ["a", "b", "c"];

const cluster = fc.record({
  pools: fc.array(
    fc.record({
      whenEmpty: fc.boolean(),
      budget: fc.integer({ min: 0, max: 4 }),
    }),
    { minLength: 1, maxLength: 2 },
  ),
  nodes: fc.array(
    fc.record({
      type: fc.constantFrom("small", "medium", "large"),
      pool: fc.nat(),
      zone: fc.constantFrom("z1", "z2"),
      pods: fc.array(
        fc.record({
          cpu: fc.constantFrom(250, 500, 1000, 1500),
          app: fc.constantFrom(...apps),
          protected: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
        }),
        { maxLength: 4 },
      ),
    }),
    { minLength: 1, maxLength: 7 },
  ),
  maxUnavailable: fc.array(fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }), {
    minLength: apps.length,
    maxLength: apps.length,
  }),
});

describe("disruption properties", () => {
  it("keeps every pod placed, protected pods still, budgets, PDBs and allocatable, and never raises cost", () => {
    fc.assert(
      fc.property(cluster, (c) => {
        const objects: object[] = [...catalog];
        c.pools.forEach((p, i) => {
          objects.push(
            pool(`p${i}`, {
              consolidationPolicy: p.whenEmpty ? "WhenEmpty" : "WhenEmptyOrUnderutilized",
              budgets: [{ nodes: String(p.budget) }],
            }),
          );
        });
        const podCpu = new Map<string, number>();
        const podApp = new Map<string, string>();
        const protectedPods = new Set<string>();
        const where = new Map<string, string>();
        const used = new Map<string, number>();
        const allocatable = new Map<string, number>();
        const poolOf = new Map<string, string>();
        c.nodes.forEach((n, i) => {
          const name = `n${i}`;
          const poolName = `p${n.pool % c.pools.length}`;
          objects.push(...managed(name, n.type, { pool: poolName, zone: n.zone }));
          allocatable.set(name, cpuOf[n.type] ?? 0);
          poolOf.set(name, poolName);
          let cpu = 0;
          n.pods.forEach((p, j) => {
            if (cpu + p.cpu > (cpuOf[n.type] ?? 0)) return;
            cpu += p.cpu;
            const podName = `${name}-${j}`;
            const key = `default/${podName}`;
            objects.push(
              bound(podName, name, `${p.cpu}m`, {
                labels: { app: p.app },
                ...(p.protected && { annotations: { "karpenter.sh/do-not-disrupt": "true" } }),
              }),
            );
            podCpu.set(key, p.cpu);
            podApp.set(key, p.app);
            where.set(key, name);
            if (p.protected) protectedPods.add(key);
          });
          used.set(name, cpu);
        });
        const pdbAllowed = new Map<string, number>();
        apps.forEach((app, i) => {
          const k = c.maxUnavailable[i];
          if (k === undefined) return;
          objects.push({
            apiVersion: "policy/v1",
            kind: "PodDisruptionBudget",
            metadata: { name: app, namespace: "default" },
            spec: { maxUnavailable: k, selector: { matchLabels: { app } } },
          });
          pdbAllowed.set(app, k);
        });

        const plan = disruptOf(objects);

        const evicted = new Map<string, number>();
        const disruptedPerPool = new Map<string, number>();
        const gone = new Set<string>();
        plan.commands.forEach((command, index) => {
          assert.ok(command.savings >= 0, `command ${index} raises the cost`);
          for (const node of command.nodes) {
            assert.ok(!gone.has(node), `${node} disrupted twice`);
            gone.add(node);
            const poolName = poolOf.get(node) ?? "?";
            disruptedPerPool.set(poolName, (disruptedPerPool.get(poolName) ?? 0) + 1);
          }
          const leaving = [...where.entries()].filter(([, node]) => command.nodes.includes(node));
          const moves = new Map(command.moves.map((m) => [m.pod, m.node]));
          command.replacements.forEach((r, i) => {
            const name = `r${index}-${i}`;
            allocatable.set(name, cpuOf[r.instanceType] ?? 0);
            used.set(name, 0);
            for (const pod of r.pods) moves.set(pod, name);
          });
          for (const [pod] of leaving) {
            assert.ok(!protectedPods.has(pod), `protected pod ${pod} was moved`);
            const target = moves.get(pod);
            assert.ok(target !== undefined, `pod ${pod} of ${command.nodes} has no place`);
            assert.ok(!gone.has(target), `pod ${pod} moved to ${target}, which goes`);
            where.set(pod, target);
            used.set(target, (used.get(target) ?? 0) + (podCpu.get(pod) ?? 0));
            const app = podApp.get(pod) ?? "";
            evicted.set(app, (evicted.get(app) ?? 0) + 1);
          }
        });
        for (const [node, cpu] of used) {
          if (gone.has(node)) continue;
          assert.ok(cpu <= (allocatable.get(node) ?? 0), `${node} is over its allocatable cpu`);
        }
        c.pools.forEach((p, i) => {
          assert.ok((disruptedPerPool.get(`p${i}`) ?? 0) <= p.budget, `pool p${i} over budget`);
        });
        for (const [app, allowed] of pdbAllowed) {
          assert.ok((evicted.get(app) ?? 0) <= allowed, `PodDisruptionBudget ${app} exceeded`);
        }
        assert.ok(plan.summary.hourlyCostAfter <= plan.summary.hourlyCostBefore);
      }),
      { seed: 20261125, numRuns: 150 },
    );
  });
});
