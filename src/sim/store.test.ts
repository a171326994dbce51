import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NodeClaim } from "../api/nodeclaim.ts";
import type { Pod } from "../api/pod.ts";
import { ConflictError, TooManyRequestsError } from "../ports/cluster-store.ts";
import { Engine } from "./engine.ts";
import { InMemoryClusterStore } from "./store.ts";

const clock = () => new Date("2026-01-01T00:00:00Z");
const claim: NodeClaim = {
  apiVersion: "karpenter.sh/v1",
  kind: "NodeClaim",
  metadata: { name: "c", finalizers: ["karpenter.sh/termination"] },
  spec: { nodeClassRef: { group: "g", kind: "k", name: "n" }, requirements: [] },
};
const pod = (name: string, labels: Record<string, string> = {}): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default", labels },
  spec: { containers: [{ name: "c" }] },
});

describe("the simulator's API server (Kubernetes object semantics)", () => {
  it("every write bumps resourceVersion; an update from a stale read conflicts", async () => {
    const store = new InMemoryClusterStore(clock);
    const created = await store.create(claim);
    const updated = await store.update({
      ...created,
      metadata: { ...created.metadata, labels: { a: "1" } },
    });
    assert.notEqual(created.metadata.resourceVersion, updated.metadata.resourceVersion);
    await assert.rejects(store.update(created), ConflictError);
  });
  it("deleting an object with finalizers sets deletionTimestamp; removing the last finalizer removes it", async () => {
    const store = new InMemoryClusterStore(clock);
    await store.create(claim);
    await store.delete({ kind: "NodeClaim", name: "c" });
    const deleting = await store.get("NodeClaim", "c");
    assert.equal(deleting?.metadata.deletionTimestamp, "2026-01-01T00:00:00.000Z");
    await store.update({ ...deleting!, metadata: { ...deleting!.metadata, finalizers: [] } });
    assert.equal(await store.get("NodeClaim", "c"), undefined);
  });
  it("binding sets spec.nodeName once; a bound pod cannot be bound again", async () => {
    const store = new InMemoryClusterStore(clock);
    await store.create(pod("p"));
    await store.bind(pod("p"), "n1");
    assert.equal((await store.get("Pod", "p", "default"))?.spec.nodeName, "n1");
    await assert.rejects(store.bind(pod("p"), "n2"), ConflictError);
  });
  it("evictions go through PodDisruptionBudgets (429 when none is allowed)", async () => {
    const store = new InMemoryClusterStore(clock);
    const evicted: string[] = [];
    store.onEvict = (p) => void evicted.push(p.metadata.name ?? "");
    await store.create(pod("a", { app: "x" }));
    await store.create({
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "x", namespace: "default" },
      spec: { minAvailable: 1, selector: { matchLabels: { app: "x" } } },
    });
    await assert.rejects(store.evict(pod("a")), TooManyRequestsError);
    await store.create(pod("b", { app: "x" }));
    await store.evict(pod("a"));
    assert.equal(await store.get("Pod", "a", "default"), undefined);
    // The invariant hook sees the eviction the budget allowed, not the one it refused.
    assert.deepEqual(evicted, ["a"]);
  });
});

describe("the virtual clock", () => {
  it("runs actions in time order, ties in scheduling order, and jumps over idle time", async () => {
    const engine = new Engine(new Date(0));
    const seen: string[] = [];
    engine.after(2000, () => void seen.push(`b@${engine.elapsed()}`));
    engine.after(1000, () => void seen.push(`a@${engine.elapsed()}`));
    engine.after(2000, () => void seen.push(`c@${engine.elapsed()}`));
    engine.after(10_000, () => void seen.push("late"));
    await engine.run(5000);
    assert.deepEqual(seen, ["a@1000", "b@2000", "c@2000"]);
    assert.equal(engine.elapsed(), 5000);
  });
});
