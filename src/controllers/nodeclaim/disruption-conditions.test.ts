import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Node } from "../../api/node.ts";
import type { NodeClaim } from "../../api/nodeclaim.ts";
import { defaultNodePool, type NodePool } from "../../api/nodepool.ts";
import type { CloudProvider } from "../../ports/cloud-provider.ts";
import { InMemoryClusterStore } from "../../sim/store.ts";
import { UnavailableOfferings } from "../lifecycle/unavailable-offerings.ts";
import { nodeClaimFor } from "../nodeclaim-template.ts";
import { NodeClaimDisruptionConditions } from "./disruption-conditions.ts";

const initializedAt = "2026-12-01T12:00:00.000Z";
const pool = (consolidateAfter: string, taint?: string): NodePool => ({
  apiVersion: "karpenter.sh/v1",
  kind: "NodePool",
  metadata: { name: "p" },
  spec: {
    template: {
      spec: {
        nodeClassRef: { group: "carpool.dev", kind: "KwokNodeClass", name: "default" },
        requirements: [],
        ...(taint && { taints: [{ key: taint, effect: "NoSchedule" }] }),
      },
    },
    disruption: { consolidateAfter },
  },
});

async function conditionsAt(
  minutes: number,
  launchedFrom: NodePool,
  current: NodePool,
  lastPodEvent?: string,
  drift?: string,
) {
  const now = new Date(Date.parse(initializedAt) + minutes * 60_000);
  const store = new InMemoryClusterStore(() => now);
  const template = nodeClaimFor({
    name: "p-1",
    nodePool: defaultNodePool(launchedFrom),
    instanceTypeOptions: ["m5.large"],
    zone: "z1",
    capacityType: "on-demand",
  });
  const claim: NodeClaim = {
    ...template,
    status: {
      nodeName: "n1",
      providerID: "kwok://n1",
      ...(lastPodEvent && { lastPodEventTime: lastPodEvent }),
      conditions: ["Launched", "Registered", "Initialized"].map((type) => ({
        type,
        status: "True",
        lastTransitionTime: initializedAt,
      })),
    },
  };
  const node: Node = {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: "n1", labels: { "karpenter.sh/nodepool": "p" } },
    spec: { providerID: "kwok://n1" },
  };
  for (const object of [current, claim, node]) await store.create(object);
  const context = {
    store,
    cloud: { isDrifted: async () => drift } as unknown as CloudProvider,
    clock: { now: () => now },
    events: { record: () => {} },
    unavailable: new UnavailableOfferings(),
  };
  const controller = new NodeClaimDisruptionConditions(context);
  await controller.reconcile();
  const written = await store.get("NodeClaim", "p-1");
  return {
    store,
    controller,
    conditions: new Map(written?.status?.conditions?.map((c) => [c.type, c])),
  };
}

describe("NodeClaim disruption conditions (Karpenter's nodeclaim disruption controller)", () => {
  it("Consolidatable is set once consolidateAfter has passed since initialization, not before", async () => {
    assert.equal(
      (await conditionsAt(4, pool("5m"), pool("5m"))).conditions.get("Consolidatable"),
      undefined,
    );
    const later = await conditionsAt(6, pool("5m"), pool("5m"));
    assert.equal(later.conditions.get("Consolidatable")?.status, "True");
  });

  it("a pod event restarts consolidateAfter (status.lastPodEventTime)", async () => {
    const { conditions } = await conditionsAt(
      6,
      pool("5m"),
      pool("5m"),
      "2026-12-01T12:03:00.000Z",
    );
    assert.equal(conditions.get("Consolidatable"), undefined);
  });

  it("consolidateAfter: Never is never Consolidatable", async () => {
    const { conditions } = await conditionsAt(600, pool("Never"), pool("Never"));
    assert.equal(conditions.get("Consolidatable"), undefined);
  });

  it("a template changed since launch is Drifted=True, reason NodePoolDrifted, naming the field", async () => {
    const { conditions } = await conditionsAt(1, pool("5m"), pool("5m", "example.com/new"));
    const drifted = conditions.get("Drifted");
    assert.equal(drifted?.status, "True");
    assert.equal(drifted?.reason, "NodePoolDrifted");
    assert.match(drifted?.message ?? "", /taints/);
  });

  it("drift the cloud provider reports is Drifted=True with the provider's reason (CloudProvider.isDrifted)", async () => {
    const { conditions } = await conditionsAt(
      1,
      pool("5m"),
      pool("5m"),
      undefined,
      "MachineRemoved",
    );
    assert.equal(conditions.get("Drifted")?.reason, "MachineRemoved");
    assert.match(
      conditions.get("Drifted")?.message ?? "",
      /the cloud provider reports MachineRemoved/,
    );
  });

  it("an unchanged template is not Drifted, and a second pass writes nothing", async () => {
    const { conditions, store, controller } = await conditionsAt(6, pool("5m"), pool("5m"));
    assert.equal(conditions.get("Drifted"), undefined);
    const version = (await store.get("NodeClaim", "p-1"))?.metadata.resourceVersion;
    await controller.reconcile();
    assert.equal((await store.get("NodeClaim", "p-1"))?.metadata.resourceVersion, version);
  });
});
