import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CapacityBuffer } from "../../api/capacitybuffer.ts";
import type { NodeOverlay, NodeOverlaySpec } from "../../api/nodeoverlay.ts";
import type { NodePool } from "../../api/nodepool.ts";
import type { InstanceType } from "../../catalog/instance-type.ts";
import type { CloudProvider } from "../../ports/cloud-provider.ts";
import type { RecordedEvent } from "../../ports/event-recorder.ts";
import { InMemoryClusterStore } from "../../sim/store.ts";
import { virtualPendingPods } from "../capacity-buffer/sources.ts";
import { CapacityBufferStatus } from "../capacity-buffer/status.ts";
import { type ControllerContext, catalogOf } from "../context.ts";
import { UnavailableOfferings } from "../lifecycle/unavailable-offerings.ts";
import { NodeOverlayStatus } from "./status.ts";

const now = new Date("2026-12-01T12:00:00Z");
const type: InstanceType = {
  name: "m5.large",
  labels: { "node.kubernetes.io/instance-type": "m5.large" },
  capacity: { cpu: 2000, memory: 8 * 2 ** 30 },
  overhead: {},
  allocatable: { cpu: 2000, memory: 8 * 2 ** 30 },
  offerings: [{ zone: "z", capacityType: "on-demand", price: 0.1, available: true }],
};
const pool: NodePool = {
  apiVersion: "karpenter.sh/v1",
  kind: "NodePool",
  metadata: { name: "default" },
  spec: {
    template: {
      spec: {
        nodeClassRef: { group: "carpool.dev", kind: "KwokNodeClass", name: "d" },
        requirements: [],
      },
    },
  },
};
const overlay = (name: string, spec: Partial<NodeOverlaySpec>): NodeOverlay => ({
  apiVersion: "karpenter.sh/v1alpha1",
  kind: "NodeOverlay",
  metadata: { name },
  spec: { requirements: [], ...spec },
});

async function contextWith(objects: readonly (NodeOverlay | NodePool | CapacityBuffer)[]) {
  const store = new InMemoryClusterStore(() => now);
  for (const object of objects) await store.create(object);
  const events: RecordedEvent[] = [];
  const context: ControllerContext = {
    store,
    cloud: { instanceTypes: async () => [type] } as unknown as CloudProvider,
    clock: { now: () => now },
    events: { record: (e) => events.push(e) },
    unavailable: new UnavailableOfferings(),
  };
  return { context, store, events };
}

// Karpenter's pkg/controllers/nodeoverlay controller.go updateOverlayStatuses.
describe("NodeOverlay status controller", () => {
  it("ValidationSucceeded and Ready True for an overlay that applies; Conflict for its same-weight rival", async () => {
    const { context, store, events } = await contextWith([
      pool,
      overlay("a", { weight: 3, price: "1" }),
      overlay("b", { weight: 3, price: "2" }),
    ]);
    await new NodeOverlayStatus(context).reconcile();
    const conditions = new Map(
      (await store.list("NodeOverlay")).map((o) => [
        o.metadata.name,
        (o.status?.conditions ?? []).map((c) => `${c.type}=${c.status}:${c.reason}`),
      ]),
    );
    assert.deepEqual(conditions.get("b"), [
      "ValidationSucceeded=True:ValidationSucceeded",
      "Ready=True:Ready",
    ]);
    assert.deepEqual(conditions.get("a"), [
      "ValidationSucceeded=False:Conflict",
      "Ready=False:UnhealthyDependents",
    ]);
    assert.deepEqual(
      events.map((e) => e.object),
      ["NodeOverlay/a"],
    );
  });
  it("a second pass writes nothing (conditions unchanged, transition times kept)", async () => {
    const { context, store } = await contextWith([pool, overlay("a", { price: "1" })]);
    await new NodeOverlayStatus(context).reconcile();
    const before = (await store.list("NodeOverlay"))[0]?.metadata.resourceVersion;
    await new NodeOverlayStatus(context).reconcile();
    assert.equal((await store.list("NodeOverlay"))[0]?.metadata.resourceVersion, before);
  });
  it("decisions' catalog has the overlay applied; the status controller's own does not", async () => {
    const { context } = await contextWith([pool, overlay("a", { price: "1" })]);
    const overlaid = await catalogOf(context);
    assert.equal(overlaid.byPool?.get("default")?.[0]?.offerings[0]?.price, 1);
    assert.equal((await catalogOf(context, { overlays: false })).byPool, undefined);
  });
});

// Karpenter's pkg/controllers/capacitybuffer controller.go resolveAndUpdateStatus.
describe("CapacityBuffer status controller", () => {
  const buffer = (spec: CapacityBuffer["spec"]): CapacityBuffer => ({
    apiVersion: "autoscaling.x-k8s.io/v1alpha1",
    kind: "CapacityBuffer",
    metadata: { name: "warm", namespace: "shop" },
    spec,
  });
  it("a PodTemplate that exists: ReadyForProvisioning True (Resolved), replicas and podTemplateRef written", async () => {
    const { context, store } = await contextWith([
      buffer({ podTemplateRef: { name: "chunk" }, replicas: 2 }),
    ]);
    await store.create({
      apiVersion: "v1",
      kind: "PodTemplate",
      metadata: { name: "chunk", namespace: "shop" },
      template: { spec: { containers: [{ name: "c", resources: { requests: { cpu: "1" } } }] } },
    });
    await new CapacityBufferStatus(context).reconcile();
    const [written] = await store.list("CapacityBuffer");
    assert.equal(written?.status?.replicas, 2);
    assert.equal(written?.status?.podTemplateRef?.name, "chunk");
    const ready = written?.status?.conditions?.find((c) => c.type === "ReadyForProvisioning");
    assert.equal(`${ready?.status}:${ready?.reason}`, "True:Resolved");
    assert.equal((await virtualPendingPods(store)).length, 2);
  });
  it("a missing PodTemplate: ReadyForProvisioning False (PodTemplateNotFound), no virtual pods", async () => {
    const { context, store } = await contextWith([
      buffer({ podTemplateRef: { name: "nope" }, replicas: 2 }),
    ]);
    await new CapacityBufferStatus(context).reconcile();
    const [written] = await store.list("CapacityBuffer");
    const ready = written?.status?.conditions?.find((c) => c.type === "ReadyForProvisioning");
    assert.equal(`${ready?.status}:${ready?.reason}`, "False:PodTemplateNotFound");
    assert.deepEqual(await virtualPendingPods(store), []);
  });
});
