import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateObject } from "./validate.ts";

const nodePool = (templateSpec: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: "karpenter.sh/v1",
  kind: "NodePool",
  metadata: { name: "default" },
  spec: {
    template: {
      spec: {
        nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" },
        requirements: [],
        ...templateSpec,
      },
    },
    ...extra,
  },
});

const deployment = (podSpec: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "shop" },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: { containers: [{ name: "web", image: "nginx" }], ...podSpec },
    },
    ...spec,
  },
});

const unknownFieldsOf = (object: unknown) => validateObject(object).unknownFields;

// KEP-2885 server-side field validation: the API server names each field its schema lacks by
// its full path (`unknown field "spec.template.spec.taint"`); map keys are data, not fields.
describe("unknown fields (strict field validation)", () => {
  const rows: [string, unknown, string[]][] = [
    ["a valid NodePool has none", nodePool({}), []],
    [
      "taint for taints in a NodePool template",
      nodePool({ taint: [{ key: "a", effect: "NoSchedule" }] }),
      ["spec.template.spec.taint"],
    ],
    [
      "a misspelt field inside a list item keeps its index",
      nodePool({ taints: [{ key: "a", effect: "NoSchedule", efect: "NoSchedule" }] }),
      ["spec.template.spec.taints[0].efect"],
    ],
    [
      "nodeSelectr in a Deployment's pod template",
      deployment({ nodeSelectr: { disk: "ssd" } }),
      ["spec.template.spec.nodeSelectr"],
    ],
    ["an unknown top-level field", { ...deployment({}), specs: {} }, ["specs"]],
    [
      "fields Kubernetes has and carpool does not read are not unknown (command, env, probes, strategy)",
      deployment(
        {
          serviceAccountName: "web",
          securityContext: { runAsNonRoot: true },
          containers: [
            {
              name: "web",
              image: "nginx",
              command: ["nginx"],
              env: [{ name: "A", value: "1" }],
              readinessProbe: { httpGet: { path: "/", port: 80 } },
              volumeMounts: [{ name: "data", mountPath: "/data" }],
            },
          ],
          volumes: [{ name: "data", emptyDir: {} }],
        },
        { strategy: { type: "RollingUpdate" }, revisionHistoryLimit: 3 },
      ),
      [],
    ],
    [
      "labels and annotations are maps: any key is data",
      {
        ...deployment({}),
        metadata: { name: "web", labels: { "anything.example/x": "y" }, annotations: { z: "1" } },
      },
      [],
    ],
    [
      "a server-written snapshot's metadata and status are known (managedFields, status)",
      {
        ...deployment({}),
        metadata: { name: "web", managedFields: [{ manager: "kubectl" }], selfLink: "/x" },
        status: { replicas: 2 },
      },
      [],
    ],
    [
      "a Node from kubectl get -o yaml: addresses, nodeInfo, podCIDR",
      {
        apiVersion: "v1",
        kind: "Node",
        metadata: { name: "ip-10-0-0-1.ec2.internal" },
        spec: { podCIDR: "10.0.0.0/24", providerID: "aws:///us-east-1a/i-1" },
        status: {
          addresses: [{ type: "InternalIP", address: "10.0.0.1" }],
          nodeInfo: { kubeletVersion: "v1.34.0" },
          conditions: [
            { type: "Ready", status: "True", lastHeartbeatTime: "2026-01-01T00:00:00Z" },
          ],
        },
      },
      [],
    ],
    [
      "a misspelt container field is unknown (resources typo)",
      deployment({ containers: [{ name: "web", image: "nginx", resource: {} }] }),
      ["spec.template.spec.containers[0].resource"],
    ],
  ];
  for (const [name, object, expected] of rows)
    it(name, () => assert.deepEqual(unknownFieldsOf(object), expected));
  it("a kind carpool does not read is not checked", () => {
    assert.deepEqual(
      unknownFieldsOf({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, dta: {} }),
      [],
    );
  });
  it("unknown fields do not make an object invalid (kubectl's default is a warning)", () => {
    assert.equal(validateObject(nodePool({ taint: [] })).ok, true);
  });
});
