import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EC2NodeClassSpec } from "../api/ec2nodeclass.ts";
import { AMIFamilies } from "../api/ec2nodeclass-cel.ts";
import { resolvedBlockDeviceMappings } from "../api/ec2nodeclass-defaults.ts";
import { nodeCostModelOf } from "./ec2-node-cost.ts";
import { type NodeCostModel, type NodeVolume, nodeExtrasPerHour } from "./node-cost.ts";

const perHour = (monthly: number) => monthly / 730;
const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} ≠ ${expected}`);

// Rows cite the Amazon EBS pricing page (us-east-1) and the Amazon VPC pricing page (public IPv4).
describe("node extras per hour (AWS list prices, 730 hours a month)", () => {
  const rows: [string, NodeVolume, number][] = [
    ["gp3: $0.08 per GB-month", { volumeType: "gp3", sizeGiB: 20 }, 20 * 0.08],
    [
      "gp3: 3,000 IOPS and 125 MiB/s are included",
      { volumeType: "gp3", sizeGiB: 20, iops: 3000, throughputMiBps: 125 },
      20 * 0.08,
    ],
    [
      "gp3: $0.005 per IOPS-month above 3,000",
      { volumeType: "gp3", sizeGiB: 100, iops: 6000 },
      100 * 0.08 + 3000 * 0.005,
    ],
    [
      "gp3: $0.04 per MiB/s-month above 125",
      { volumeType: "gp3", sizeGiB: 100, throughputMiBps: 250 },
      100 * 0.08 + 125 * 0.04,
    ],
    ["gp2: $0.10 per GB-month, IOPS not billed", { volumeType: "gp2", sizeGiB: 50, iops: 150 }, 5],
    [
      "io1: $0.125 per GB-month + $0.065 per provisioned IOPS-month",
      { volumeType: "io1", sizeGiB: 100, iops: 1000 },
      12.5 + 65,
    ],
    [
      "io2: every IOPS at the first tier's $0.065 (an upper bound above 32,000)",
      { volumeType: "io2", sizeGiB: 100, iops: 40000 },
      12.5 + 40000 * 0.065,
    ],
    ["st1: $0.045 per GB-month", { volumeType: "st1", sizeGiB: 500 }, 22.5],
    ["sc1: $0.015 per GB-month", { volumeType: "sc1", sizeGiB: 500 }, 7.5],
    ["standard (magnetic): $0.05 per GB-month", { volumeType: "standard", sizeGiB: 10 }, 0.5],
  ];
  for (const [rule, volume, monthly] of rows) {
    it(rule, () => {
      const extras = nodeExtrasPerHour({ volumes: [volume], publicIPv4: false }, "us-east-1");
      close(extras.volumes, perHour(monthly));
      assert.equal(extras.publicIPv4, 0);
      close(extras.total, perHour(monthly));
    });
  }
  it("a public IPv4 address: $0.005 per hour, added to the volumes", () => {
    const model: NodeCostModel = {
      volumes: [{ volumeType: "gp3", sizeGiB: 20 }],
      publicIPv4: true,
    };
    const extras = nodeExtrasPerHour(model, "us-east-1");
    assert.equal(extras.publicIPv4, 0.005);
    close(extras.total, perHour(1.6) + 0.005);
  });
  it("several volumes add up; none and no address cost nothing", () => {
    const two = nodeExtrasPerHour(
      {
        volumes: [
          { volumeType: "gp3", sizeGiB: 4 },
          { volumeType: "gp3", sizeGiB: 20 },
        ],
        publicIPv4: false,
      },
      "us-east-1",
    );
    close(two.volumes, perHour(24 * 0.08));
    assert.deepEqual(nodeExtrasPerHour({ volumes: [], publicIPv4: false }, "us-east-1"), {
      volumes: 0,
      publicIPv4: 0,
      total: 0,
    });
  });
  it("a region without its own figures is priced as us-east-1", () => {
    const model: NodeCostModel = {
      volumes: [{ volumeType: "gp3", sizeGiB: 20 }],
      publicIPv4: true,
    };
    assert.deepEqual(nodeExtrasPerHour(model, "eu-west-1"), nodeExtrasPerHour(model, "us-east-1"));
  });
});

// Rows cite Karpenter v1's EC2NodeClass docs: spec.blockDeviceMappings, its per-AMI-family
// defaults, and spec.associatePublicIPAddress.
describe("an EC2NodeClass's cost model", () => {
  const selectors = [{ tags: { "karpenter.sh/discovery": "demo" } }];
  /** A valid spec: the required selectors, AL2023 by alias unless the row says otherwise. */
  const specOf = (fields: Partial<EC2NodeClassSpec>): EC2NodeClassSpec => ({
    subnetSelectorTerms: selectors,
    securityGroupSelectorTerms: selectors,
    amiSelectorTerms: [{ alias: "al2023@latest" }],
    ...fields,
  });
  const root20: NodeCostModel = {
    volumes: [{ volumeType: "gp3", sizeGiB: 20 }],
    publicIPv4: false,
  };
  const rows: [string, Partial<EC2NodeClassSpec> | undefined, boolean, NodeCostModel][] = [
    ["AL2023 (by alias) without blockDeviceMappings: one 20Gi gp3 root", {}, false, root20],
    [
      "AL2 by amiFamily: one 20Gi gp3 root",
      { amiFamily: "AL2", amiSelectorTerms: [{ id: "ami-0123" }] },
      false,
      root20,
    ],
    [
      "Bottlerocket: a 4Gi gp3 OS volume and a 20Gi gp3 data volume",
      { amiSelectorTerms: [{ alias: "bottlerocket@latest" }] },
      false,
      {
        volumes: [
          { volumeType: "gp3", sizeGiB: 4 },
          { volumeType: "gp3", sizeGiB: 20 },
        ],
        publicIPv4: false,
      },
    ],
    [
      "Windows: one 50Gi gp3 root",
      { amiSelectorTerms: [{ alias: "windows2022@latest" }] },
      false,
      { volumes: [{ volumeType: "gp3", sizeGiB: 50 }], publicIPv4: false },
    ],
    [
      "Windows2019 by amiFamily: one 50Gi gp3 root",
      { amiFamily: "Windows2019", amiSelectorTerms: [{ id: "ami-0123" }] },
      false,
      { volumes: [{ volumeType: "gp3", sizeGiB: 50 }], publicIPv4: false },
    ],
    [
      "Custom: the AMI's own mappings, unknown offline, count as none",
      { amiFamily: "Custom", amiSelectorTerms: [{ id: "ami-0123" }] },
      false,
      { volumes: [], publicIPv4: false },
    ],
    [
      "blockDeviceMappings replace the defaults: size as a quantity, type, iops, throughput",
      {
        blockDeviceMappings: [
          {
            deviceName: "/dev/xvda",
            ebs: { volumeSize: "100Gi", volumeType: "gp3", iops: 6000, throughput: 250 },
          },
          { deviceName: "/dev/xvdb", ebs: { volumeSize: "500Gi", volumeType: "st1" } },
        ],
      },
      false,
      {
        volumes: [
          { volumeType: "gp3", sizeGiB: 100, iops: 6000, throughputMiBps: 250 },
          { volumeType: "st1", sizeGiB: 500 },
        ],
        publicIPv4: false,
      },
    ],
    [
      "a decimal size is rounded up to whole GiB (EBS bills GiB): 50G is 47 GiB",
      { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: "50G" } }] },
      false,
      { volumes: [{ volumeType: "gp3", sizeGiB: 47 }], publicIPv4: false },
    ],
    [
      "a volume from a snapshot without a size: the snapshot's, unknown offline, counted as 20 GiB",
      { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { snapshotID: "snap-0123" } }] },
      false,
      root20,
    ],
    [
      "a mapping without ebs (an instance-store or suppressed device) costs nothing",
      {
        blockDeviceMappings: [
          { deviceName: "/dev/xvda", ebs: { volumeSize: "20Gi" } },
          { deviceName: "/dev/xvdc" },
        ],
      },
      false,
      root20,
    ],
    [
      "associatePublicIPAddress: true gets an address whatever the subnet says",
      { associatePublicIPAddress: true },
      false,
      { ...root20, publicIPv4: true },
    ],
    [
      "associatePublicIPAddress: false gets none, even in a subnet that maps public IPs",
      { associatePublicIPAddress: false },
      true,
      root20,
    ],
    [
      "unset, the subnet's MapPublicIpOnLaunch decides (as the provider reports it)",
      {},
      true,
      { ...root20, publicIPv4: true },
    ],
    ["no spec at all: Karpenter's AL2023 defaults, no address", undefined, false, root20],
  ];
  for (const [rule, fields, subnetAssigns, model] of rows) {
    it(rule, () =>
      assert.deepEqual(
        nodeCostModelOf(fields === undefined ? {} : { spec: specOf(fields) }, subnetAssigns),
        model,
      ),
    );
  }
  // One source for Karpenter's per-family devices: the launch path's resolvedBlockDeviceMappings.
  it("without blockDeviceMappings, every AMI family is priced from the devices it launches with", () => {
    for (const amiFamily of AMIFamilies) {
      const spec = specOf({ amiFamily, amiSelectorTerms: [{ id: "ami-0123" }] });
      const sizes = resolvedBlockDeviceMappings(spec).map((m) => m.ebs?.volumeSize);
      const priced = nodeCostModelOf({ spec }).volumes.map((v) => `${v.sizeGiB}Gi`);
      assert.deepEqual(priced, sizes, amiFamily);
    }
  });
});
