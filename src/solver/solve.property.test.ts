import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { Taint } from "../api/pod.ts";
import { parseResources } from "../resources/resource-list.ts";
import { labelMatches } from "../scheduling/node-affinity.ts";
import { toleratedByAny } from "../scheduling/taints.ts";
import {
  instanceType,
  node,
  nodePool,
  placements,
  planOf,
  pod,
  sizes,
} from "./fixtures.test-helpers.ts";

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

/**
 * Hostname topology spread across new claims, existing nodes and in-flight claims (Karpenter
 * topologygroup.go domainMinCount: with a pool able to launch, a new node is a hostname domain with
 * no pod, so the minimum is 0): a node or claim that gets a replica ends with at most maxSkew of
 * them, bound ones included; one that already held maxSkew gets none; none is left unschedulable.
 */
const spreadWorld = fc.record({
  maxSkew: fc.integer({ min: 1, max: 3 }),
  nodes: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 4 }),
  claims: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
  pods: fc.array(
    fc.record({
      cpu: fc.constantFrom(100, 250, 500, 1000),
      replica: fc.boolean(),
    }),
    { minLength: 1, maxLength: 20 },
  ),
});

describe("solver properties: hostname topology spread", () => {
  it("no node or claim takes a replica beyond maxSkew, bound replicas included", () => {
    fc.assert(
      fc.property(spreadWorld, (w) => {
        const web = { app: "web" };
        const constraint = {
          maxSkew: w.maxSkew,
          topologyKey: "kubernetes.io/hostname",
          whenUnsatisfiable: "DoNotSchedule" as const,
          labelSelector: { matchLabels: web },
        };
        const boundOn = new Map<string, number>();
        const bound = (host: string, count: number) => {
          boundOn.set(host, count);
          return Array.from({ length: count }, (_, i) => {
            const p = pod(`${host}-old-${i}`, "100m", {}, web);
            return { ...p, spec: { ...p.spec, nodeName: host } };
          });
        };
        const existing = w.nodes.flatMap((count, i) => [
          node(`n${i}`, "8"),
          ...bound(`n${i}`, count),
        ]);
        const inFlight = w.claims.flatMap((count, i) => [
          {
            apiVersion: "karpenter.sh/v1",
            kind: "NodeClaim",
            metadata: { name: `c${i}`, labels: { "karpenter.sh/nodepool": "default" } },
            spec: {
              nodeClassRef: { group: "carpool.dev", kind: "K3sNodeClass", name: "default" },
              requirements: [
                { key: "node.kubernetes.io/instance-type", operator: "In", values: ["large"] },
              ],
            },
          },
          ...bound(`c${i}`, count),
        ]);
        const pending = w.pods.map((p, i) =>
          p.replica
            ? pod(`web-${i}`, `${p.cpu}m`, { topologySpreadConstraints: [constraint] }, web)
            : pod(`db-${i}`, `${p.cpu}m`, {}, { app: "db" }),
        );
        const result = planOf(nodePool("default"), ...sizes, ...existing, ...inFlight, ...pending);
        assert.equal(result.summary.unschedulable, 0, "a new node can always be launched");
        const replicasOn = new Map<string, number>();
        for (const [key, host] of Object.entries(placements(result)))
          if (key.startsWith("default/web-")) replicasOn.set(host, (replicasOn.get(host) ?? 0) + 1);
        for (const [host, added] of replicasOn) {
          const total = added + (boundOn.get(host) ?? 0);
          assert.ok(total <= w.maxSkew, `${host}: ${total} replicas, maxSkew ${w.maxSkew}`);
        }
      }),
      { seed: 515, numRuns: 150 },
    );
  });
});
