import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Node } from "../api/node.ts";
import type { Pod } from "../api/pod.ts";
import { InMemoryClusterStore } from "./store.ts";
import { WorkloadControllers } from "./workloads.ts";

const clock = () => new Date("2026-01-01T00:00:00Z");
const template = (app: string) => ({
  metadata: { labels: { app } },
  spec: { containers: [{ name: "c" }] },
});
const names = (pods: Pod[]) => pods.map((p) => p.metadata.name).sort();

async function settle(store: InMemoryClusterStore) {
  const controllers = new WorkloadControllers(store);
  await controllers.reconcile();
  return controllers;
}

describe("the simulator's workload controllers", () => {
  it("a StatefulSet keeps ordinals 0…n-1 and scales down from the top", async () => {
    const store = new InMemoryClusterStore(clock);
    const sts = {
      apiVersion: "apps/v1" as const,
      kind: "StatefulSet" as const,
      metadata: { name: "db", namespace: "default" },
      spec: { replicas: 3, selector: { matchLabels: { app: "db" } }, template: template("db") },
    };
    const created = await store.create(sts);
    const controllers = await settle(store);
    assert.deepEqual(names(store.listNow("Pod")), ["db-0", "db-1", "db-2"]);
    await store.update({ ...created, spec: { ...created.spec, replicas: 1 } });
    await controllers.reconcile();
    assert.deepEqual(names(store.listNow("Pod")), ["db-0"]);
  });
  it("a Deployment scaled down removes pending pods before running ones", async () => {
    const store = new InMemoryClusterStore(clock);
    const deployment = await store.create({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "default" },
      spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template: template("web") },
    });
    const controllers = await settle(store);
    const [first] = store.listNow("Pod");
    await store.bind(first!, "n1");
    await store.update({ ...deployment, spec: { ...deployment.spec, replicas: 1 } });
    await controllers.reconcile();
    assert.deepEqual(
      store.listNow("Pod").map((p) => p.spec.nodeName),
      ["n1"],
    );
  });
  it("a Job runs parallelism pods until completions succeed, counting pods that are gone", async () => {
    const store = new InMemoryClusterStore(clock);
    await store.create({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "j", namespace: "default" },
      spec: { parallelism: 2, completions: 3, template: template("j") },
    });
    const controllers = await settle(store);
    assert.equal(store.listNow("Pod").length, 2);
    for (const pod of store.listNow("Pod"))
      await store.update({ ...pod, status: { phase: "Succeeded" } });
    await controllers.reconcile();
    const live = store.listNow("Pod").filter((p) => p.status?.phase !== "Succeeded");
    assert.equal(live.length, 1, "one more completion to go");
    for (const pod of store.listNow("Pod").filter((p) => p.status?.phase === "Succeeded"))
      await store.delete({ kind: "Pod", name: pod.metadata.name ?? "", namespace: "default" });
    await controllers.reconcile();
    assert.equal(store.listNow("Pod").length, 1, "deleted successes still count");
  });
  it("a DaemonSet runs a pod on each node whose taints it tolerates", async () => {
    const store = new InMemoryClusterStore(clock);
    const node = (name: string, taints: Node["spec"] = {}): Node => ({
      apiVersion: "v1",
      kind: "Node",
      metadata: { name },
      spec: taints,
    });
    await store.create(node("plain"));
    await store.create(node("gpu", { taints: [{ key: "gpu", effect: "NoSchedule" }] }));
    await store.create({
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "agent", namespace: "kube-system" },
      spec: { selector: { matchLabels: { app: "agent" } }, template: template("agent") },
    });
    await settle(store);
    assert.deepEqual(
      store.listNow("Pod").map((p) => p.spec.nodeName),
      ["plain"],
    );
  });
});
