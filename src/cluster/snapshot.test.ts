import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod } from "../api/pod.ts";
import type { Deployment } from "../api/workloads.ts";
import { buildSnapshot } from "./snapshot.ts";

const pod = (
  name: string,
  extra: Partial<Pod["metadata"]> = {},
  spec: Partial<Pod["spec"]> = {},
  phase?: string,
): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default", labels: { app: "web" }, ...extra },
  spec: { containers: [{ name: "c" }], ...spec },
  ...(phase && { status: { phase } }),
});
const deployment = (replicas?: number): Deployment => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "default" },
  spec: {
    ...(replicas !== undefined && { replicas }),
    selector: { matchLabels: { app: "web" } },
    template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c" }] } },
  },
});
const names = (pods: readonly Pod[]) => pods.map((p) => p.metadata.name);

describe("cluster snapshot", () => {
  it("a Deployment asks for spec.replicas pods named NAME-0, NAME-1, … (plan contract)", () => {
    assert.deepEqual(names(buildSnapshot([deployment(3)]).pendingPods), [
      "web-0",
      "web-1",
      "web-2",
    ]);
  });
  it("replicas defaults to 1 (apps/v1 defaulting)", () => {
    assert.deepEqual(names(buildSnapshot([deployment()]).pendingPods), ["web-0"]);
  });
  it("pods already in the snapshot that the workload selects count towards its replicas", () => {
    const running = pod("web-0", {}, { nodeName: "n1" });
    assert.deepEqual(names(buildSnapshot([deployment(3), running]).pendingPods), [
      "web-1",
      "web-2",
    ]);
  });
  it("a Job asks for spec.parallelism pods", () => {
    const job = {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "report", namespace: "default" },
      spec: { parallelism: 2, template: { spec: { containers: [{ name: "c" }] } } },
    };
    assert.deepEqual(names(buildSnapshot([job as never]).pendingPods), ["report-0", "report-1"]);
  });
  it("pending DaemonSet pods and terminating pods are not provisioned for (Karpenter IsProvisionable)", () => {
    const daemon = pod("agent-x", {
      ownerReferences: [{ apiVersion: "apps/v1", kind: "DaemonSet", name: "agent" }],
    });
    const leaving = pod("old", { deletionTimestamp: "2026-01-01T00:00:00Z" });
    assert.deepEqual(names(buildSnapshot([daemon, leaving, pod("new")]).pendingPods), ["new"]);
  });
  it("finished pods hold nothing: they are neither bound nor pending", () => {
    const done = pod("done", {}, { nodeName: "n1" }, "Succeeded");
    const snapshot = buildSnapshot([done]);
    assert.equal(snapshot.boundPods.length + snapshot.pendingPods.length, 0);
  });
});
