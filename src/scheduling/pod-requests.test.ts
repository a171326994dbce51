import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Container, Pod } from "../api/pod.ts";
import { podRequests } from "./pod-requests.ts";
import { fitsResources, resourceFit } from "./resource-fit.ts";

const container = (
  name: string,
  requests: Record<string, string>,
  extra: Partial<Container> = {},
): Container => ({
  name,
  resources: { requests },
  ...extra,
});
const pod = (spec: Partial<Pod["spec"]>): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p" },
  spec: { containers: [], ...spec },
});
const requestsOf = (p: Pod) => {
  const result = podRequests(p);
  assert.ok(result.ok);
  return result.requests;
};

// Rows cite component-helpers/resource PodRequests, as NodeResourcesFit uses it.
describe("podRequests", () => {
  const rows: [string, Pod, Record<string, number>][] = [
    [
      "regular containers add up, plus one pod",
      pod({
        containers: [
          container("a", { cpu: "100m" }),
          container("b", { cpu: "200m", memory: "1Ki" }),
        ],
      }),
      { cpu: 300, memory: 1024, pods: 1 },
    ],
    [
      "an init container larger than the containers sets the peak",
      pod({
        containers: [container("a", { cpu: "100m" })],
        initContainers: [container("init", { cpu: "500m" })],
      }),
      { cpu: 500, pods: 1 },
    ],
    [
      "a sidecar runs alongside the containers: added to them",
      pod({
        containers: [container("a", { cpu: "100m" })],
        initContainers: [container("proxy", { cpu: "50m" }, { restartPolicy: "Always" })],
      }),
      { cpu: 150, pods: 1 },
    ],
    [
      "an init container after a sidecar runs with it",
      pod({
        containers: [container("a", { cpu: "100m" })],
        initContainers: [
          container("proxy", { cpu: "200m" }, { restartPolicy: "Always" }),
          container("migrate", { cpu: "400m" }),
        ],
      }),
      { cpu: 600, pods: 1 },
    ],
    [
      "an init container before a sidecar does not add it",
      pod({
        containers: [container("a", { cpu: "100m" })],
        initContainers: [
          container("migrate", { cpu: "400m" }),
          container("proxy", { cpu: "200m" }, { restartPolicy: "Always" }),
        ],
      }),
      { cpu: 400, pods: 1 },
    ],
    [
      "pod overhead is added",
      pod({ containers: [container("a", { cpu: "100m" })], overhead: { cpu: "10m" } }),
      { cpu: 110, pods: 1 },
    ],
    [
      "limits without requests become requests (API-server defaulting)",
      pod({
        containers: [
          {
            name: "gpu",
            resources: { limits: { "nvidia.com/gpu": "1", cpu: "2" }, requests: { cpu: "1" } },
          },
        ],
      }),
      { cpu: 1000, "nvidia.com/gpu": 1, pods: 1 },
    ],
  ];
  for (const [rule, p, expected] of rows) {
    it(rule, () => assert.deepEqual(requestsOf(p), expected));
  }
  it("an invalid quantity is reported with its field path", () => {
    const result = podRequests(pod({ containers: [container("a", { cpu: "lots" })] }));
    assert.ok(!result.ok);
    assert.equal(result.errors[0]?.path, "spec.containers[0].resources.requests.cpu");
  });
});

// Rows cite kube-scheduler NodeResourcesFit fitsRequest.
describe("resourceFit", () => {
  const allocatable = { cpu: 2000, memory: 4096, pods: 3 };
  it("fits when used + requested ≤ allocatable", () => {
    assert.deepEqual(resourceFit({ cpu: 1000, pods: 1 }, allocatable, { cpu: 1000, pods: 2 }), []);
  });
  it("reports every short resource with what is left", () => {
    const reasons = resourceFit({ cpu: 1500, memory: 5000, pods: 1 }, allocatable, {
      cpu: 1000,
      pods: 3,
    });
    assert.deepEqual(reasons, [
      {
        code: "insufficient_resource",
        resource: "cpu",
        requested: 1500,
        available: 1000,
        capacity: 2000,
      },
      {
        code: "insufficient_resource",
        resource: "memory",
        requested: 5000,
        available: 4096,
        capacity: 4096,
      },
      { code: "insufficient_resource", resource: "pods", requested: 1, available: 0, capacity: 3 },
    ]);
    assert.equal(fitsResources({ cpu: 1500 }, allocatable, { cpu: 1000 }), false);
  });
  it("an extended resource the node lacks counts as zero", () => {
    assert.equal(resourceFit({ "nvidia.com/gpu": 1 }, allocatable, {}).length, 1);
  });
  it("a zero request is ignored", () => {
    assert.deepEqual(resourceFit({ "nvidia.com/gpu": 0 }, allocatable, {}), []);
  });
});
