import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EC2NodeClass } from "../../../api/ec2nodeclass.ts";
import { awsCatalog } from "../../../catalog/aws-catalog.ts";
import { forNodeClass } from "./node-class-allocatable.ts";

const nodeClass = (spec: Partial<NonNullable<EC2NodeClass["spec"]>> = {}): EC2NodeClass => ({
  apiVersion: "karpenter.k8s.aws/v1",
  kind: "EC2NodeClass",
  metadata: { name: "default" },
  spec: {
    amiSelectorTerms: [{ alias: "al2023@latest" }],
    subnetSelectorTerms: [{ tags: { "karpenter.sh/discovery": "c" } }],
    securityGroupSelectorTerms: [{ tags: { "karpenter.sh/discovery": "c" } }],
    role: "KarpenterNodeRole-c",
    ...spec,
  },
});
const type = (name: string) => {
  const found = awsCatalog("us-east-1").instanceTypes.find((t) => t.name === name);
  assert.ok(found, name);
  return found;
};
const mebi = 1024 * 1024;

describe("an instance type as a node of its EC2NodeClass (Karpenter's per-class capacity and allocatable)", () => {
  it("no kubelet block, the default 20Gi root volume: the built-in catalog's figures", () => {
    const m5 = type("m5.large");
    const node = forNodeClass(m5, nodeClass());
    assert.deepEqual(node.capacity, m5.capacity);
    assert.deepEqual(node.allocatable, m5.allocatable);
  });
  it("kubelet.maxPods 20: 20 pods; kube-reserved memory still counts the ENI limit, as Karpenter's does", () => {
    const m5 = type("m5.large");
    const node = forNodeClass(m5, nodeClass({ kubelet: { maxPods: 20 } }));
    assert.equal(node.capacity.pods, 20);
    assert.equal(node.allocatable.memory, m5.allocatable.memory);
  });
  it("kubeReserved cpu given: it replaces the computed reservation", () => {
    const node = forNodeClass(
      type("m5.large"),
      nodeClass({ kubelet: { kubeReserved: { cpu: "500m" } } }),
    );
    assert.equal(node.overhead.cpu, 500);
    assert.equal(node.allocatable.cpu, 1500);
  });
  it("a 100Gi root volume: ephemeral-storage capacity follows it", () => {
    const node = forNodeClass(
      type("m5.large"),
      nodeClass({
        blockDeviceMappings: [
          {
            deviceName: "/dev/xvda",
            rootVolume: true,
            ebs: { volumeSize: "100Gi", volumeType: "gp3" },
          },
        ],
      }),
    );
    assert.equal(node.capacity["ephemeral-storage"], 100 * 1024 * mebi);
  });
});
