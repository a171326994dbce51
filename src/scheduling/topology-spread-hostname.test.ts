import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { Pod, TopologySpreadConstraint } from "../api/pod.ts";
import { TopologyIndex, type TopologyNode } from "./topology-index.ts";
import {
  type ExtraDomains,
  hostnameSpreadAdmits,
  topologySpreadReasons,
  UnlaunchedNode,
} from "./topology-spread.ts";

const host = "kubernetes.io/hostname";
const zone = "topology.kubernetes.io/zone";
const hosts = ["h1", "h2", "h3"];
const node = (name: string, extra: Partial<TopologyNode> = {}): TopologyNode => ({
  name,
  labels: { [host]: name, [zone]: name === "h3" ? "b" : "a", pool: name === "h1" ? "p" : "q" },
  taints: [],
  ...extra,
});
const spread = (extra: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint => ({
  maxSkew: 1,
  topologyKey: host,
  whenUnsatisfiable: "DoNotSchedule",
  labelSelector: { matchLabels: { app: "web" } },
  ...extra,
});
const pod = (
  name: string,
  constraints: TopologySpreadConstraint[] = [],
  labels: Record<string, string> = { app: "web" },
  spec: Partial<Pod["spec"]> = {},
): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default", labels },
  spec: { containers: [{ name: "c" }], topologySpreadConstraints: constraints, ...spec },
});
const withNewNode: ExtraDomains = (key) => (key === host ? [UnlaunchedNode] : []);
const existingOnly: ExtraDomains = () => [];

/** Pods already placed, as counts per host. */
function indexOf(counts: Record<string, number>): TopologyIndex {
  const index = new TopologyIndex();
  for (const h of hosts) index.addNode(node(h));
  for (const [h, n] of Object.entries(counts))
    for (let i = 0; i < n; i++) index.addPod(pod(`${h}-${i}`), h);
  return index;
}

const codes = (incoming: Pod, target: string, index: TopologyIndex, extra: ExtraDomains) =>
  topologySpreadReasons(incoming, index.nodes.get(target) as TopologyNode, index, extra).map(
    (r) => r.code,
  );

describe("hostname topology spread with a node yet to launch", () => {
  // [rule, counts per host, incoming pod, target, extra domains, expected codes]
  const rows: [string, Record<string, number>, Pod, string, ExtraDomains, string[]][] = [
    [
      "every host holds one: kube-scheduler's minimum is 1, so one more fits (filtering.go)",
      { h1: 1, h2: 1, h3: 1 },
      pod("w", [spread()]),
      "h1",
      existingOnly,
      [],
    ],
    [
      "a node yet to launch has no pod: the minimum is 0 and a full host refuses (Karpenter domainMinCount)",
      { h1: 1, h2: 1, h3: 1 },
      pod("w", [spread()]),
      "h1",
      withNewNode,
      ["topology_spread_violation"],
    ],
    [
      "an empty host still takes the pod with a node yet to launch (0 + 1 − 0 ≤ 1)",
      { h1: 1, h2: 1 },
      pod("w", [spread()]),
      "h3",
      withNewNode,
      [],
    ],
    [
      "maxSkew 2 leaves room for a second pod a host (nextDomainTopologySpread: count ≤ maxSkew)",
      { h1: 1, h2: 1, h3: 1 },
      pod("w", [spread({ maxSkew: 2 })]),
      "h1",
      withNewNode,
      [],
    ],
    [
      "a pod its selector does not pick adds nothing to its host's count (selfMatch 0)",
      { h1: 1, h2: 1, h3: 1 },
      pod("w", [spread()], { app: "other" }),
      "h1",
      withNewNode,
      [],
    ],
    [
      "the extra hostname domain does not touch a zone constraint (only its own key)",
      { h1: 1, h3: 1 },
      pod("w", [spread({ topologyKey: zone })]),
      "h2",
      withNewNode,
      [],
    ],
    [
      "minDomains above the hosts there are: minimum 0 even without a node to launch (filtering.go minDomains)",
      { h1: 1, h2: 1, h3: 1 },
      pod("w", [spread({ minDomains: 4 })]),
      "h1",
      existingOnly,
      ["topology_spread_violation"],
    ],
  ];
  for (const [rule, counts, incoming, target, extra, expected] of rows) {
    it(rule, () => assert.deepEqual(codes(incoming, target, indexOf(counts), extra), expected));
  }

  it("no DoNotSchedule hostname constraint, or no node to launch: no shortcut", () => {
    const index = indexOf({});
    assert.equal(
      hostnameSpreadAdmits(pod("w", [spread({ topologyKey: zone })]), index, withNewNode),
      undefined,
    );
    assert.equal(hostnameSpreadAdmits(pod("w", [spread()]), index, existingOnly), undefined);
    assert.equal(
      hostnameSpreadAdmits(
        pod("w", [spread({ whenUnsatisfiable: "ScheduleAnyway" })]),
        index,
        withNewNode,
      ),
      undefined,
    );
  });

  it("the per-hostname shortcut agrees with the full rule on every host", () => {
    const constraint = fc.record({
      maxSkew: fc.integer({ min: 1, max: 3 }),
      minDomains: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
      nodeAffinityPolicy: fc.constantFrom("Honor" as const, "Ignore" as const),
      nodeTaintsPolicy: fc.constantFrom("Honor" as const, "Ignore" as const),
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...hosts), fc.boolean()), { maxLength: 12 }),
        fc.array(constraint, { minLength: 1, maxLength: 2 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (placed, constraints, selfSelecting, selectsPool, taintH2) => {
          const index = new TopologyIndex();
          const taints = [{ key: "t", effect: "NoSchedule" as const }];
          for (const h of hosts) index.addNode(node(h, h === "h2" && taintH2 ? { taints } : {}));
          for (const [i, [h, matches]] of placed.entries())
            index.addPod(pod(`p${i}`, [], { app: matches ? "web" : "db" }), h);
          const incoming = pod(
            "w",
            constraints.map((c) => spread(c)),
            { app: selfSelecting ? "web" : "other" },
            selectsPool ? { nodeSelector: { pool: "q" } } : {},
          );
          const admits = hostnameSpreadAdmits(incoming, index, withNewNode);
          assert.ok(admits !== undefined);
          for (const h of hosts) {
            const full = codes(incoming, h, index, withNewNode).length === 0;
            assert.equal(admits(h), full, `host ${h}`);
          }
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });
});
