import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { Pod, PodAffinityTerm, TopologySpreadConstraint } from "../api/pod.ts";
import { podAffinityReasons, preferredPodAffinityScore } from "./pod-affinity.ts";
import { TopologyIndex, type TopologyNode } from "./topology-index.ts";
import { topologySpreadReasons } from "./topology-spread.ts";

const zone = "topology.kubernetes.io/zone";
const host = "kubernetes.io/hostname";
const node = (
  name: string,
  z: string | undefined,
  extra: Partial<TopologyNode> = {},
): TopologyNode => ({
  name,
  labels: { [host]: name, ...(z && { [zone]: z }) },
  taints: [],
  ...extra,
});
const pod = (
  name: string,
  labels: Record<string, string>,
  spec: Partial<Pod["spec"]> = {},
  namespace = "default",
): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace, labels },
  spec: { containers: [{ name: "c" }], ...spec },
});
const term = (
  app: string,
  topologyKey: string,
  extra: Partial<PodAffinityTerm> = {},
): PodAffinityTerm => ({
  topologyKey,
  labelSelector: { matchLabels: { app } },
  ...extra,
});
const affine = (name: string, app: string, terms: PodAffinityTerm[]) =>
  pod(
    name,
    { app },
    { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } } },
  );
const antiAffine = (name: string, app: string, terms: PodAffinityTerm[]) =>
  pod(
    name,
    { app },
    { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } } },
  );

function cluster(
  placements: [Pod, string][],
  nodes = [node("a1", "a"), node("a2", "a"), node("b1", "b"), node("x", undefined)],
) {
  const index = new TopologyIndex(new Map([["team", { team: "t" }]]));
  for (const n of nodes) index.addNode(n);
  for (const [p, n] of placements) index.addPod(p, n);
  return index;
}
const codes = (reasons: { code: string }[]) => reasons.map((r) => r.code);

// Rows cite kube-scheduler interpodaffinity/filtering.go.
describe("pod affinity and anti-affinity (InterPodAffinity filter)", () => {
  const cache = pod("cache-0", { app: "cache" });
  const rows: [string, [Pod, string][], Pod, string, string[]][] = [
    [
      "affinity holds in a domain with a selected pod",
      [[cache, "a1"]],
      affine("web", "web", [term("cache", zone)]),
      "a2",
      [],
    ],
    [
      "affinity fails in a domain without one",
      [[cache, "a1"]],
      affine("web", "web", [term("cache", zone)]),
      "b1",
      ["pod_affinity_unsatisfied"],
    ],
    [
      "affinity fails on a node without the topology key",
      [[cache, "a1"]],
      affine("web", "web", [term("cache", zone)]),
      "x",
      ["pod_affinity_unsatisfied"],
    ],
    [
      "first pod of a self-affine group may go anywhere with the key",
      [],
      affine("web-0", "web", [term("web", zone)]),
      "b1",
      [],
    ],
    [
      "the special case needs the pod to match its own terms",
      [],
      affine("web-0", "web", [term("cache", zone)]),
      "b1",
      ["pod_affinity_unsatisfied"],
    ],
    [
      "pods in other namespaces do not count by default",
      [[pod("cache-0", { app: "cache" }, {}, "other"), "a1"]],
      affine("web", "web", [term("cache", zone)]),
      "a1",
      ["pod_affinity_unsatisfied"],
    ],
    [
      "an empty namespaceSelector selects every namespace",
      [[pod("cache-0", { app: "cache" }, {}, "other"), "a1"]],
      affine("web", "web", [term("cache", zone, { namespaceSelector: {} })]),
      "a1",
      [],
    ],
    [
      "a nil labelSelector selects no pod",
      [[cache, "a1"]],
      affine("web", "web", [{ topologyKey: zone }]),
      "a1",
      ["pod_affinity_unsatisfied"],
    ],
    [
      "anti-affinity fails where a selected pod runs",
      [[cache, "a1"]],
      antiAffine("c2", "cache", [term("cache", host)]),
      "a1",
      ["pod_anti_affinity_conflict"],
    ],
    [
      "anti-affinity by hostname allows another node in the zone",
      [[cache, "a1"]],
      antiAffine("c2", "cache", [term("cache", host)]),
      "a2",
      [],
    ],
    [
      "anti-affinity holds on a node without the key",
      [[cache, "a1"]],
      antiAffine("c2", "cache", [term("cache", zone)]),
      "x",
      [],
    ],
    [
      "an existing pod's anti-affinity keeps others out (symmetry)",
      [[antiAffine("loner", "loner", [term("web", zone)]), "a1"]],
      pod("web", { app: "web" }),
      "a2",
      ["existing_pod_anti_affinity"],
    ],
    [
      "the symmetric rule is per domain",
      [[antiAffine("loner", "loner", [term("web", zone)]), "a1"]],
      pod("web", { app: "web" }),
      "b1",
      [],
    ],
    [
      "matchLabelKeys narrows the selector to the pod's own value",
      [[pod("v1", { app: "web", version: "1" }), "a1"]],
      antiAffine("v2", "web", [term("web", zone, { matchLabelKeys: ["version"] })]),
      "a1",
      [],
    ],
  ];
  for (const [rule, placements, incoming, target, expected] of rows) {
    it(rule, () => {
      const index = cluster(placements);
      const reasons = podAffinityReasons(
        {
          ...incoming,
          metadata: {
            ...incoming.metadata,
            labels: {
              ...incoming.metadata.labels,
              ...(rule.startsWith("matchLabelKeys") && { version: "2" }),
            },
          },
        },
        index.nodes.get(target) as TopologyNode,
        index,
      );
      assert.deepEqual(codes(reasons), expected);
    });
  }
  it("symmetry sees an anti-affinity placed after the pod was first weighed (the index remembers a pod's selecting groups and extends them)", () => {
    const index = cluster([[antiAffine("loner", "loner", [term("web", host)]), "a1"]]);
    const incoming = pod("web", { app: "web" });
    const on = (name: string) =>
      codes(podAffinityReasons(incoming, index.nodes.get(name) as TopologyNode, index));
    assert.deepEqual(on("a1"), ["existing_pod_anti_affinity"]);
    assert.deepEqual(on("a2"), []);
    index.addPod(antiAffine("hermit", "hermit", [term("web", zone)]), "b1");
    assert.deepEqual(on("a2"), []);
    assert.deepEqual(on("b1"), ["existing_pod_anti_affinity"]);
    assert.deepEqual(on("a1"), ["existing_pod_anti_affinity"]);
  });
});

const spread = (extra: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint => ({
  maxSkew: 1,
  topologyKey: zone,
  whenUnsatisfiable: "DoNotSchedule",
  labelSelector: { matchLabels: { app: "web" } },
  ...extra,
});
const web = (name: string, constraint = spread(), spec: Partial<Pod["spec"]> = {}) =>
  pod(name, { app: "web" }, { topologySpreadConstraints: [constraint], ...spec });

// Rows cite kube-scheduler podtopologyspread/filtering.go.
describe("topology spread (PodTopologySpread filter)", () => {
  const rows: [string, [Pod, string][], Pod, string, string[], string[]?][] = [
    ["a domain at the minimum takes the pod", [[web("w0"), "a1"]], web("w1"), "b1", []],
    [
      "a domain above the minimum would exceed maxSkew",
      [[web("w0"), "a1"]],
      web("w1"),
      "a2",
      ["topology_spread_violation"],
    ],
    ["maxSkew 2 allows one more", [[web("w0"), "a1"]], web("w1", spread({ maxSkew: 2 })), "a2", []],
    [
      "a node without the key cannot take the pod",
      [],
      web("w0"),
      "x",
      ["topology_spread_violation"],
    ],
    [
      "ScheduleAnyway does not filter",
      [[web("w0"), "a1"]],
      web("w1", spread({ whenUnsatisfiable: "ScheduleAnyway" })),
      "a2",
      [],
    ],
    [
      "minDomains above the eligible domains makes the minimum 0",
      [
        [web("w0"), "a1"],
        [web("w1"), "b1"],
      ],
      web("w2", spread({ minDomains: 3 })),
      "a2",
      ["topology_spread_violation"],
    ],
    [
      "nodeAffinityPolicy Honor: domains of nodes the pod cannot select do not lower the minimum",
      [[web("w0"), "a1"]],
      web("w1", spread(), { nodeSelector: { [zone]: "a" } }),
      "a2",
      [],
    ],
    [
      "nodeAffinityPolicy Ignore: every domain counts",
      [[web("w0"), "a1"]],
      web("w1", spread({ nodeAffinityPolicy: "Ignore" }), { nodeSelector: { pool: "p" } }),
      "a2",
      ["topology_spread_violation"],
    ],
    [
      "a new domain the solver could launch in counts with zero pods",
      [
        [web("w0"), "a1"],
        [web("w1"), "b1"],
      ],
      web("w2"),
      "a2",
      ["topology_spread_violation"],
      ["c"],
    ],
    [
      "pods of another namespace do not count",
      [[pod("w0", { app: "web" }, {}, "team"), "a1"]],
      web("w1"),
      "a2",
      [],
    ],
  ];
  for (const [rule, placements, incoming, target, expected, extra] of rows) {
    it(rule, () => {
      const index = cluster(placements);
      const reasons = topologySpreadReasons(
        incoming,
        index.nodes.get(target) as TopologyNode,
        index,
        () => extra ?? [],
      );
      assert.deepEqual(codes(reasons), expected);
    });
  }
  it("nodeTaintsPolicy Honor leaves out domains of tainted nodes", () => {
    const taint = { key: "dedicated", effect: "NoSchedule" as const };
    const index = cluster(
      [[web("w0"), "a1"]],
      [node("a1", "a"), node("a2", "a"), node("b1", "b", { taints: [taint] })],
    );
    const honor = web("w1", spread({ nodeTaintsPolicy: "Honor" }));
    assert.deepEqual(
      codes(topologySpreadReasons(honor, index.nodes.get("a2") as TopologyNode, index)),
      [],
    );
    assert.deepEqual(
      codes(topologySpreadReasons(web("w1"), index.nodes.get("a2") as TopologyNode, index)),
      ["topology_spread_violation"],
    );
  });
  it("placing pods one at a time where allowed keeps the skew within maxSkew", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(2), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 3 }),
        (choices, maxSkew) => {
          const index = cluster([]);
          const zones = ["a1", "a2", "b1"];
          const counts = new Map<string, number>([
            ["a", 0],
            ["b", 0],
          ]);
          choices.forEach((choice, i) => {
            const incoming = web(`w${i}`, spread({ maxSkew }));
            const allowed = zones.filter(
              (n) =>
                topologySpreadReasons(incoming, index.nodes.get(n) as TopologyNode, index)
                  .length === 0,
            );
            const target = allowed[choice % Math.max(1, allowed.length)];
            assert.ok(target, "some domain is always allowed");
            index.addPod(incoming, target);
            const z = (index.nodes.get(target) as TopologyNode).labels[zone] as string;
            counts.set(z, (counts.get(z) ?? 0) + 1);
            const values = [...counts.values()];
            assert.ok(Math.max(...values) - Math.min(...values) <= maxSkew);
          });
        },
      ),
      { seed: 21 },
    );
  });
});

// kube-scheduler InterPodAffinity scoring: preferred affinity adds its weight, anti-affinity subtracts it.
describe("preferred pod affinity score (InterPodAffinity score)", () => {
  it("adds the weight of satisfied affinity terms and subtracts satisfied anti-affinity terms", () => {
    const index = cluster([
      [pod("cache-0", { app: "cache" }), "a1"],
      [pod("noisy-0", { app: "noisy" }), "a1"],
    ]);
    const incoming = pod(
      "web",
      { app: "web" },
      {
        affinity: {
          podAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 50, podAffinityTerm: term("cache", zone) },
            ],
          },
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 20, podAffinityTerm: term("noisy", host) },
            ],
          },
        },
      },
    );
    assert.equal(
      preferredPodAffinityScore(incoming, index.nodes.get("a1") as TopologyNode, index),
      30,
    );
    assert.equal(
      preferredPodAffinityScore(incoming, index.nodes.get("a2") as TopologyNode, index),
      50,
    );
    assert.equal(
      preferredPodAffinityScore(incoming, index.nodes.get("b1") as TopologyNode, index),
      0,
    );
  });
});
