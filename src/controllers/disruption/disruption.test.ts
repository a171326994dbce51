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

async function emptyNodeOf(poolStatus: NodePool["status"]) {
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
  for (const object of [pool, claim, node]) await store.create(object);
  const events: string[] = [];
  const disruption = new Disruption({
    store,
    cloud: new SimulatedCloud(catalog, engine),
    clock: engine,
    events: { record: (e) => events.push(e.kind) },
    unavailable: new UnavailableOfferings(),
  });
  await disruption.reconcile();
  return { disruption, events };
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
});
