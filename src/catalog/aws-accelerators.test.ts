import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { WellKnownLabelKeys } from "../api/wellknown.ts";
import { plan } from "../plan.ts";
import { awsCatalog } from "./aws-catalog.ts";

// Karpenter's AWS provider (pkg/providers/instancetype/types.go computeCapacity): Neuron devices as
// aws.amazon.com/neuron, and devices × NeuronCores per device as aws.amazon.com/neuroncore.
describe("the AWS catalog's Neuron accelerators", () => {
  const types = new Map(awsCatalog().instanceTypes.map((t) => [t.name, t]));
  const cases: [string, number, number][] = [
    ["inf1.xlarge", 1, 4],
    ["inf1.6xlarge", 4, 16],
    ["inf2.xlarge", 1, 2],
    ["inf2.48xlarge", 12, 24],
    ["trn1.2xlarge", 1, 2],
    ["trn1.32xlarge", 16, 32],
  ];
  for (const [name, devices, cores] of cases) {
    it(`${name}: ${devices} neuron, ${cores} neuroncore, in capacity and allocatable`, () => {
      const type = types.get(name);
      assert.ok(type, `${name} is in the catalog`);
      for (const resources of [type.capacity, type.allocatable]) {
        assert.equal(resources["aws.amazon.com/neuron"], devices);
        assert.equal(resources["aws.amazon.com/neuroncore"], cores);
      }
      assert.equal(type.labels["karpenter.k8s.aws/instance-accelerator-manufacturer"], "aws");
    });
  }
  it("types without Neuron devices advertise none", () => {
    assert.equal(types.get("m5.large")?.capacity["aws.amazon.com/neuron"], undefined);
  });

  it("a pod asking for a NeuronCore gets the cheapest type with enough (inf1.xlarge, 4 cores)", () => {
    const result = plan([
      {
        apiVersion: "karpenter.sh/v1",
        kind: "NodePool",
        metadata: { name: "neuron" },
        spec: {
          template: {
            spec: {
              nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" },
              requirements: [
                {
                  key: "karpenter.k8s.aws/instance-accelerator-manufacturer",
                  operator: "In",
                  values: ["aws"],
                },
              ],
            },
          },
        },
      },
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "infer", namespace: "default" },
        spec: {
          containers: [
            {
              name: "c",
              image: "i",
              resources: {
                requests: { "aws.amazon.com/neuroncore": "2" },
                limits: { "aws.amazon.com/neuroncore": "2" },
              },
            },
          ],
        },
      },
    ]);
    assert.deepEqual(
      result.nodeClaims.map((c) => c.instanceType),
      ["inf1.xlarge"],
    );
  });
});

// Karpenter's AWS provider registers these as well-known (pkg/apis/v1/labels.go): a pod may select
// them whatever the NodePool says.
describe("AWS well-known labels added since Karpenter v1.0", () => {
  for (const key of [
    "topology.k8s.aws/zone-id",
    "karpenter.k8s.aws/instance-tenancy",
    "karpenter.k8s.aws/instance-capability-flex",
    "karpenter.k8s.aws/instance-cpu-sustained-clock-speed-mhz",
    "karpenter.k8s.aws/instance-accelerator-name",
    "karpenter.k8s.aws/instance-accelerator-manufacturer",
    "karpenter.k8s.aws/instance-accelerator-count",
    "karpenter.k8s.aws/capacity-reservation-id",
    "karpenter.k8s.aws/capacity-reservation-type",
    "karpenter.k8s.aws/capacity-reservation-interruptible",
    "karpenter.k8s.aws/placement-group-id",
    "karpenter.k8s.aws/placement-group-partition",
  ])
    it(key, () => assert.ok(WellKnownLabelKeys.has(key)));

  it("the catalog carries capability-flex and the sustained clock speed on every type", () => {
    for (const type of awsCatalog().instanceTypes) {
      assert.match(
        type.labels["karpenter.k8s.aws/instance-capability-flex"] ?? "",
        /^(true|false)$/,
      );
      assert.match(
        type.labels["karpenter.k8s.aws/instance-cpu-sustained-clock-speed-mhz"] ?? "",
        /^\d+$/,
      );
    }
    assert.equal(
      types().get("c7i-flex.large")?.labels["karpenter.k8s.aws/instance-capability-flex"],
      "true",
    );
  });
});

function types() {
  return new Map(awsCatalog().instanceTypes.map((t) => [t.name, t]));
}
