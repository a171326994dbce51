import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NodeClaim } from "../api/nodeclaim.ts";
import { catalogFromInstanceTypes } from "../catalog/user-catalog.ts";
import { cloudProviderContract } from "../ports/cloud-provider.contract.ts";
import {
  type CloudProvider,
  InsufficientCapacityError,
  NodeClaimNotFoundError,
} from "../ports/cloud-provider.ts";
import { SimulatedCloud } from "../sim/cloud.ts";
import { Engine } from "../sim/engine.ts";
import { instanceType } from "../solver/fixtures.test-helpers.ts";
import { errorLabel, instrumentCloudProvider } from "./cloud-provider.ts";
import { createMetrics } from "./metrics.ts";

function simulatedCloud() {
  const { catalog } = catalogFromInstanceTypes([
    instanceType("cheap", 2, 4, 0.05, { zones: ["z1"] }),
    instanceType("dear", 4, 8, 0.1, { zones: ["z1"] }),
  ]);
  return new SimulatedCloud(catalog, new Engine(new Date(0)));
}

const claim = (name: string, types: string[]): NodeClaim => ({
  apiVersion: "karpenter.sh/v1",
  kind: "NodeClaim",
  metadata: { name },
  spec: {
    nodeClassRef: { group: "g", kind: "k", name: "n" },
    requirements: [
      { key: "node.kubernetes.io/instance-type", operator: "In", values: types },
      { key: "topology.kubernetes.io/zone", operator: "In", values: ["z1"] },
    ],
  },
});

describe("CloudProvider contract: the simulated cloud behind the metrics decorator", () => {
  cloudProviderContract(() => {
    const cloud = simulatedCloud();
    return {
      provider: instrumentCloudProvider(cloud, createMetrics({ defaultMetrics: false }), "sim"),
      exhaust: (type) => cloud.makeUnavailable({ instanceType: type }, Number.POSITIVE_INFINITY),
    };
  });
});

describe("instrumentCloudProvider", () => {
  it("times each call under Karpenter's method names and counts failures by error class", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const cloud = simulatedCloud();
    const provider = instrumentCloudProvider(cloud, metrics, "sim", { controller: "lifecycle" });
    const launched = await provider.create(claim("a", ["cheap"]));
    await provider.list();
    await provider.instanceTypes();
    await provider.isDrifted(launched);
    await provider.get(launched.status?.providerID ?? "");
    await provider.delete(launched);
    await assert.rejects(provider.delete(launched), NodeClaimNotFoundError);
    cloud.makeUnavailable({ instanceType: "cheap" }, Number.POSITIVE_INFINITY);
    await assert.rejects(provider.create(claim("b", ["cheap"])), InsufficientCapacityError);

    const counts = (await metrics.cloudProviderDuration.get()).values
      .filter((v) => v.metricName === "karpenter_cloudprovider_duration_seconds_count")
      .map((v) => [v.labels.method, v.value, v.labels.provider, v.labels.controller]);
    assert.deepEqual(
      new Map(counts.map(([method, count]) => [method, count])),
      new Map([
        ["Create", 2],
        ["List", 1],
        ["GetInstanceTypes", 1],
        ["IsDrifted", 1],
        ["Get", 1],
        ["Delete", 2],
      ]),
    );
    assert.ok(
      counts.every(
        ([, , provider, controller]) => provider === "sim" && controller === "lifecycle",
      ),
    );

    const errors = (await metrics.cloudProviderErrors.get()).values.map((v) => ({
      ...v.labels,
      value: v.value,
    }));
    assert.deepEqual(
      errors.sort((a, b) => String(a.method).localeCompare(String(b.method))),
      [
        {
          controller: "lifecycle",
          method: "Create",
          provider: "sim",
          error: "InsufficientCapacityError",
          value: 1,
        },
        {
          controller: "lifecycle",
          method: "Delete",
          provider: "sim",
          error: "NodeClaimNotFoundError",
          value: 1,
        },
      ],
    );
    const text = await metrics.registry.metrics();
    assert.match(
      text,
      /karpenter_cloudprovider_errors_total\{controller="lifecycle",method="Create",provider="sim",error="InsufficientCapacityError"\} 1/,
    );
  });

  it("re-throws the provider's own error object", async () => {
    const failure = new Error("api down");
    const cloud = simulatedCloud();
    const failing: CloudProvider = {
      create: (c) => cloud.create(c),
      delete: (c) => cloud.delete(c),
      get: (id) => cloud.get(id),
      list: () => Promise.reject(failure),
      instanceTypes: () => cloud.instanceTypes(),
      isDrifted: () => cloud.isDrifted(),
    };
    const metrics = createMetrics({ defaultMetrics: false });
    const provider = instrumentCloudProvider(failing, metrics, "sim");
    await assert.rejects(provider.list(), (error) => error === failure);
    assert.deepEqual(
      (await metrics.cloudProviderErrors.get()).values.map((v) => v.labels),
      [{ controller: "", method: "List", provider: "sim", error: "Error" }],
    );
  });

  it("labels an error by its class name", () => {
    class QuotaExceeded extends Error {}
    assert.equal(errorLabel(new InsufficientCapacityError("x", [])), "InsufficientCapacityError");
    assert.equal(errorLabel(new TypeError("x")), "TypeError");
    assert.equal(errorLabel(new QuotaExceeded("x")), "QuotaExceeded");
    assert.equal(errorLabel(new Error("x")), "Error");
    assert.equal(errorLabel("a string"), "");
  });
});
