import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { disrupt } from "../disrupt.ts";
import {
  blockedOf,
  bound,
  catalog,
  disruptOf,
  instanceType,
  managed,
  NOW,
  pool,
  summary,
} from "./fixtures.test-helpers.ts";

const doNotDisrupt = { "karpenter.sh/do-not-disrupt": "true" };

describe("disruption: emptiness", () => {
  it("empty nodes are deleted together, daemonset pods do not count (Karpenter Emptiness)", () => {
    const daemon = bound("agent-a", "a", "100m", {
      spec: {},
    });
    daemon.metadata.ownerReferences = [{ apiVersion: "apps/v1", kind: "DaemonSet", name: "agent" }];
    const plan = disruptOf([
      pool(),
      ...catalog,
      ...managed("a", "medium"),
      ...managed("b", "medium"),
      daemon,
    ]);
    assert.deepEqual(summary(plan), ["Empty delete a,b"]);
    assert.equal(plan.commands[0]?.savings, 0.2);
    assert.deepEqual(plan.summary, {
      nodes: 2,
      disrupted: 2,
      hourlyCostBefore: 0.2,
      hourlyCostAfter: 0,
    });
  });
  it("a WhenEmpty pool still deletes empty nodes", () => {
    const plan = disruptOf([
      pool("default", { consolidationPolicy: "WhenEmpty" }),
      ...catalog,
      ...managed("a", "small"),
    ]);
    assert.deepEqual(summary(plan), ["Empty delete a"]);
  });
  it("consolidateAfter counts from the NodeClaim's lastPodEventTime (Karpenter v1 Consolidatable)", () => {
    const plan = disruptOf([
      pool("default", { consolidateAfter: "10m" }),
      ...catalog,
      ...managed("a", "small", { lastPodEventTime: "2026-11-25T19:55:00Z" }),
      ...managed("b", "small", { lastPodEventTime: "2026-11-25T19:45:00Z" }),
    ]);
    assert.deepEqual(summary(plan), ["Empty delete b"]);
    assert.deepEqual(blockedOf(plan), { a: "consolidateAfter 10m not yet reached (5m to go)" });
  });
  it("consolidateAfter: Never never consolidates, not even empty nodes", () => {
    const plan = disruptOf([
      pool("default", { consolidateAfter: "Never" }),
      ...catalog,
      ...managed("a", "small"),
    ]);
    assert.deepEqual(summary(plan), []);
    assert.deepEqual(blockedOf(plan), {
      a: "its NodePool never consolidates (consolidateAfter: Never)",
    });
  });
});

describe("disruption: what protects a node", () => {
  const base = [pool(), ...catalog, ...managed("a", "medium"), ...managed("b", "medium")];
  it("karpenter.sh/do-not-disrupt on a pod", () => {
    const plan = disruptOf([
      ...base,
      bound("p", "a", "100m", { annotations: doNotDisrupt }),
      bound("q", "b", "3"),
    ]);
    assert.equal(blockedOf(plan).a, "pod default/p has karpenter.sh/do-not-disrupt");
    assert.ok(!plan.commands.some((c) => c.nodes.includes("a")));
  });
  it("karpenter.sh/do-not-disrupt on the Node, even when empty", () => {
    const plan = disruptOf([
      pool(),
      ...catalog,
      ...managed("a", "medium", { nodeAnnotations: doNotDisrupt }),
    ]);
    assert.deepEqual(summary(plan), []);
    assert.deepEqual(blockedOf(plan), { a: "the Node has karpenter.sh/do-not-disrupt" });
  });
  it("karpenter.sh/do-not-disrupt on the NodeClaim", () => {
    const plan = disruptOf([
      pool(),
      ...catalog,
      ...managed("a", "medium", { claimAnnotations: doNotDisrupt }),
    ]);
    assert.deepEqual(blockedOf(plan), { a: "the NodeClaim has karpenter.sh/do-not-disrupt" });
  });
  it("a PodDisruptionBudget that allows no disruption", () => {
    const plan = disruptOf([
      ...base,
      bound("p", "a", "100m", { labels: { app: "x" } }),
      bound("q", "b", "3"),
      {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name: "x", namespace: "default" },
        spec: { minAvailable: 1, selector: { matchLabels: { app: "x" } } },
      },
    ]);
    assert.equal(
      blockedOf(plan).a,
      "PodDisruptionBudget default/x allows no disruption of pod default/p now",
    );
  });
  it("a pod that would have nowhere to go", () => {
    const plan = disruptOf([
      pool(
        "default",
        {},
        {
          requirements: [
            { key: "node.kubernetes.io/instance-type", operator: "In", values: ["medium"] },
          ],
        },
      ),
      ...catalog,
      ...managed("a", "large"),
      bound("p", "a", "3500m"),
      bound("q", "a", "500m", { spec: { nodeSelector: { "kubernetes.io/hostname": "a" } } }),
    ]);
    assert.match(blockedOf(plan).a ?? "", /^pod default\/(p|q) would have nowhere to go/);
  });
  it("nodes no NodePool manages are never touched nor listed", () => {
    const plan = disruptOf([
      pool(),
      ...catalog,
      {
        apiVersion: "v1",
        kind: "Node",
        metadata: { name: "static", labels: { "node.kubernetes.io/instance-type": "medium" } },
        status: { allocatable: { cpu: "4", memory: "8Gi", pods: "110" } },
      },
    ]);
    assert.deepEqual(summary(plan), []);
    assert.deepEqual(plan.blocked, []);
  });
  it("nodes already being deleted are neither candidates nor listed", () => {
    const [node, claim] = managed("a", "small") as [Record<string, unknown>, object];
    const deleting = {
      ...node,
      metadata: { ...(node.metadata as object), deletionTimestamp: "2026-11-25T19:00:00Z" },
    };
    const plan = disruptOf([pool(), ...catalog, deleting, claim]);
    assert.deepEqual(summary(plan), []);
    assert.deepEqual(plan.blocked, []);
  });
});

describe("disruption: NodePool budgets", () => {
  const empties = (n: number) =>
    Array.from({ length: n }, (_, i) => managed(`n${i}`, "small")).flat();
  it("a count: one at a time, the rest blocked with the budget", () => {
    const plan = disruptOf([
      pool("default", { budgets: [{ nodes: "1" }] }),
      ...catalog,
      ...empties(3),
    ]);
    assert.deepEqual(summary(plan), ["Empty delete n0"]);
    assert.equal(
      blockedOf(plan).n1,
      "NodePool default's disruption budget for Empty allows no more nodes now",
    );
  });
  it("a percentage rounds up: 10% of 3 nodes is 1 (the default budget)", () => {
    const plan = disruptOf([
      pool("default", { budgets: [{ nodes: "10%" }] }),
      ...catalog,
      ...empties(3),
    ]);
    assert.equal(plan.commands[0]?.nodes.length, 1);
  });
  it("a budget for Empty does not hold back consolidation of underutilized nodes", () => {
    const plan = disruptOf([
      pool("default", { budgets: [{ nodes: "0", reasons: ["Empty"] }, { nodes: "100%" }] }),
      ...catalog,
      ...managed("a", "medium"),
      ...managed("b", "medium"),
      ...managed("c", "small"),
      bound("p", "a", "1"),
      bound("q", "b", "1"),
    ]);
    // The empty node is not deleted for emptiness; consolidation (its own budget) may still take it.
    assert.ok(plan.commands.length > 0);
    assert.ok(plan.commands.every((c) => c.reason === "Underutilized"));
  });
  it("a scheduled budget blocks only inside its window (cron, UTC)", () => {
    const objects = [
      pool("default", { budgets: [{ nodes: "0", schedule: "0 9 * * *", duration: "8h" }] }),
      ...catalog,
      ...managed("a", "small"),
    ];
    assert.deepEqual(summary(disruptOf(objects, { now: new Date("2026-11-25T12:00:00Z") })), []);
    assert.deepEqual(summary(disruptOf(objects, { now: new Date("2026-11-25T18:00:00Z") })), [
      "Empty delete a",
    ]);
  });
  it("nodes already disrupting (NotReady, tainted, deleting) use up the budget", () => {
    const [node, claim] = managed("sick", "small") as [Record<string, unknown>, object];
    const notReady = {
      ...node,
      status: { ...(node.status as object), conditions: [{ type: "Ready", status: "False" }] },
    };
    const plan = disruptOf([
      pool("default", { budgets: [{ nodes: "1" }] }),
      ...catalog,
      notReady,
      claim,
      ...managed("a", "small"),
    ]);
    assert.deepEqual(summary(plan), []);
  });
});

describe("disruption: drift", () => {
  const taint = { key: "team", value: "web", effect: "NoSchedule" };
  it("a NodeClaim whose taints differ from the template is replaced, the field named", () => {
    const plan = disruptOf([
      pool("default", { consolidateAfter: "Never" }, { taints: [taint] }),
      ...catalog,
      ...managed("a", "medium", { claimTaints: [] }),
      bound("p", "a", "3", { spec: { tolerations: [{ key: "team", operator: "Exists" }] } }),
    ]);
    assert.deepEqual(summary(plan), ["Drifted replace a → medium"]);
    assert.equal(plan.commands[0]?.why, "drifted: spec.template.spec.taints changed");
    assert.deepEqual(plan.commands[0]?.replacements[0]?.pods, ["default/p"]);
  });
  it("drift the cloud provider reports replaces the node, with its reason (CloudProvider.isDrifted)", () => {
    const objects = [
      pool("default", { consolidateAfter: "Never" }),
      ...catalog,
      ...managed("a", "medium"),
      bound("p", "a", "3"),
    ];
    assert.deepEqual(summary(disruptOf(objects)), []);
    const claim = (objects as { kind?: string; metadata?: { name?: string } }[]).find(
      (o) => o.kind === "NodeClaim",
    );
    const plan = disrupt(objects, {
      now: NOW,
      providerDrift: new Map([[claim?.metadata?.name ?? "", "MachineRemoved"]]),
    });
    assert.deepEqual(summary(plan), ["Drifted replace a → medium"]);
    assert.equal(plan.commands[0]?.why, "drifted: the cloud provider reports MachineRemoved");
  });

  it("a node whose labels no longer meet the pool's requirements has drifted (RequirementsDrifted)", () => {
    const plan = disruptOf([
      pool(
        "default",
        { consolidateAfter: "Never" },
        { requirements: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["z2"] }] },
      ),
      ...catalog,
      ...managed("a", "medium", { zone: "z1" }),
      bound("p", "a", "3"),
    ]);
    assert.deepEqual(summary(plan), ["Drifted replace a → medium"]);
    assert.equal(plan.commands[0]?.replacements[0]?.zone, "z2");
    assert.match(plan.commands[0]?.why ?? "", /topology.kubernetes.io\/zone=z2/);
  });
  it("equal Karpenter hashes mean no drift, whatever else differs", () => {
    const hash = {
      "karpenter.sh/nodepool-hash": "123",
      "karpenter.sh/nodepool-hash-version": "v3",
    };
    const poolObject = pool("default", { consolidateAfter: "Never" }, { taints: [taint] });
    const hashed = { ...poolObject, metadata: { ...poolObject.metadata, annotations: hash } };
    const plan = disruptOf([
      hashed,
      ...catalog,
      ...managed("a", "medium", { claimAnnotations: hash }),
      bound("p", "a", "3"),
    ]);
    assert.deepEqual(summary(plan), []);
  });
  /** A pool and a claim carrying Karpenter's template hash (`hash@version`). */
  const hashed = (poolHash: string, claimHash: string) => {
    const annotations = (text: string) => {
      const [hash = "", version = ""] = text.split("@");
      return { "karpenter.sh/nodepool-hash": hash, "karpenter.sh/nodepool-hash-version": version };
    };
    const poolObject = pool("default", { consolidateAfter: "Never" }, {});
    return disruptOf([
      { ...poolObject, metadata: { ...poolObject.metadata, annotations: annotations(poolHash) } },
      ...catalog,
      ...managed("a", "medium", { claimAnnotations: annotations(claimHash) }),
      bound("p", "a", "3"),
    ]);
  };
  it("different Karpenter hashes of one version mean drift, named by the field when one differs", () => {
    assert.equal(
      hashed("456@v3", "123@v3").commands[0]?.why,
      "drifted: NodePool template changed (hash 123 → 456)",
    );
  });
  it("hashes of different versions are not compared (Karpenter re-hashes instead)", () => {
    assert.deepEqual(summary(hashed("456@v4", "123@v3")), []);
  });
  it("an image the EC2NodeClass no longer selects has drifted (AMI drift)", () => {
    const plan = disruptOf([
      pool(
        "default",
        { consolidateAfter: "Never" },
        { nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" } },
      ),
      {
        apiVersion: "karpenter.k8s.aws/v1",
        kind: "EC2NodeClass",
        metadata: { name: "default" },
        status: { amis: [{ id: "ami-new", requirements: [] }] },
      },
      ...catalog,
      ...managed("a", "medium", {
        imageID: "ami-old",
        nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" },
      }),
      bound("p", "a", "3"),
    ]);
    assert.equal(
      plan.commands[0]?.why,
      "drifted: image ami-old is no longer one EC2NodeClass/default selects",
    );
  });
  it("drift is held by do-not-disrupt like any graceful method", () => {
    const plan = disruptOf([
      pool("default", { consolidateAfter: "Never" }, { taints: [taint] }),
      ...catalog,
      ...managed("a", "medium"),
      bound("p", "a", "3", { annotations: doNotDisrupt }),
    ]);
    assert.deepEqual(summary(plan), []);
    assert.equal(blockedOf(plan).a, "pod default/p has karpenter.sh/do-not-disrupt");
  });
});

describe("disruption: expiration (forceful in Karpenter v1)", () => {
  it("an expired node goes despite do-not-disrupt pods and a zero budget; its drain waits for them", () => {
    const plan = disruptOf([
      pool("default", { budgets: [{ nodes: "0" }] }),
      ...catalog,
      ...managed("a", "medium", { created: "2026-10-01T00:00:00Z", expireAfter: "720h" }),
      bound("p", "a", "3", { annotations: doNotDisrupt }),
    ]);
    assert.deepEqual(summary(plan), ["Expired replace a → medium"]);
    assert.match(
      plan.commands[0]?.why ?? "",
      /older than expireAfter 720h by 25d20h; drain waits for default\/p/,
    );
  });
  it("expireAfter: Never never expires; a young node does not either", () => {
    const plan = disruptOf([
      pool("default", { consolidateAfter: "Never" }),
      ...catalog,
      ...managed("a", "medium", { created: "2026-01-01T00:00:00Z", expireAfter: "Never" }),
      ...managed("b", "medium", { created: "2026-11-24T00:00:00Z", expireAfter: "720h" }),
      bound("p", "a", "3"),
      bound("q", "b", "3"),
    ]);
    assert.deepEqual(summary(plan), []);
  });
});

describe("disruption: consolidation", () => {
  it("multi-node: several underutilized nodes go at once, for one cheaper node (Karpenter multi-node)", () => {
    const plan = disruptOf([
      pool(),
      ...catalog,
      ...managed("a", "medium"),
      ...managed("b", "medium"),
      ...managed("c", "medium"),
      bound("p", "a", "2"),
      bound("q", "b", "2"),
      bound("r", "c", "2"),
    ]);
    // The solver alone would split the pods over a small and a medium; consolidation asks again
    // for a single node, as Karpenter replaces a set with at most one.
    assert.deepEqual(summary(plan), ["Underutilized replace a,b,c → large"]);
    assert.equal(plan.commands[0]?.savings, 0.12);
    assert.deepEqual(plan.summary, {
      nodes: 3,
      disrupted: 3,
      hourlyCostBefore: 0.3,
      hourlyCostAfter: 0.18,
    });
  });
  it("single-node: a node whose pods fit elsewhere is deleted", () => {
    const plan = disruptOf([
      pool(),
      ...catalog,
      ...managed("a", "large"),
      ...managed("b", "small"),
      bound("p", "a", "6"),
      bound("q", "b", "1"),
    ]);
    assert.deepEqual(summary(plan), ["Underutilized delete b"]);
    assert.deepEqual(plan.commands[0]?.moves, [{ pod: "default/q", node: "a" }]);
  });
  it("single-node: a node replaced by a strictly cheaper one", () => {
    const plan = disruptOf([pool(), ...catalog, ...managed("a", "large"), bound("p", "a", "1")]);
    assert.deepEqual(summary(plan), ["Underutilized replace a → small"]);
    assert.equal(plan.commands[0]?.savings, 0.13);
    assert.deepEqual(plan.commands[0]?.replacements[0]?.instanceTypeOptions, ["small", "medium"]);
  });
  it("room scattered over other nodes does not hide a cheaper replacement (the solver-skipping bound stays sound)", () => {
    // b has 0.5 cpu free: too little for p, so p needs a node of its own — a small beats a large.
    const plan = disruptOf([
      pool(),
      ...catalog,
      ...managed("a", "large"),
      ...managed("b", "medium"),
      bound("p", "a", "1"),
      bound("q", "b", "3500m"),
    ]);
    assert.deepEqual(summary(plan), ["Underutilized replace a → small"]);
  });
  it("no command when the only placement is not cheaper", () => {
    const plan = disruptOf([
      pool(),
      ...catalog,
      ...managed("a", "small"),
      bound("p", "a", "1500m"),
    ]);
    assert.deepEqual(summary(plan), []);
    assert.equal(
      blockedOf(plan).a,
      "no cheaper placement: its pods need a $0.0500/h node, and it costs $0.0500/h",
    );
  });
  it("WhenEmpty pools leave busy nodes alone, and say so", () => {
    const plan = disruptOf([
      pool("default", { consolidationPolicy: "WhenEmpty" }),
      ...catalog,
      ...managed("a", "large"),
      bound("p", "a", "1"),
    ]);
    assert.deepEqual(summary(plan), []);
    assert.equal(
      blockedOf(plan).a,
      "its NodePool consolidates only empty nodes (consolidationPolicy WhenEmpty) and it runs 1 pod",
    );
  });
  it("candidates are taken cheapest to disrupt first: fewer pods, lower priority (Karpenter disruption cost)", () => {
    const plan = disruptOf([
      pool("default", { budgets: [{ nodes: "1" }] }),
      ...catalog,
      ...managed("a", "medium"),
      ...managed("b", "medium"),
      ...managed("c", "large"),
      bound("p1", "a", "500m"),
      bound("p2", "a", "500m"),
      bound("q", "b", "1"),
      bound("r", "c", "4"),
    ]);
    assert.deepEqual(summary(plan), ["Underutilized delete b"]);
  });
  const spotTypes = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      instanceType(`spot-${String(i).padStart(2, "0")}`, 4, 8, 0.01 + i * 0.001, {
        capacityType: "spot",
      }),
    );
  const spotNode = (types: number) => [
    pool(
      "default",
      {},
      { requirements: [{ key: "karpenter.sh/capacity-type", operator: "In", values: ["spot"] }] },
    ),
    instanceType("big-spot", 8, 16, 0.5, { capacityType: "spot" }),
    ...spotTypes(types),
    ...managed("a", "big-spot", { capacityType: "spot" }),
    bound("p", "a", "1"),
  ];
  it("spot-to-spot needs 15 cheaper instance types for a single node (Karpenter)", () => {
    const plan = disruptOf(spotNode(10));
    assert.deepEqual(summary(plan), []);
    assert.equal(
      blockedOf(plan).a,
      "spot-to-spot consolidation needs 15 cheaper instance types, only 10 fit",
    );
  });
  it("spot-to-spot with enough flexibility keeps the 15 cheapest options", () => {
    const plan = disruptOf(spotNode(20));
    assert.deepEqual(summary(plan), ["Underutilized replace a → spot-00"]);
    assert.equal(plan.commands[0]?.replacements[0]?.instanceTypeOptions.length, 15);
  });
  it("spot-to-spot can be turned off, as Karpenter's feature gate does", () => {
    const plan = disruptOf(spotNode(20), { spotToSpot: false });
    assert.equal(blockedOf(plan).a, "spot-to-spot consolidation is disabled");
  });
});

describe("disruption: order and determinism", () => {
  it("emptiness, then drift, then expiration, then consolidation (Karpenter's order)", () => {
    const plan = disruptOf([
      pool("default", {}, { taints: [{ key: "t", effect: "PreferNoSchedule" }] }),
      ...catalog,
      ...managed("empty", "small", { claimTaints: [{ key: "t", effect: "PreferNoSchedule" }] }),
      ...managed("drifted", "medium", { zone: "z2", claimTaints: [] }),
      ...managed("old", "medium", {
        zone: "z2",
        created: "2026-10-01T00:00:00Z",
        expireAfter: "720h",
        claimTaints: [{ key: "t", effect: "PreferNoSchedule" }],
      }),
      ...managed("big", "large", { claimTaints: [{ key: "t", effect: "PreferNoSchedule" }] }),
      bound("d", "drifted", "3", {
        spec: { nodeSelector: { "topology.kubernetes.io/zone": "z2" } },
      }),
      bound("o", "old", "3", { spec: { nodeSelector: { "topology.kubernetes.io/zone": "z2" } } }),
      bound("b", "big", "1"),
    ]);
    assert.deepEqual(
      plan.commands.map((c) => c.reason),
      ["Empty", "Drifted", "Expired", "Underutilized"],
    );
  });
  it("the same snapshot gives the same plan, byte for byte", () => {
    const objects = [
      pool(),
      ...catalog,
      ...managed("a", "medium"),
      ...managed("b", "medium"),
      bound("p", "a", "1"),
      bound("q", "b", "1"),
    ];
    assert.equal(JSON.stringify(disruptOf(objects)), JSON.stringify(disruptOf(objects)));
  });
});
