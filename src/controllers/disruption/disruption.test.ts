import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Node } from "../../api/node.ts";
import type { NodeClaim } from "../../api/nodeclaim.ts";
import type { NodePool } from "../../api/nodepool.ts";
import { catalogFromInstanceTypes } from "../../catalog/user-catalog.ts";
import { SimulatedCloud } from "../../sim/cloud.ts";
import { Engine } from "../../sim/engine.ts";
import { InMemoryClusterStore } from "../../sim/store.ts";
import { instanceType } from "../../solver/fixtures.test-helpers.ts";
import { UnavailableOfferings } from "../lifecycle/unavailable-offerings.ts";
import { Disruption } from "./disruption.ts";

const initialized = "2026-01-01T00:00:00.000Z";

async function emptyNodeOf(poolStatus: NodePool["status"], extra: readonly object[] = []) {
  const engine = new Engine(new Date("2026-01-01T01:00:00Z"));
  const store = new InMemoryClusterStore(() => engine.now());
  const { catalog } = catalogFromInstanceTypes([
    instanceType("small", 2, 4, 0.05, { zones: ["z1"] }),
  ]);
  const pool: NodePool = {
    apiVersion: "karpenter.sh/v1",
    kind: "NodePool",
    metadata: { name: "p" },
    spec: {
      template: { spec: { nodeClassRef: { group: "g", kind: "k", name: "n" }, requirements: [] } },
      disruption: { consolidationPolicy: "WhenEmpty", consolidateAfter: "0s" },
    },
    ...(poolStatus && { status: poolStatus }),
  };
  const labels = {
    "karpenter.sh/nodepool": "p",
    "node.kubernetes.io/instance-type": "small",
    "topology.kubernetes.io/zone": "z1",
    "karpenter.sh/capacity-type": "on-demand",
  };
  const claim: NodeClaim = {
    apiVersion: "karpenter.sh/v1",
    kind: "NodeClaim",
    metadata: { name: "p-1", labels },
    spec: { nodeClassRef: { group: "g", kind: "k", name: "n" }, requirements: [] },
    status: {
      nodeName: "n1",
      providerID: "sim://n1",
      conditions: ["Launched", "Registered", "Initialized"].map((type) => ({
        type,
        status: "True",
        lastTransitionTime: initialized,
      })),
    },
  };
  const node: Node = {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: "n1", labels },
    spec: { providerID: "sim://n1" },
    status: {
      allocatable: { cpu: "2", memory: "4Gi", pods: "10" },
      conditions: [{ type: "Ready", status: "True" }],
    },
  };
  for (const object of [pool, claim, node, ...extra]) await store.create(object as never);
  const events: string[] = [];
  const messages: string[] = [];
  const disruption = new Disruption({
    store,
    cloud: new SimulatedCloud(catalog, engine),
    clock: engine,
    events: {
      record: (e) => {
        events.push(e.kind);
        messages.push(`${e.object}: ${e.message}`);
      },
    },
    unavailable: new UnavailableOfferings(),
  });
  await disruption.reconcile();
  return { disruption, events, messages, engine };
}

describe("the disruption controller", () => {
  it("an empty node of a Ready pool becomes a candidate (emptiness)", async () => {
    const { disruption } = await emptyNodeOf(undefined);
    assert.equal(disruption.busy, true, "a command waits for its 15 s validation");
  });

  it("leaves alone the nodes of a pool reported not Ready: their node class cannot be served", async () => {
    const { disruption, events } = await emptyNodeOf({
      conditions: [{ type: "Ready", status: "False", reason: "NodeClassNotReady" }],
    });
    assert.equal(disruption.busy, false);
    assert.deepEqual(events, []);
  });

  const guarded = (value: string) => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: "job",
      namespace: "batch",
      annotations: { "karpenter.sh/do-not-disrupt": value },
    },
    spec: { nodeName: "n1", containers: [{ name: "c" }] },
    status: { phase: "Running", startTime: "2026-01-01T00:50:00.000Z" },
  });

  it("says once, in an Event, that it ignores a do-not-disrupt value it cannot read (Karpenter #2874)", async () => {
    const { disruption, events, messages } = await emptyNodeOf(undefined, [guarded("1 hour")]);
    await disruption.reconcile();
    assert.deepEqual(events, ["InvalidDoNotDisrupt"]);
    assert.deepEqual(messages, [
      `Pod/batch/job: Invalid karpenter.sh/do-not-disrupt annotation value "1 hour", ignoring annotation. Use 'true' or a duration like '5m', '1h'`,
    ]);
  });

  it("wakes when a pod's do-not-disrupt duration runs out: the node may be disrupted then", async () => {
    const { disruption } = await emptyNodeOf(undefined, [guarded("30m")]);
    assert.equal(await disruption.nextDeadline(), Date.parse("2026-01-01T01:20:00.000Z"));
  });

  it("says the reason once in its Events (not 'Empty: empty: …')", async () => {
    const { disruption, messages, engine } = await emptyNodeOf(undefined);
    await engine.run(16_000);
    await disruption.reconcile();
    assert.deepEqual(messages, ["Node/n1: Empty: only daemonset pods run there; saves $0.0500/h"]);
  });
});
