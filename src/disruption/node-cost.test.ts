import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bound, disruptOf, managed, pool, summary } from "./fixtures.test-helpers.ts";

const ec2Ref = { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" };
const nodeClass = (associatePublicIPAddress: boolean) => ({
  apiVersion: "karpenter.k8s.aws/v1",
  kind: "EC2NodeClass",
  metadata: { name: "default" },
  spec: {
    amiSelectorTerms: [{ alias: "al2023@latest" }],
    role: "KarpenterNodeRole",
    associatePublicIPAddress,
    subnetSelectorTerms: [{ tags: { "karpenter.sh/discovery": "demo" } }],
    securityGroupSelectorTerms: [{ tags: { "karpenter.sh/discovery": "demo" } }],
  },
});

/** A full t4g.micro of the built-in catalog: 1930m and 4 pods allocatable, 4 pods of 100m and 64Mi (too much memory for a t4g.nano) on it. */
function fullMicro(name: string, nodeClassRef: typeof ec2Ref): object[] {
  const [node, claim] = managed(name, "t4g.micro", {
    zone: "us-east-1a",
    nodeClassRef,
    labels: { "kubernetes.io/arch": "arm64", "karpenter.k8s.aws/instance-family": "t4g" },
  }) as [{ status: Record<string, unknown> }, object];
  const allocatable = { cpu: "1930m", memory: "548Mi", pods: "4" };
  node.status = { ...node.status, allocatable, capacity: allocatable };
  const pods = [0, 1, 2, 3].map((i) => {
    const pod = bound(`${name}-p${i}`, name, "100m");
    const container = pod.spec.containers[0];
    if (container) container.resources = { requests: { cpu: "100m", memory: "64Mi" } };
    return pod;
  });
  return [node, claim, ...pods];
}

const t4gPool = (nodeClassRef: typeof ec2Ref) =>
  pool(
    "default",
    {},
    {
      nodeClassRef,
      requirements: [{ key: "karpenter.k8s.aws/instance-family", operator: "In", values: ["t4g"] }],
    },
  );
const k3sRef = { group: "carpool.dev", kind: "K3sNodeClass", name: "default" };
const micros = (ref: typeof ec2Ref) => ["m1", "m2"].flatMap((name) => fullMicro(name, ref));
const root = (20 * 0.08) / 730;

// Karpenter's consolidation replaces nodes only with a strictly cheaper one; carpool compares
// what the nodes cost, their volumes and public IPv4 addresses included.
describe("consolidation compares whole node prices", () => {
  it("two full t4g.micro of a K3sNodeClass (instances only): a t4g.small is not cheaper, they stay", () => {
    // 2 × $0.0084 = $0.0168, the price of one t4g.small: not strictly cheaper.
    const plan = disruptOf([t4gPool(k3sRef), ...micros(k3sRef)]);
    assert.deepEqual(summary(plan), []);
  });
  it("the same two of an EC2NodeClass: one t4g.small saves a 20Gi gp3 root", () => {
    const plan = disruptOf([t4gPool(ec2Ref), nodeClass(false), ...micros(ec2Ref)]);
    assert.deepEqual(summary(plan), ["Underutilized replace m1,m2 → t4g.small"]);
    const command = plan.commands[0];
    assert.ok(Math.abs((command?.savings ?? 0) - root) < 2e-6, `${command?.savings}`);
    assert.equal(command?.replacements[0]?.price, 0.0168);
    assert.ok(Math.abs((command?.replacements[0]?.totalPrice ?? 0) - (0.0168 + root)) < 1e-12);
  });
  it("with public IPv4 addresses, a root and an address are saved", () => {
    const plan = disruptOf([t4gPool(ec2Ref), nodeClass(true), ...micros(ec2Ref)]);
    assert.deepEqual(summary(plan), ["Underutilized replace m1,m2 → t4g.small"]);
    assert.ok(Math.abs((plan.commands[0]?.savings ?? 0) - (root + 0.005)) < 2e-6);
  });
});
