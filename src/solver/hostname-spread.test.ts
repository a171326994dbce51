import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod, TopologySpreadConstraint } from "../api/pod.ts";
import { node, nodePool, placements, planOf, pod, sizes } from "./fixtures.test-helpers.ts";

const hostname = "kubernetes.io/hostname";
const zone = "topology.kubernetes.io/zone";
const web = { app: "web" };

const spread = (extra: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint => ({
  maxSkew: 1,
  topologyKey: hostname,
  whenUnsatisfiable: "DoNotSchedule",
  labelSelector: { matchLabels: web },
  ...extra,
});

/** Replicas of one template: identical pods, as a Deployment makes them. */
const replicas = (count: number, constraints: TopologySpreadConstraint[], prefix = "web") =>
  Array.from({ length: count }, (_, i) =>
    pod(`${prefix}-${i}`, "100m", { topologySpreadConstraints: constraints }, web),
  );

const bound = (name: string, nodeName: string, labels: Record<string, string> = web): Pod => ({
  ...pod(name, "100m", {}, labels),
  spec: { ...pod(name, "100m").spec, nodeName },
});

const inFlight = (name: string) => ({
  apiVersion: "karpenter.sh/v1",
  kind: "NodeClaim",
  metadata: { name, labels: { "karpenter.sh/nodepool": "default" } },
  spec: {
    nodeClassRef: { group: "carpool.dev", kind: "K3sNodeClass", name: "default" },
    requirements: [{ key: "node.kubernetes.io/instance-type", operator: "In", values: ["large"] }],
  },
});

/** How many pods each node or claim got, largest first. */
function perNode(where: Record<string, string>): number[] {
  const counts = new Map<string, number>();
  for (const target of Object.values(where)) counts.set(target, (counts.get(target) ?? 0) + 1);
  return [...counts.values()].sort((a, b) => b - a);
}

// Karpenter pkg/controllers/provisioning/scheduling/topologygroup.go (domainMinCount,
// nextDomainTopologySpread): a new NodeClaim is a hostname domain of its own with no pod, so the
// global minimum over hostnames is 0 and a node takes a pod while count + 1 (self-selecting) ≤
// maxSkew. Where no node can be launched for the pod, kube-scheduler's PodTopologySpread filter
// (podtopologyspread/filtering.go) decides over the nodes that exist.
describe("solver: topology spread over hostnames", () => {
  const rows: {
    rule: string;
    objects: object[];
    expected: Record<string, string>;
  }[] = [
    {
      rule: "four replicas at maxSkew 1, no nodes: four new nodes (topologygroup.go domainMinCount: hostname min 0)",
      objects: [nodePool("default"), ...sizes, ...replicas(4, [spread()])],
      expected: {
        "default/web-0": "default-0",
        "default/web-1": "default-1",
        "default/web-2": "default-2",
        "default/web-3": "default-3",
      },
    },
    {
      rule: "maxSkew 2: two replicas a node (count + 1 − 0 ≤ maxSkew)",
      objects: [nodePool("default"), ...sizes, ...replicas(4, [spread({ maxSkew: 2 })])],
      expected: {
        "default/web-0": "default-0",
        "default/web-1": "default-0",
        "default/web-2": "default-1",
        "default/web-3": "default-1",
      },
    },
    {
      rule: "existing nodes holding a replica each take no more: a new node is an emptier domain (domainMinCount)",
      objects: [
        nodePool("default"),
        ...sizes,
        node("n1", "4"),
        node("n2", "4"),
        bound("old-1", "n1"),
        bound("old-2", "n2"),
        ...replicas(2, [spread()]),
      ],
      expected: { "default/web-0": "default-0", "default/web-1": "default-1" },
    },
    {
      rule: "an empty existing node takes one replica, the next goes to a new node",
      objects: [nodePool("default"), ...sizes, node("n1", "4"), ...replicas(2, [spread()])],
      expected: { "default/web-0": "n1", "default/web-1": "default-0" },
    },
    {
      rule: "an in-flight NodeClaim is a hostname domain like a node (its name until it registers)",
      objects: [nodePool("default"), ...sizes, inFlight("default-x"), ...replicas(2, [spread()])],
      expected: { "default/web-0": "default-x", "default/web-1": "default-0" },
    },
    {
      rule: "an in-flight NodeClaim already holding a replica takes no more",
      objects: [
        nodePool("default"),
        ...sizes,
        inFlight("default-x"),
        bound("old-1", "default-x"),
        ...replicas(1, [spread()]),
      ],
      expected: { "default/web-0": "default-0" },
    },
    {
      rule: "pods the selector does not pick do not count (filtering.go: only matching pods)",
      objects: [
        nodePool("default"),
        ...sizes,
        node("n1", "4"),
        bound("other", "n1", { app: "db" }),
        ...replicas(1, [spread()]),
      ],
      expected: { "default/web-0": "n1" },
    },
    {
      rule: "matchLabelKeys: replicas of an older revision do not count (filtering.go, the pod's values of those keys join the selector)",
      objects: [
        nodePool("default"),
        ...sizes,
        node("n1", "4"),
        node("n2", "4"),
        bound("old-1", "n1", { ...web, "pod-template-hash": "a" }),
        bound("old-2", "n2", { ...web, "pod-template-hash": "a" }),
        ...["web-0", "web-1"].map((name) =>
          pod(
            name,
            "100m",
            { topologySpreadConstraints: [spread({ matchLabelKeys: ["pod-template-hash"] })] },
            { ...web, "pod-template-hash": "b" },
          ),
        ),
      ],
      expected: { "default/web-0": "n1", "default/web-1": "n2" },
    },
    {
      rule: "no pool can launch for the pod: the minimum is over existing nodes, as kube-scheduler has it (filtering.go)",
      objects: [
        nodePool("tainted", {}, { taints: [{ key: "gpu", value: "x", effect: "NoSchedule" }] }),
        ...sizes,
        node("n1", "4"),
        node("n2", "4"),
        bound("old-1", "n1"),
        bound("old-2", "n2"),
        ...replicas(2, [spread()]),
      ],
      expected: { "default/web-0": "n1", "default/web-1": "n2" },
    },
    {
      rule: "a pod that names its host cannot have a new node: the minimum is over the hosts it selects (nodeAffinityPolicy Honor)",
      objects: [
        nodePool("default"),
        ...sizes,
        node("n1", "4"),
        node("n2", "4"),
        bound("old-1", "n1"),
        pod(
          "web-0",
          "100m",
          { topologySpreadConstraints: [spread()], nodeSelector: { [hostname]: "n1" } },
          web,
        ),
      ],
      expected: { "default/web-0": "n1" },
    },
    {
      rule: "ScheduleAnyway is held as required until the pod fits nowhere (Karpenter preferences.go), so replicas spread too",
      objects: [
        nodePool("default"),
        ...sizes,
        ...replicas(3, [spread({ whenUnsatisfiable: "ScheduleAnyway" })]),
      ],
      expected: {
        "default/web-0": "default-0",
        "default/web-1": "default-1",
        "default/web-2": "default-2",
      },
    },
  ];
  for (const { rule, objects, expected } of rows) {
    it(rule, () => {
      assert.deepEqual(placements(planOf(...objects)), expected);
    });
  }

  it("zone and hostname spread together: one replica a node, two a zone (each constraint on its own key)", () => {
    const result = planOf(
      nodePool("default"),
      ...sizes,
      ...replicas(6, [spread(), spread({ topologyKey: zone })]),
    );
    assert.equal(result.nodeClaims.length, 6);
    assert.ok(result.nodeClaims.every((claim) => claim.pods.length === 1));
    const zones = result.nodeClaims.map((claim) => claim.zone).sort();
    assert.deepEqual(zones, ["z1", "z1", "z2", "z2", "z3", "z3"]);
  });

  it("identical pods without the constraint still share nodes beside spread replicas of another app", () => {
    // The solver spreads a node's price over identical pods still to come; that must not pull
    // spread replicas together, nor push the plain ones apart.
    const plain = Array.from({ length: 8 }, (_, i) =>
      pod(`cache-${i}`, "100m", {}, { app: "cache" }),
    );
    const result = planOf(nodePool("default"), ...sizes, ...plain, ...replicas(3, [spread()]));
    const where = placements(result);
    const spreadHosts = ["web-0", "web-1", "web-2"].map((n) => where[`default/${n}`]);
    assert.equal(new Set(spreadHosts).size, 3, "each web replica on its own node");
    const cacheHosts = new Set(plain.map((p) => where[`default/${p.metadata.name}`]));
    assert.equal(cacheHosts.size, 1, "the cache pods share one node");
    assert.deepEqual(perNode(where).length, 3);
  });

  it("identical pods the constraint selects count on their node, though they carry no constraint", () => {
    // kube-scheduler counts every pod the selector matches, whatever its own spec.
    const plain = Array.from({ length: 3 }, (_, i) => pod(`plain-${i}`, "100m", {}, web));
    const result = planOf(nodePool("default"), ...sizes, ...plain, ...replicas(2, [spread()]));
    const where = placements(result);
    const plainHosts = new Set(plain.map((p) => where[`default/${p.metadata.name}`]));
    for (const n of ["web-0", "web-1"])
      assert.ok(!plainHosts.has(where[`default/${n}`] ?? ""), `${n} beside plain web pods`);
    assert.notEqual(where["default/web-0"], where["default/web-1"]);
  });
});
