import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CapacityBuffer, CapacityBufferSpec, PodTemplate } from "./capacitybuffer.ts";
import { bufferPods, isVirtualPod, resolveBuffer } from "./capacitybuffer-pods.ts";
import { bufferReplicas, percentageReplicas } from "./capacitybuffer-replicas.ts";
import type { PodSpec } from "./pod.ts";
import { validateObject } from "./validate.ts";
import type { Deployment } from "./workloads.ts";

const buffer = (spec: CapacityBufferSpec, name = "b"): CapacityBuffer => ({
  apiVersion: "autoscaling.x-k8s.io/v1alpha1",
  kind: "CapacityBuffer",
  metadata: { name, namespace: "shop" },
  spec,
});
const podSpec: PodSpec = {
  containers: [{ name: "c", resources: { requests: { cpu: "500m", memory: "1Gi" } } }],
  volumes: [{ name: "data", persistentVolumeClaim: { claimName: "data" } }],
  nodeName: "somewhere",
};
const template: PodTemplate = {
  apiVersion: "v1",
  kind: "PodTemplate",
  metadata: { name: "chunk", namespace: "shop" },
  template: { spec: podSpec },
};
const web: Deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "shop" },
  spec: { replicas: 10, selector: { matchLabels: { app: "web" } }, template: { spec: podSpec } },
};
const sources = { podTemplates: [template], scalables: [web] };

// kubernetes-sigs/karpenter pkg/controllers/capacitybuffer controller.go computeReplicas and
// helpers.go (Cluster Autoscaler's semantics).
describe("CapacityBuffer replicas (Karpenter's computeReplicas)", () => {
  const rows: [string, CapacityBufferSpec, number | undefined, number][] = [
    ["replicas alone", { replicas: 3 }, undefined, 3],
    ["percentage of the workload's replicas, rounded up", { percentage: 25 }, 10, 3],
    ["percentage: at least one chunk", { percentage: 1 }, 10, 1],
    ["replicas and percentage: the larger", { replicas: 1, percentage: 50 }, 10, 5],
    [
      "limits cap replicas (floor(limit / request), least over resources)",
      { replicas: 10, limits: { cpu: "2", memory: "10Gi" } },
      undefined,
      4,
    ],
    ["limits alone: as many chunks as fit", { limits: { memory: "3Gi" } }, undefined, 3],
    [
      "limits naming no requested resource do not limit",
      { replicas: 2, limits: { "nvidia.com/gpu": "1" } },
      undefined,
      2,
    ],
    ["nothing set: no chunks", {}, undefined, 0],
  ];
  for (const [name, spec, scalable, expected] of rows)
    it(name, () => assert.equal(bufferReplicas(buffer(spec), podSpec, scalable), expected));
  it("percentageReplicas(0 replicas) is 0", () => assert.equal(percentageReplicas(0, 0), 0));
});

describe("CapacityBuffer resolution and virtual pods (Karpenter's provisioner buffers.go)", () => {
  it("podTemplateRef: the template's spec, replicas from the spec", () => {
    const resolved = resolveBuffer(
      buffer({ podTemplateRef: { name: "chunk" }, replicas: 2 }),
      sources,
    );
    assert.ok(resolved.ok);
    assert.equal(resolved.replicas, 2);
  });
  it("scalableRef: the Deployment's pod template; percentage of its replicas", () => {
    const resolved = resolveBuffer(
      buffer({ scalableRef: { kind: "Deployment", name: "web" }, percentage: 20 }),
      sources,
    );
    assert.ok(resolved.ok);
    assert.equal(resolved.replicas, 2);
  });
  const failures: [string, CapacityBufferSpec, string][] = [
    [
      "a missing PodTemplate is PodTemplateNotFound",
      { podTemplateRef: { name: "nope" }, replicas: 1 },
      "PodTemplateNotFound",
    ],
    [
      "a missing workload is ScalableRefNotFound",
      { scalableRef: { kind: "Deployment", name: "nope" } },
      "ScalableRefNotFound",
    ],
    [
      "a group other than apps is refused (ResolveScalableRef)",
      { scalableRef: { apiGroup: "batch", kind: "Job", name: "j" } },
      "ResolutionFailed",
    ],
    [
      "a kind other than Deployment, StatefulSet, ReplicaSet is refused",
      { scalableRef: { kind: "DaemonSet", name: "d" } },
      "ResolutionFailed",
    ],
    ["neither reference: ResolutionFailed", { replicas: 1 }, "ResolutionFailed"],
  ];
  for (const [name, spec, reason] of failures)
    it(name, () => {
      const resolved = resolveBuffer(buffer(spec), sources);
      assert.equal(resolved.ok ? "ok" : resolved.reason, reason);
    });
  it("a template in another namespace is not found", () => {
    const elsewhere = { ...template, metadata: { name: "chunk", namespace: "other" } };
    const resolved = resolveBuffer(buffer({ podTemplateRef: { name: "chunk" }, replicas: 1 }), {
      podTemplates: [elsewhere],
      scalables: [],
    });
    assert.equal(resolved.ok, false);
  });
  it("virtual pods: named capacity-buffer-<name>-<i>, marked, priority -1000, no node name, no PVC volumes", () => {
    const pods = bufferPods(
      [buffer({ podTemplateRef: { name: "chunk" }, replicas: 2 }, "warm")],
      sources,
    );
    assert.deepEqual(
      pods.map((p) => p.metadata.name),
      ["capacity-buffer-warm-1", "capacity-buffer-warm-2"],
    );
    const [pod] = pods;
    assert.ok(pod !== undefined && isVirtualPod(pod));
    assert.equal(pod.metadata.labels?.["karpenter.sh/capacity-buffer-name"], "warm");
    assert.equal(pod.spec.priority, -1000);
    assert.equal(pod.spec.nodeName, undefined);
    assert.deepEqual(pod.spec.volumes, []);
  });
});

describe("CapacityBuffer validation (the CRD's CEL rules)", () => {
  const rows: [string, CapacityBufferSpec, RegExp | undefined][] = [
    [
      "podTemplateRef with replicas is valid",
      { podTemplateRef: { name: "t" }, replicas: 1 },
      undefined,
    ],
    [
      "podTemplateRef needs replicas or limits",
      { podTemplateRef: { name: "t" } },
      /replicas or limits must also be set/,
    ],
    [
      "podTemplateRef and scalableRef are exclusive",
      {
        podTemplateRef: { name: "t" },
        replicas: 1,
        scalableRef: { kind: "Deployment", name: "w" },
      },
      /either PodTemplateRef or ScalableRef/,
    ],
    [
      "replicas has minimum 0",
      { scalableRef: { kind: "Deployment", name: "w" }, replicas: -1 },
      /0/,
    ],
  ];
  for (const [name, spec, error] of rows)
    it(name, () => {
      const result = validateObject(buffer(spec));
      if (error === undefined) assert.equal(result.ok, true);
      else
        assert.ok(
          !result.ok && result.errors.some((e) => error.test(e.message)),
          JSON.stringify(result),
        );
    });
});
