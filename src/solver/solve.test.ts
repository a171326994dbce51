import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  instanceType,
  node,
  nodePool,
  placements,
  planOf,
  pod,
  sizes,
} from "./fixtures.test-helpers.ts";

const zone = "topology.kubernetes.io/zone";

describe("solver: where pods go", () => {
  it("existing capacity first, largest pod first, then new claims (Karpenter: existing nodes before launching)", () => {
    const result = planOf(
      nodePool("default"),
      ...sizes,
      node("n1", "1"),
      pod("a", "500m"),
      pod("b", "800m"),
    );
    assert.deepEqual(placements(result), { "default/a": "default-0", "default/b": "n1" });
  });
  it("in-flight NodeClaims count as capacity that is coming", () => {
    const claim = {
      apiVersion: "karpenter.sh/v1",
      kind: "NodeClaim",
      metadata: { name: "default-abc", labels: { "karpenter.sh/nodepool": "default" } },
      spec: {
        nodeClassRef: { group: "g", kind: "k", name: "n" },
        requirements: [
          { key: "node.kubernetes.io/instance-type", operator: "In", values: ["medium"] },
        ],
      },
    };
    const result = planOf(nodePool("default"), ...sizes, claim, pod("a", "1"));
    assert.deepEqual(placements(result), { "default/a": "default-abc" });
  });
  it("a cordoned node takes no pods (node.kubernetes.io/unschedulable taint)", () => {
    const result = planOf(
      nodePool("default"),
      ...sizes,
      node("n1", "4", {}, { unschedulable: true }),
      pod("a", "1"),
    );
    assert.equal(placements(result)["default/a"], "default-0");
  });
  it("pools are tried by weight, highest first, even when dearer (Karpenter NodePool weight)", () => {
    const result = planOf(
      nodePool(
        "cheap",
        { weight: 10 },
        {
          requirements: [
            { key: "node.kubernetes.io/instance-type", operator: "In", values: ["small"] },
          ],
        },
      ),
      nodePool(
        "dear",
        { weight: 50 },
        {
          requirements: [
            { key: "node.kubernetes.io/instance-type", operator: "In", values: ["large"] },
          ],
        },
      ),
      ...sizes,
      pod("a", "1"),
    );
    assert.equal(result.nodeClaims[0]?.nodePool, "dear");
  });
  it("equal weights: the name later in the alphabet first (plan contract)", () => {
    const result = planOf(nodePool("alpha"), nodePool("beta"), ...sizes, pod("a", "1"));
    assert.equal(result.nodeClaims[0]?.nodePool, "beta");
  });
  it("a pool whose taint the pod does not tolerate is skipped; startupTaints never block", () => {
    const result = planOf(
      nodePool("tainted", { weight: 90 }, { taints: [{ key: "gpu", effect: "NoSchedule" }] }),
      nodePool(
        "starting",
        { weight: 50 },
        { startupTaints: [{ key: "agent-not-ready", effect: "NoSchedule" }] },
      ),
      ...sizes,
      pod("a", "1"),
    );
    assert.equal(result.nodeClaims[0]?.nodePool, "starting");
    assert.deepEqual(result.nodeClaims[0]?.startupTaints, [
      { key: "agent-not-ready", effect: "NoSchedule" },
    ]);
  });
  it("a tolerating pod may use the tainted pool, and the claim carries its taints", () => {
    const result = planOf(
      nodePool("tainted", { weight: 90 }, { taints: [{ key: "gpu", effect: "NoSchedule" }] }),
      ...sizes,
      pod("a", "1", { tolerations: [{ key: "gpu", operator: "Exists" }] }),
    );
    assert.deepEqual(result.nodeClaims[0]?.taints, [{ key: "gpu", effect: "NoSchedule" }]);
  });
  it("PreferNoSchedule blocks until relaxed, then the pod lands anyway (Karpenter's last relaxation step)", () => {
    const result = planOf(
      nodePool("soft", {}, { taints: [{ key: "spare", effect: "PreferNoSchedule" }] }),
      ...sizes,
      pod("a", "1"),
    );
    assert.equal(placements(result)["default/a"], "soft-0");
  });
  it("a custom label is selectable only where the pool defines it (Karpenter Compatible)", () => {
    const result = planOf(
      nodePool("plain", { weight: 90 }),
      nodePool(
        "teams",
        {},
        { requirements: [{ key: "team", operator: "In", values: ["a", "b"] }] },
      ),
      ...sizes,
      pod("a", "1", { nodeSelector: { team: "b" } }),
    );
    assert.equal(result.nodeClaims[0]?.nodePool, "teams");
    assert.equal(result.nodeClaims[0]?.labels.team, "b");
  });
  it("NotIn on a label no pool defines is satisfied", () => {
    const result = planOf(
      nodePool("plain"),
      ...sizes,
      pod("a", "1", {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: "team", operator: "NotIn", values: ["x"] }] },
              ],
            },
          },
        },
      }),
    );
    assert.equal(placements(result)["default/a"], "plain-0");
  });
  it("a template label is carried by the node and selectable", () => {
    const result = planOf(
      nodePool("labelled", {}, {}, { tier: "web" }),
      ...sizes,
      pod("a", "1", { nodeSelector: { tier: "web" } }),
    );
    assert.equal(result.nodeClaims[0]?.labels.tier, "web");
  });
  it("the hostname of a new node cannot be chosen", () => {
    const result = planOf(
      nodePool("default"),
      ...sizes,
      pod("a", "1", { nodeSelector: { "kubernetes.io/hostname": "wanted" } }),
    );
    assert.equal(placements(result)["default/a"], "unschedulable");
  });
});

describe("solver: instance types, offerings and price", () => {
  it("the claim launches the cheapest type that fits; options list every compatible type, cheapest first", () => {
    const result = planOf(nodePool("default"), ...sizes, pod("a", "3"));
    assert.equal(result.nodeClaims[0]?.instanceType, "medium");
    assert.deepEqual(result.nodeClaims[0]?.instanceTypeOptions, ["medium", "large"]);
  });
  it("an unavailable offering is never chosen", () => {
    const result = planOf(
      nodePool("default"),
      instanceType("only", 4, 8, 0.01, { zones: ["z1", "z2"], unavailable: ["z1"] }),
      pod("a", "1"),
    );
    assert.equal(result.nodeClaims[0]?.zone, "z2");
  });
  it("pods share a claim while that costs nothing more", () => {
    const result = planOf(
      nodePool("default"),
      instanceType("eight", 8, 16, 0.08),
      pod("a", "1"),
      pod("b", "1"),
      pod("c", "1"),
    );
    assert.equal(result.nodeClaims.length, 1);
  });
  it("a pod opens its own node when growing a claim would cost more (price, not node count)", () => {
    const gpu = (n: string, count: number, price: number) =>
      instanceType(n, 4 * count, 16 * count, price, {
        capacity: { "nvidia.com/gpu": String(count) },
      });
    const gpuPod = (n: string) =>
      pod(n, "1", {
        containers: [{ name: "c", resources: { limits: { "nvidia.com/gpu": "1" } } }],
      });
    const result = planOf(
      nodePool("gpu"),
      gpu("one", 1, 1.0),
      gpu("four", 4, 4.6),
      gpuPod("a"),
      gpuPod("b"),
    );
    assert.deepEqual(
      result.nodeClaims.map((c) => c.instanceType),
      ["one", "one"],
    );
    assert.equal(result.summary.hourlyCost, 2);
  });
  it("identical pods still to come share a larger node's price: eight 1.5-cpu pods take two 8-cpu nodes, not eight 2-cpu ones", () => {
    // A 2-cpu node holds one such pod for $0.10; an 8-cpu node holds five for $0.30. Alone, each
    // pod's cheapest node is the small one; with seven more like it pending, the large one is
    // cheaper per pod, so the first claim grows into it and the pods that follow fill it.
    const pods = Array.from({ length: 8 }, (_, i) => pod(`p${i}`, "1500m"));
    const result = planOf(
      nodePool("default"),
      instanceType("two", 2, 4, 0.1),
      instanceType("eight", 8, 16, 0.3),
      ...pods,
    );
    assert.equal(result.unschedulable.length, 0);
    assert.ok(
      Math.abs(result.summary.hourlyCost - 0.6) < 1e-9,
      `cost ${result.summary.hourlyCost}: ${result.nodeClaims.map((c) => c.instanceType)}`,
    );
  });
  it("daemonset pods count against every new node they would run on", () => {
    const daemonSet = {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "agent", namespace: "kube-system" },
      spec: {
        template: {
          spec: { containers: [{ name: "a", resources: { requests: { cpu: "500m" } } }] },
        },
      },
    };
    const result = planOf(nodePool("default"), ...sizes, daemonSet, pod("a", "1700m"));
    assert.equal(result.nodeClaims[0]?.instanceType, "medium", "1700m + 500m does not fit 2 cpu");
    assert.deepEqual(result.nodeClaims[0]?.requests, { cpu: "2200m", memory: "256Mi", pods: "2" });
  });
  it("a pool's limits are never exceeded; the pod that would exceed them says so (Karpenter limits)", () => {
    const result = planOf(
      nodePool("capped", { limits: { cpu: "4" } }),
      instanceType("small", 2, 4, 0.02),
      pod("a", "1500m"),
      pod("b", "1500m"),
      pod("c", "1500m"),
    );
    assert.equal(result.nodeClaims.length, 2);
    assert.equal(result.unschedulable.length, 1);
    assert.match(
      result.unschedulable[0]?.reasons[0]?.reason ?? "",
      /NodePool limit on cpu would be exceeded/,
    );
  });
  it("existing nodes of a pool count against its limits", () => {
    const result = planOf(
      nodePool("capped", { limits: { cpu: "4" } }),
      instanceType("small", 2, 4, 0.02),
      node("old", "3", { "karpenter.sh/nodepool": "capped" }),
      pod("a", "3500m"),
    );
    assert.equal(result.unschedulable.length, 1);
  });
  it("minValues keeps that many instance types in play (Karpenter minValues)", () => {
    const pool = nodePool(
      "flexible",
      {},
      {
        requirements: [
          {
            key: "node.kubernetes.io/instance-type",
            operator: "In",
            values: ["small", "medium", "large"],
            minValues: 2,
          },
        ],
      },
    );
    const fits = planOf(pool, ...sizes, pod("a", "3"));
    assert.deepEqual(fits.nodeClaims[0]?.instanceTypeOptions, ["medium", "large"]);
    const tooBig = planOf(pool, ...sizes, pod("a", "6"));
    assert.match(
      tooBig.unschedulable[0]?.reasons[0]?.reason ?? "",
      /at least 2 values of node.kubernetes.io\/instance-type/,
    );
  });
  it("the node's labels are complete: pool, type, zone, capacity type, os", () => {
    const [claim] = planOf(nodePool("default"), ...sizes, pod("a", "1")).nodeClaims;
    assert.deepEqual(claim?.labels, {
      "karpenter.sh/capacity-type": "on-demand",
      "karpenter.sh/nodepool": "default",
      "kubernetes.io/arch": "amd64",
      "kubernetes.io/os": "linux",
      "node.kubernetes.io/instance-type": "small",
      [zone]: "z1",
    });
  });
});

describe("solver: topology", () => {
  const app = { app: "web" };
  it("required hostname anti-affinity puts each replica on its own node", () => {
    const anti = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: app } },
        ],
      },
    };
    const result = planOf(
      nodePool("default"),
      ...sizes,
      pod("a", "100m", { affinity: anti }, app),
      pod("b", "100m", { affinity: anti }, app),
    );
    assert.equal(result.nodeClaims.length, 2);
  });
  it("zone topology spread puts replicas in different zones, including zones with no node yet", () => {
    const spread = [
      {
        maxSkew: 1,
        topologyKey: zone,
        whenUnsatisfiable: "DoNotSchedule" as const,
        labelSelector: { matchLabels: app },
      },
    ];
    const pods = ["a", "b", "c"].map((n) =>
      pod(n, "100m", { topologySpreadConstraints: spread }, app),
    );
    const result = planOf(nodePool("default"), ...sizes, ...pods);
    assert.deepEqual(result.nodeClaims.map((c) => c.zone).sort(), ["z1", "z2", "z3"]);
  });
  it("zone pod affinity follows the pod it wants to be near", () => {
    const cache = {
      ...pod("cache", "100m", {}, { app: "cache" }),
      spec: { ...pod("cache", "100m").spec, nodeName: "n1" },
    };
    const near = {
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { topologyKey: zone, labelSelector: { matchLabels: { app: "cache" } } },
        ],
      },
    };
    const result = planOf(
      nodePool("default"),
      ...sizes,
      node("n1", "100m", { [zone]: "z2" }),
      cache,
      pod("a", "1", { affinity: near }),
    );
    assert.equal(result.nodeClaims[0]?.zone, "z2");
  });
  it("preferred node affinity is honoured when possible (treated as required before relaxing)", () => {
    const prefer = {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 10,
            preference: {
              matchExpressions: [{ key: zone, operator: "In" as const, values: ["z3"] }],
            },
          },
        ],
      },
    };
    const result = planOf(nodePool("default"), ...sizes, pod("a", "1", { affinity: prefer }));
    assert.equal(result.nodeClaims[0]?.zone, "z3");
  });
  it("preferred node affinity that cannot be met is relaxed", () => {
    const prefer = {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 10,
            preference: {
              matchExpressions: [{ key: zone, operator: "In" as const, values: ["mars"] }],
            },
          },
        ],
      },
    };
    const result = planOf(nodePool("default"), ...sizes, pod("a", "1", { affinity: prefer }));
    assert.equal(result.nodeClaims.length, 1);
  });
  it("host ports: two pods wanting the same host port need two nodes", () => {
    const ports = {
      containers: [
        {
          name: "c",
          ports: [{ containerPort: 80, hostPort: 80 }],
          resources: { requests: { cpu: "100m" } },
        },
      ],
    };
    const result = planOf(
      nodePool("default"),
      ...sizes,
      pod("a", "100m", ports),
      pod("b", "100m", ports),
    );
    assert.equal(result.nodeClaims.length, 2);
  });
  it("a bound volume's zone decides the new node's zone", () => {
    const pv = {
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: "pv" },
      spec: {
        nodeAffinity: {
          required: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: zone, operator: "In", values: ["z3"] }] },
            ],
          },
        },
      },
    };
    const pvc = {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data", namespace: "default" },
      spec: { volumeName: "pv" },
    };
    const result = planOf(
      nodePool("default"),
      ...sizes,
      pv,
      pvc,
      pod("a", "1", { volumes: [{ name: "d", persistentVolumeClaim: { claimName: "data" } }] }),
    );
    assert.equal(result.nodeClaims[0]?.zone, "z3");
  });
});

describe("solver: determinism", () => {
  it("the same input gives the same plan, byte for byte", () => {
    const objects = [
      nodePool("a"),
      nodePool("b", { weight: 3 }),
      ...sizes,
      ...Array.from({ length: 20 }, (_, i) => pod(`p${i}`, `${(i % 5) * 300 + 100}m`)),
    ];
    assert.equal(
      JSON.stringify(planOf(...objects)),
      JSON.stringify(planOf(...[...objects].reverse())),
    );
  });
});
