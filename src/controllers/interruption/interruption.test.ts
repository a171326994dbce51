import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Node } from "../../api/node.ts";
import type { NodeClaim } from "../../api/nodeclaim.ts";
import type { NodePool } from "../../api/nodepool.ts";
import { catalogFromInstanceTypes } from "../../catalog/user-catalog.ts";
import type { ClusterStore } from "../../ports/cluster-store.ts";
import type { RecordedEvent } from "../../ports/event-recorder.ts";
import type { InterruptionKind, InterruptionNotice } from "../../ports/interruption-queue.ts";
import { SimulatedCloud } from "../../sim/cloud.ts";
import { Engine } from "../../sim/engine.ts";
import { InMemoryClusterStore } from "../../sim/store.ts";
import { instanceType, pod } from "../../solver/fixtures.test-helpers.ts";
import { UnavailableOfferings } from "../lifecycle/unavailable-offerings.ts";
import { Interruption } from "./interruption.ts";

const labels = {
  "karpenter.sh/nodepool": "p",
  "node.kubernetes.io/instance-type": "small",
  "topology.kubernetes.io/zone": "z1",
  "karpenter.sh/capacity-type": "spot",
};

/** One spot node running one pod, as an EC2 instance `i-0abc` would be recorded. */
async function cluster() {
  const engine = new Engine(new Date("2026-01-01T01:00:00Z"));
  const store = new InMemoryClusterStore(() => engine.now());
  const { catalog } = catalogFromInstanceTypes([
    instanceType("small", 2, 4, 0.02, { zones: ["z1"], capacityType: "spot" }),
    instanceType("medium", 4, 8, 0.1, { zones: ["z1"] }),
  ]);
  const pool: NodePool = {
    apiVersion: "karpenter.sh/v1",
    kind: "NodePool",
    metadata: { name: "p" },
    spec: {
      template: {
        spec: {
          nodeClassRef: { group: "g", kind: "k", name: "n" },
          requirements: [
            { key: "karpenter.sh/capacity-type", operator: "In", values: ["spot", "on-demand"] },
          ],
        },
      },
    },
  };
  const claim: NodeClaim = {
    apiVersion: "karpenter.sh/v1",
    kind: "NodeClaim",
    metadata: { name: "p-abcde", labels },
    spec: { nodeClassRef: { group: "g", kind: "k", name: "n" }, requirements: [] },
    status: {
      nodeName: "n1",
      providerID: "aws:///z1/i-0abc",
      conditions: ["Launched", "Registered", "Initialized"].map((type) => ({
        type,
        status: "True",
        lastTransitionTime: "2026-01-01T00:00:00.000Z",
      })),
    },
  };
  const node: Node = {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: "n1", labels },
    spec: { providerID: "aws:///z1/i-0abc" },
    status: {
      allocatable: { cpu: "2", memory: "4Gi", pods: "10" },
      conditions: [{ type: "Ready", status: "True" }],
    },
  };
  for (const object of [pool, claim, node, pod("web", "500m", { nodeName: "n1" })])
    await store.create(object);
  const events: RecordedEvent[] = [];
  const unavailable = new UnavailableOfferings();
  const context = {
    store,
    cloud: new SimulatedCloud(catalog, engine),
    clock: engine,
    events: { record: (e: RecordedEvent) => events.push(e) },
    unavailable,
  };
  return { store, events, unavailable, engine, controller: new Interruption(context) };
}

function notice(kind: InterruptionKind, instanceIDs: string[], acks: string[]): InterruptionNotice {
  return {
    kind,
    instanceIDs,
    ack: async () => {
      acks.push(`${kind}:${instanceIDs.join(",")}`);
    },
  };
}

describe("the interruption controller", () => {
  // Karpenter's AWS interruption controller: actionForMessage and notifyForMessage
  // (pkg/controllers/interruption/controller.go), event reasons from its events package.
  const rows: {
    kind: InterruptionKind;
    reason: string;
    drained: boolean;
    /** The replacement's instance type options, cheapest first. */
    replacement?: string[];
    spotUnavailable: boolean;
  }[] = [
    {
      kind: "SpotInterruption",
      reason: "SpotInterrupted",
      drained: true,
      // The interrupted spot offering is marked unavailable, so the replacement is on-demand.
      replacement: ["medium"],
      spotUnavailable: true,
    },
    {
      kind: "ScheduledChange",
      reason: "InstanceUnhealthy",
      drained: true,
      replacement: ["small", "medium"],
      spotUnavailable: false,
    },
    { kind: "InstanceStopping", reason: "InstanceStopping", drained: true, spotUnavailable: false },
    {
      kind: "InstanceTerminating",
      reason: "InstanceTerminating",
      drained: true,
      spotUnavailable: false,
    },
    {
      kind: "RebalanceRecommendation",
      reason: "SpotRebalanceRecommendation",
      drained: false,
      spotUnavailable: false,
    },
  ];
  for (const row of rows) {
    it(`${row.kind}: Event ${row.reason}, ${row.drained ? "cordon and drain" : "no action"}${row.replacement ? `, ${row.replacement.join("|")} launched ahead` : ""}`, async () => {
      const { store, events, unavailable, engine, controller } = await cluster();
      const acks: string[] = [];
      await controller.handle([notice(row.kind, ["i-0abc"], acks)]);
      assert.deepEqual(acks, [`${row.kind}:i-0abc`]);
      assert.deepEqual(
        events.map((e) => [e.kind, e.object]),
        [[row.reason, "NodeClaim/p-abcde"]],
      );
      assert.match(events[0]?.message ?? "", new RegExp(`^${row.kind}: `));
      const claims = await store.list("NodeClaim");
      const original = claims.find((c) => c.metadata.name === "p-abcde");
      assert.equal(original === undefined, row.drained, "the claim is deleted to drain it");
      const taints = (await store.get("Node", "n1"))?.spec?.taints ?? [];
      assert.equal(
        taints.some((t) => t.key === "karpenter.sh/disrupted" && t.effect === "NoSchedule"),
        row.drained,
      );
      const launched = claims
        .filter((c) => c.metadata.name !== "p-abcde")
        .map(
          (c) =>
            c.spec.requirements.find((r) => r.key === "node.kubernetes.io/instance-type")?.values,
        );
      assert.deepEqual(launched, row.replacement === undefined ? [] : [row.replacement]);
      assert.equal(
        unavailable.isUnavailable("small", "z1", "spot", engine.now().getTime()),
        row.spotUnavailable,
      );
      assert.equal(controller.interrupted, row.drained ? 1 : 0);
    });
  }

  it("matches a provider ID's last segment only: another instance's notice is acknowledged and ignored", async () => {
    const { events, store, controller } = await cluster();
    const acks: string[] = [];
    await controller.handle([notice("SpotInterruption", ["i-0abcd", "z1"], acks)]);
    assert.equal(acks.length, 1);
    assert.deepEqual(events, []);
    assert.equal((await store.list("NodeClaim")).length, 1);
  });

  it("acts once on a claim named twice in a batch (a spot warning, then its state change)", async () => {
    const { events, controller } = await cluster();
    const acks: string[] = [];
    await controller.handle([
      notice("SpotInterruption", ["i-0abc"], acks),
      notice("InstanceTerminating", ["i-0abc"], acks),
    ]);
    assert.deepEqual(
      events.map((e) => e.kind),
      ["SpotInterrupted"],
    );
    assert.equal(acks.length, 2, "both notices are done with");
  });

  it("a notice redelivered after its claim began deleting is acknowledged without acting again", async () => {
    const { events, controller } = await cluster();
    const acks: string[] = [];
    await controller.handle([notice("SpotInterruption", ["i-0abc"], acks)]);
    // The claim has no finalizer here, so it is gone; a redelivered notice finds nothing.
    await controller.handle([notice("SpotInterruption", ["i-0abc"], acks)]);
    assert.equal(events.length, 1);
    assert.equal(acks.length, 2);
  });

  it("a notice whose handling fails is not acknowledged (the queue redelivers it); the others are", async () => {
    const { store } = await cluster();
    const acks: string[] = [];
    const failing: ClusterStore = {
      list: (kind) => store.list(kind),
      get: (kind, name, namespace) => store.get(kind, name, namespace),
      create: (object) => store.create(object),
      update: async () => {
        throw new Error("the API server is unavailable");
      },
      delete: (key) => store.delete(key),
      bind: (p, nodeName) => store.bind(p, nodeName),
      evict: (p) => store.evict(p),
    };
    const broken = new Interruption({
      store: failing,
      cloud: new SimulatedCloud({ region: undefined, instanceTypes: [] }, new Engine(new Date())),
      clock: new Engine(new Date()),
      events: { record: () => {} },
      unavailable: new UnavailableOfferings(),
    });
    await assert.rejects(
      broken.handle([
        notice("InstanceStopping", ["i-0abc"], acks),
        notice("RebalanceRecommendation", ["i-0abc"], acks),
      ]),
      /unavailable/,
    );
    assert.deepEqual(acks, ["RebalanceRecommendation:i-0abc"]);
    assert.equal((await store.list("NodeClaim")).length, 1, "the claim is left for the retry");
  });
});
