import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Metric } from "prom-client";
import type { RecordedEvent } from "../ports/event-recorder.ts";
import { catalog, deployment, pool, run } from "../sim/fixtures.test-helpers.ts";
import { instanceType } from "../solver/fixtures.test-helpers.ts";
import { instrumentEvents, nodePoolFromClaimName } from "./events.ts";
import { type CarpoolMetrics, createMetrics } from "./metrics.ts";

type Row = Record<string, string | number>;

async function rows(metric: Metric): Promise<Row[]> {
  const { values } = await metric.get();
  return values.map((v) => ({ ...v.labels, value: v.value }) as Row);
}

function recorder(options?: Parameters<typeof instrumentEvents>[2]) {
  const metrics = createMetrics({ defaultMetrics: false });
  const seen: RecordedEvent[] = [];
  const events = instrumentEvents({ record: (e) => seen.push(e) }, metrics, options);
  return { metrics, events, seen };
}

// Messages as the controllers write them (src/controllers/**).
describe("instrumentEvents: one event, the counters Karpenter keeps", () => {
  const cases: {
    name: string;
    event: RecordedEvent;
    metric: (m: CarpoolMetrics) => Metric;
    expected: Row[];
  }[] = [
    {
      name: "NodeClaimCreated by the provisioner counts created{reason=provisioned}",
      event: {
        kind: "NodeClaimCreated",
        object: "NodeClaim/default-x7k2p",
        message: "for 3 pod(s): m5.large (4 option(s)) on-demand in z1 at $0.096/h",
      },
      metric: (m) => m.nodeClaimsCreated,
      expected: [{ reason: "provisioned", nodepool: "default", value: 1 }],
    },
    {
      name: "NodeClaimLaunched counts launched",
      event: {
        kind: "NodeClaimLaunched",
        object: "NodeClaim/gpu-pool-b9w4c",
        message: "g5.xlarge spot in z2 as sim://1",
      },
      metric: (m) => m.nodeClaimsLaunched,
      expected: [{ nodepool: "gpu-pool", value: 1 }],
    },
    {
      name: "InsufficientCapacity counts the claim disrupted{reason=insufficient_capacity}",
      event: {
        kind: "InsufficientCapacity",
        object: "NodeClaim/default-m2q8z",
        message:
          "no capacity for small/z1/on-demand; unavailable for 3m, its pods will be planned again",
      },
      metric: (m) => m.nodeClaimsDisrupted,
      expected: [{ reason: "insufficient_capacity", nodepool: "default", value: 1 }],
    },
    {
      name: "RegistrationTimeout counts disrupted{reason=liveness}",
      event: {
        kind: "RegistrationTimeout",
        object: "NodeClaim/default-hq4tn",
        message: "the node did not register within 15m; the instance is terminated",
      },
      metric: (m) => m.nodeClaimsDisrupted,
      expected: [{ reason: "liveness", nodepool: "default", value: 1 }],
    },
    {
      name: "NodeRegistered counts registered",
      event: { kind: "NodeRegistered", object: "NodeClaim/default-hq4tn", message: "as Node/n-1" },
      metric: (m) => m.nodeClaimsRegistered,
      expected: [{ nodepool: "default", value: 1 }],
    },
    {
      name: "NodeRegistered counts a node created",
      event: { kind: "NodeRegistered", object: "NodeClaim/default-hq4tn", message: "as Node/n-1" },
      metric: (m) => m.nodesCreated,
      expected: [{ nodepool: "default", value: 1 }],
    },
    {
      name: "NodeInitialized counts initialized",
      event: {
        kind: "NodeInitialized",
        object: "NodeClaim/default-r5d2v",
        message: "ready for pods",
      },
      metric: (m) => m.nodeClaimsInitialized,
      expected: [{ nodepool: "default", value: 1 }],
    },
    {
      name: "NodeClaimTerminated counts terminated",
      event: {
        kind: "NodeClaimTerminated",
        object: "NodeClaim/default-hq4tn",
        message: "never joined; instance deleted",
      },
      metric: (m) => m.nodeClaimsTerminated,
      expected: [{ nodepool: "default", value: 1 }],
    },
    {
      name: "a claim that never joined terminates no node",
      event: {
        kind: "NodeClaimTerminated",
        object: "NodeClaim/default-hq4tn",
        message: "never joined; instance deleted",
      },
      metric: (m) => m.nodesTerminated,
      expected: [],
    },
    {
      name: "DisruptionDelete of an empty node: decision delete, reason empty, type empty",
      event: {
        kind: "DisruptionDelete",
        object: "Node/n-1",
        message: "Empty: node has no pods; saves $0.1000/h",
      },
      metric: (m) => m.disruptionDecisions,
      expected: [{ decision: "delete", reason: "empty", consolidation_type: "empty", value: 1 }],
    },
    {
      name: "DisruptionReplace of one node is single-node consolidation",
      event: {
        kind: "DisruptionReplace",
        object: "Node/n-1",
        message:
          "Underutilized: fits on a cheaper node; saves $0.0500/h; launching default-7vcx9 first",
      },
      metric: (m) => m.disruptionDecisions,
      expected: [
        { decision: "replace", reason: "underutilized", consolidation_type: "single", value: 1 },
      ],
    },
    {
      name: "DisruptionDelete of several nodes is multi-node consolidation",
      event: {
        kind: "DisruptionDelete",
        object: "Node/n-1,Node/n-2",
        message: "Underutilized: pods fit elsewhere; saves $0.2000/h",
      },
      metric: (m) => m.disruptionDecisions,
      expected: [
        { decision: "delete", reason: "underutilized", consolidation_type: "multi", value: 1 },
      ],
    },
    {
      name: "drift has no consolidation type",
      event: {
        kind: "DisruptionReplace",
        object: "Node/n-1",
        message:
          "Drifted: NodePool template changed; saves $0.0000/h; launching default-k8s2l first",
      },
      metric: (m) => m.disruptionDecisions,
      expected: [{ decision: "replace", reason: "drifted", consolidation_type: "", value: 1 }],
    },
    {
      name: "a replace creates its replacements under the disruption's reason",
      event: {
        kind: "DisruptionReplace",
        object: "Node/n-1",
        message: "Drifted: changed; saves $0.0000/h; launching default-k8s2l, spot-2jq5n first",
      },
      metric: (m) => m.nodeClaimsCreated,
      expected: [
        { reason: "drifted", nodepool: "default", value: 1 },
        { reason: "drifted", nodepool: "spot", value: 1 },
      ],
    },
    {
      name: "each node of a command counts one claim disrupted",
      event: {
        kind: "DisruptionDelete",
        object: "Node/n-1,Node/n-2",
        message: "Expired: expireAfter 720h passed; its pods get new nodes from the provisioner",
      },
      metric: (m) => m.nodeClaimsDisrupted,
      expected: [{ reason: "expired", nodepool: "", value: 2 }],
    },
    {
      name: "DisruptionInvalidated counts a failed validation",
      event: {
        kind: "DisruptionInvalidated",
        object: "Node/n-1",
        message: "Underutilized: no longer valid after 15s",
      },
      metric: (m) => m.disruptionFailedValidations,
      expected: [{ consolidation_type: "single", value: 1 }],
    },
    {
      name: "DisruptionAborted counts a queue failure",
      event: {
        kind: "DisruptionAborted",
        object: "Node/n-1",
        message: "Underutilized: a replacement failed to launch; nodes untainted",
      },
      metric: (m) => m.disruptionQueueFailures,
      expected: [
        { decision: "replace", reason: "underutilized", consolidation_type: "single", value: 1 },
      ],
    },
    {
      name: "SpotInterrupted counts the claim disrupted as Karpenter's AWS interruption kind",
      event: {
        kind: "SpotInterrupted",
        object: "NodeClaim/spot-wq9zc",
        message: "SpotInterruption: draining; replacements spot-ppd4b launched",
      },
      metric: (m) => m.nodeClaimsDisrupted,
      expected: [{ reason: "spot_interrupted", nodepool: "spot", value: 1 }],
    },
    {
      name: "SpotInterrupted's replacements count as created",
      event: {
        kind: "SpotInterrupted",
        object: "NodeClaim/spot-wq9zc",
        message: "SpotInterruption: draining; replacements spot-ppd4b, spot-t6gf7 launched",
      },
      metric: (m) => m.nodeClaimsCreated,
      expected: [{ reason: "spot_interrupted", nodepool: "spot", value: 2 }],
    },
    {
      name: "events with no metric count nothing",
      event: { kind: "PodUnschedulable", object: "Pod/default/web-1", message: "no NodePool" },
      metric: (m) => m.nodeClaimsCreated,
      expected: [],
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { metrics, events, seen } = recorder();
      events.record(c.event);
      assert.deepEqual(seen, [c.event], "the event goes through unchanged");
      assert.deepEqual(await rows(c.metric(metrics)), c.expected);
    });
  }
});

describe("instrumentEvents: pools", () => {
  it("a node's pool is learned from its registration and forgotten at termination", async () => {
    const { metrics, events } = recorder();
    events.record({
      kind: "NodeRegistered",
      object: "NodeClaim/gpu-4g2hx",
      message: "as Node/ip-10-0-0-1",
    });
    events.record({ kind: "DisruptionDelete", object: "Node/ip-10-0-0-1", message: "Empty: idle" });
    events.record({
      kind: "NodeClaimTerminated",
      object: "NodeClaim/gpu-4g2hx",
      message: "Node/ip-10-0-0-1 drained and its instance deleted",
    });
    assert.deepEqual(await rows(metrics.nodeClaimsDisrupted), [
      { reason: "empty", nodepool: "gpu", value: 1 },
    ]);
    assert.deepEqual(await rows(metrics.nodesTerminated), [{ nodepool: "gpu", value: 1 }]);
  });
  it("the caller's resolver wins over names", async () => {
    const { metrics, events } = recorder({
      nodePoolOf: (ref) => (ref.name === "default-x7k2p" ? "from-cache" : undefined),
    });
    events.record({ kind: "NodeClaimLaunched", object: "NodeClaim/default-x7k2p", message: "" });
    events.record({ kind: "NodeClaimLaunched", object: "NodeClaim/other-z8c4b", message: "" });
    assert.deepEqual(await rows(metrics.nodeClaimsLaunched), [
      { nodepool: "from-cache", value: 1 },
      { nodepool: "other", value: 1 },
    ]);
  });
  it("reads the pool from a generated claim name only", () => {
    assert.equal(nodePoolFromClaimName("default-x7k2p"), "default");
    assert.equal(nodePoolFromClaimName("my-pool-0000a"), "my-pool");
    assert.equal(nodePoolFromClaimName("hand-made"), undefined);
    assert.equal(nodePoolFromClaimName("default-toolong"), undefined);
  });
  it("an error from the inner recorder reaches the caller and counts nothing", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const failure = new Error("api server down");
    const events = instrumentEvents(
      {
        record: () => {
          throw failure;
        },
      },
      metrics,
    );
    assert.throws(
      () =>
        events.record({
          kind: "NodeClaimLaunched",
          object: "NodeClaim/default-hq4tn",
          message: "",
        }),
      (error) => error === failure,
    );
    assert.deepEqual(await rows(metrics.nodeClaimsLaunched), []);
  });
});

// The controllers' own events, replayed: a change to their messages that the counters no longer
// understand shows here.
describe("instrumentEvents: a simulated day's events", () => {
  it("consolidation: every lifecycle step counted under the pool, the replace decision too", async () => {
    const result = await run({
      duration: "1h",
      objects: [pool(), ...catalog, deployment("web", 7, "1")],
      events: [
        {
          at: "20m",
          scale: { kind: "Deployment", namespace: "default", name: "web", replicas: 1 },
        },
      ],
    });
    const { metrics, events } = recorder();
    for (const e of result.events) events.record(e);
    const count = (kind: string) => result.events.filter((e) => e.kind === kind).length;
    const total = async (metric: Metric) =>
      (await rows(metric)).reduce((sum, row) => sum + Number(row.value), 0);
    assert.equal(await total(metrics.nodeClaimsLaunched), count("NodeClaimLaunched"));
    assert.equal(await total(metrics.nodeClaimsRegistered), count("NodeRegistered"));
    assert.equal(await total(metrics.nodeClaimsInitialized), count("NodeInitialized"));
    assert.equal(await total(metrics.nodeClaimsTerminated), count("NodeClaimTerminated"));
    for (const metric of [
      metrics.nodeClaimsLaunched,
      metrics.nodeClaimsInitialized,
      metrics.nodeClaimsTerminated,
      metrics.nodeClaimsDisrupted,
      metrics.nodeClaimsCreated,
    ])
      for (const row of await rows(metric))
        assert.equal(row.nodepool, "default", JSON.stringify(row));
    const decisions = await rows(metrics.disruptionDecisions);
    assert.ok(
      decisions.some((d) => d.decision === "replace" && d.reason === "underutilized"),
      JSON.stringify(decisions),
    );
    assert.ok(
      (await rows(metrics.nodeClaimsCreated)).some((r) => r.reason === "underutilized"),
      "the replacement counts as created for the disruption",
    );
  });
  it("spot interruption: the claim counted disrupted, its replacement created", async () => {
    const spot = [instanceType("spot-medium", 4, 16, 0.03, { capacityType: "spot" })];
    const result = await run({
      duration: "1h",
      objects: [pool(), ...spot, deployment("web", 3, "1")],
      events: [{ at: "20m", interrupt: { capacityType: "spot", count: 1 } }],
    });
    const { metrics, events } = recorder();
    for (const e of result.events) events.record(e);
    const disrupted = await rows(metrics.nodeClaimsDisrupted);
    assert.ok(
      disrupted.some((r) => r.reason === "spot_interrupted" && r.nodepool === "default"),
      JSON.stringify(disrupted),
    );
    const created = await rows(metrics.nodeClaimsCreated);
    assert.ok(
      created.some((r) => r.reason === "spot_interrupted" && Number(r.value) >= 1),
      JSON.stringify(created),
    );
  });
});
