import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NodeClaim } from "../../api/nodeclaim.ts";
import type { NodePool } from "../../api/nodepool.ts";
import type { RecordedEvent } from "../../ports/event-recorder.ts";
import { InMemoryClusterStore } from "../../sim/store.ts";
import type { ControllerContext } from "../context.ts";
import { UnavailableOfferings } from "../lifecycle/unavailable-offerings.ts";
import { isUsable, NodePoolStatus } from "./status.ts";

const now = new Date("2026-12-01T12:00:00Z");
const pool = (name: string, nodeClass: string, limits?: Record<string, string>): NodePool => ({
  apiVersion: "karpenter.sh/v1",
  kind: "NodePool",
  metadata: { name },
  spec: {
    template: {
      spec: {
        nodeClassRef: { group: "carpool.dev", kind: "KwokNodeClass", name: nodeClass },
        requirements: [],
      },
    },
    ...(limits && { limits }),
  },
});
const claim = (name: string, poolName: string, cpu: string): NodeClaim => ({
  apiVersion: "karpenter.sh/v1",
  kind: "NodeClaim",
  metadata: { name, labels: { "karpenter.sh/nodepool": poolName } },
  spec: {
    nodeClassRef: { group: "carpool.dev", kind: "KwokNodeClass", name: "default" },
    requirements: [],
  },
  status: { capacity: { cpu, memory: "8Gi", pods: "110" } },
});

async function run(objects: readonly (NodePool | NodeClaim)[], withClass = true) {
  const store = new InMemoryClusterStore(() => now);
  if (withClass)
    await store.create({
      apiVersion: "carpool.dev/v1alpha1",
      kind: "KwokNodeClass",
      metadata: { name: "default" },
      spec: {},
    });
  for (const object of objects) await store.create(object);
  const events: RecordedEvent[] = [];
  const context: ControllerContext = {
    store,
    cloud: undefined as never,
    clock: { now: () => now },
    events: { record: (e) => events.push(e) },
    unavailable: new UnavailableOfferings(),
  };
  await new NodePoolStatus(context, [{ group: "carpool.dev", kind: "KwokNodeClass" }]).reconcile();
  return {
    store,
    events,
    pools: new Map((await store.list("NodePool")).map((p) => [p.metadata.name, p])),
  };
}

const condition = (p: NodePool | undefined, type: string) =>
  p?.status?.conditions?.find((c) => c.type === type);

describe("the NodePool status controller (Karpenter's nodepool readiness and counter controllers)", () => {
  it("a pool whose node class exists is Ready and counts its claims' resources and nodes", async () => {
    const { pools, events } = await run([
      pool("a", "default"),
      claim("a-1", "a", "2"),
      claim("a-2", "a", "4"),
    ]);
    const a = pools.get("a");
    assert.equal(condition(a, "NodeClassReady")?.status, "True");
    assert.equal(condition(a, "Ready")?.status, "True");
    assert.equal(a?.status?.nodes, 2);
    assert.equal(a?.status?.resources?.cpu, "6");
    assert.equal(a?.status?.resources?.memory, "16Gi");
    assert.ok(isUsable(a as NodePool));
    assert.deepEqual(events, []);
  });

  it("a missing node class makes NodeClassReady and Ready False with the reason, told in an Event; the pool is not used", async () => {
    const { pools, events } = await run([pool("b", "nope"), pool("a", "default")]);
    const b = pools.get("b");
    assert.equal(condition(b, "NodeClassReady")?.reason, "NodeClassNotFound");
    assert.equal(condition(b, "Ready")?.status, "False");
    assert.equal(isUsable(b as NodePool), false);
    assert.ok(isUsable(pools.get("a") as NodePool), "the other pool keeps working");
    assert.ok(
      events.some(
        (e) =>
          e.object === "NodePool/b" && /NodeClassReady=False \(NodeClassNotFound\)/.test(e.message),
      ),
    );
  });

  it("another provider's node class kind is UnsupportedNodeClass", async () => {
    const ec2 = pool("c", "default");
    ec2.spec.template.spec.nodeClassRef = {
      group: "karpenter.k8s.aws",
      kind: "EC2NodeClass",
      name: "default",
    };
    const { pools } = await run([ec2]);
    assert.equal(condition(pools.get("c"), "NodeClassReady")?.reason, "UnsupportedNodeClass");
  });

  it("resources above the limits are LimitsSatisfied=False, naming the resource; Ready is unaffected", async () => {
    const { pools } = await run([
      pool("a", "default", { cpu: "4" }),
      claim("a-1", "a", "2"),
      claim("a-2", "a", "4"),
    ]);
    const limits = condition(pools.get("a"), "LimitsSatisfied");
    assert.equal(limits?.status, "False");
    assert.equal(limits?.message, "cpu: 6 in use exceeds the limit 4");
    assert.equal(condition(pools.get("a"), "Ready")?.status, "True");
  });

  it("limits.nodes counts one per node (Karpenter's state node capacity has nodes: 1)", async () => {
    const { pools } = await run([
      pool("a", "default", { nodes: "1" }),
      claim("a-1", "a", "2"),
      claim("a-2", "a", "4"),
    ]);
    assert.equal(pools.get("a")?.status?.resources?.nodes, "2");
    const limits = condition(pools.get("a"), "LimitsSatisfied");
    assert.equal(limits?.status, "False");
    assert.equal(limits?.message, "nodes: 2 in use exceeds the limit 1");
  });

  it("writes nothing when nothing changed (no resourceVersion churn)", async () => {
    const { store } = await run([pool("a", "default")]);
    const before = (await store.get("NodePool", "a"))?.metadata.resourceVersion;
    const context = {
      store,
      cloud: undefined as never,
      clock: { now: () => new Date(now.getTime() + 60_000) },
      events: { record: () => {} },
      unavailable: new UnavailableOfferings(),
    };
    await new NodePoolStatus(context, [
      { group: "carpool.dev", kind: "KwokNodeClass" },
    ]).reconcile();
    assert.equal((await store.get("NodePool", "a"))?.metadata.resourceVersion, before);
  });
});
