import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NodePool } from "../api/nodepool.ts";
import type { Pod } from "../api/pod.ts";
import { type ClusterStore, NotFoundError, TooManyRequestsError } from "../ports/cluster-store.ts";
import { instrumentClusterStore } from "./cluster-store.ts";
import { createMetrics } from "./metrics.ts";
import { recordNodePools } from "./nodepools.ts";
import { timeScheduling } from "./scheduling.ts";

describe("createMetrics", () => {
  it("registers Karpenter's names with Karpenter's label names on the caller's registry", () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const declared = Object.fromEntries(
      metrics.registry
        .getMetricsAsArray()
        .map((m) => [m.name, (m as unknown as { labelNames: string[] }).labelNames]),
    );
    assert.deepEqual(declared, {
      karpenter_nodeclaims_created_total: ["reason", "nodepool"],
      karpenter_nodeclaims_terminated_total: ["nodepool"],
      karpenter_nodeclaims_disrupted_total: ["reason", "nodepool"],
      karpenter_nodeclaims_launched_total: ["nodepool"],
      karpenter_nodeclaims_registered_total: ["nodepool"],
      karpenter_nodeclaims_initialized_total: ["nodepool"],
      karpenter_nodes_created_total: ["nodepool"],
      karpenter_nodes_terminated_total: ["nodepool"],
      karpenter_voluntary_disruption_decisions_total: ["decision", "reason", "consolidation_type"],
      karpenter_voluntary_disruption_queue_failures_total: [
        "decision",
        "reason",
        "consolidation_type",
      ],
      karpenter_voluntary_disruption_failed_validations_total: ["consolidation_type"],
      karpenter_pods_eviction_requests_total: ["code"],
      karpenter_scheduler_scheduling_duration_seconds: ["controller"],
      karpenter_scheduler_queue_depth: ["controller", "scheduling_id"],
      karpenter_scheduler_unschedulable_pods_count: ["controller"],
      karpenter_cloudprovider_duration_seconds: ["controller", "method", "provider"],
      karpenter_cloudprovider_errors_total: ["controller", "method", "provider", "error"],
      karpenter_nodepools_usage: ["nodepool", "resource_type"],
      karpenter_nodepools_limit: ["nodepool", "resource_type"],
    });
  });
  it("adds Node's process metrics to the same registry, and two registries never collide", async () => {
    const a = createMetrics();
    const b = createMetrics();
    const text = await a.registry.metrics();
    assert.match(text, /^process_cpu_user_seconds_total /m);
    assert.match(text, /^nodejs_heap_size_total_bytes /m);
    assert.notEqual(a.registry, b.registry);
  });
});

describe("timeScheduling", () => {
  it("observes the run's duration, shows its pods while it runs and the unschedulable after", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const done = timeScheduling(metrics, { pods: 12 });
    const during = (await metrics.schedulerQueueDepth.get()).values;
    assert.equal(during.length, 1);
    assert.equal(during[0]?.value, 12);
    assert.equal(during[0]?.labels.controller, "provisioner");
    assert.match(String(during[0]?.labels.scheduling_id), /^[0-9a-f-]{36}$/);
    const seconds = done({ unschedulablePods: 2 });
    assert.ok(seconds >= 0);
    assert.equal(done(), seconds, "a second call changes nothing");
    assert.deepEqual((await metrics.schedulerQueueDepth.get()).values, []);
    const count = (await metrics.schedulingDuration.get()).values.find(
      (v) => v.metricName === "karpenter_scheduler_scheduling_duration_seconds_count",
    );
    assert.deepEqual([count?.labels, count?.value], [{ controller: "provisioner" }, 1]);
    assert.deepEqual(
      (await metrics.unschedulablePods.get()).values.map((v) => [v.labels, v.value]),
      [[{ controller: "provisioner" }, 2]],
    );
  });
});

describe("instrumentClusterStore", () => {
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p" },
    spec: {},
  } as unknown as Pod;
  function store(evict: ClusterStore["evict"]): ClusterStore {
    const unused = () => Promise.reject(new Error("unused"));
    return {
      list: unused,
      get: unused,
      create: unused,
      update: unused,
      delete: unused,
      bind: unused,
      evict,
    };
  }
  it("counts evictions by the API's answer and re-throws refusals", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const answers = [
      undefined,
      new TooManyRequestsError("PDB web allows 0"),
      new NotFoundError("Pod/p"),
      undefined,
    ];
    const instrumented = instrumentClusterStore(
      store(async () => {
        const answer = answers.shift();
        if (answer !== undefined) throw answer;
      }),
      metrics,
    );
    await instrumented.evict(pod);
    await assert.rejects(instrumented.evict(pod), TooManyRequestsError);
    await assert.rejects(instrumented.evict(pod), NotFoundError);
    await instrumented.evict(pod);
    assert.deepEqual(
      (await metrics.podEvictionRequests.get()).values.map((v) => [v.labels.code, v.value]),
      [
        ["200", 2],
        ["429", 1],
        ["404", 1],
      ],
    );
  });
});

describe("recordNodePools", () => {
  const nodePool = (
    name: string,
    limits?: Record<string, string>,
    usage?: Record<string, string>,
  ) =>
    ({
      apiVersion: "karpenter.sh/v1",
      kind: "NodePool",
      metadata: { name },
      spec: { ...(limits && { limits }), template: { spec: {} } },
      ...(usage && { status: { resources: usage } }),
    }) as unknown as NodePool;
  it("sets usage and limits per resource as Karpenter does: cpu in cores, the rest in units", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    recordNodePools(metrics, [
      nodePool(
        "default",
        { cpu: "1000", memory: "1000Gi" },
        { cpu: "1500m", memory: "4Gi", "nvidia.com/gpu": "1" },
      ),
    ]);
    const usage = (await metrics.nodePoolUsage.get()).values.map((v) => [
      v.labels.resource_type,
      v.value,
    ]);
    assert.deepEqual(usage, [
      ["cpu", 1.5],
      ["memory", 4 * 2 ** 30],
      ["nvidia.com/gpu", 1],
    ]);
    const limits = (await metrics.nodePoolLimit.get()).values.map((v) => [
      v.labels.nodepool,
      v.labels.resource_type,
      v.value,
    ]);
    assert.deepEqual(limits, [
      ["default", "cpu", 1000],
      ["default", "memory", 1000 * 2 ** 30],
    ]);
  });
  it("drops the series of a pool that is gone", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    recordNodePools(metrics, [nodePool("a", { cpu: "10" }), nodePool("b", { cpu: "20" })]);
    recordNodePools(metrics, [nodePool("b", { cpu: "20" })]);
    assert.deepEqual(
      (await metrics.nodePoolLimit.get()).values.map((v) => v.labels.nodepool),
      ["b"],
    );
  });
});
