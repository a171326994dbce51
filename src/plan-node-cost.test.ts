import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { awsCatalog } from "./catalog/aws-catalog.ts";
import { plan } from "./plan.ts";

const pool = (nodeClassRef: { group: string; kind: string; name: string }) => ({
  apiVersion: "karpenter.sh/v1",
  kind: "NodePool",
  metadata: { name: "default" },
  spec: { template: { spec: { nodeClassRef, requirements: [] } } },
});
const ec2Ref = { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" };
const nodeClass = (spec: Record<string, unknown>) => ({
  apiVersion: "karpenter.k8s.aws/v1",
  kind: "EC2NodeClass",
  metadata: { name: "default" },
  spec: {
    amiSelectorTerms: [{ alias: "al2023@latest" }],
    role: "KarpenterNodeRole",
    subnetSelectorTerms: [{ tags: { "karpenter.sh/discovery": "demo" } }],
    securityGroupSelectorTerms: [{ tags: { "karpenter.sh/discovery": "demo" } }],
    ...spec,
  },
});
const web = (replicas: number) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web" },
  spec: {
    replicas,
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: {
        containers: [{ name: "web", image: "nginx", resources: { requests: { cpu: "100m" } } }],
      },
    },
  },
});

const root20GiPerHour = (20 * 0.08) / 730;
const nano = awsCatalog().instanceTypes.find((t) => t.name === "t4g.nano");
const nanoPrice = nano?.offerings[0]?.price ?? Number.NaN;

describe("plan: a node costs its instance plus its volumes and public IPv4 address", () => {
  it("every claim of an AL2023 EC2NodeClass pays a 20Gi gp3 root (Karpenter's default mapping)", () => {
    const result = plan([pool(ec2Ref), nodeClass({}), web(3)]);
    for (const claim of result.nodeClaims) {
      assert.equal(claim.priceParts.instance, claim.price);
      assert.ok(Math.abs(claim.priceParts.volumes - root20GiPerHour) < 1e-12);
      assert.equal(claim.priceParts.publicIPv4, 0);
      assert.equal(claim.totalPrice, claim.price + claim.priceParts.volumes);
    }
  });

  // The example: 1 000 pods of 100m on t4g.nano (4 pods each, their ENI limit) cost as
  // much again in root volumes and addresses as in instances.
  it("1 000 pods of 100m with public IPv4 addresses: fewer, larger nodes, cheaper in total than 250 t4g.nano", () => {
    const result = plan([pool(ec2Ref), nodeClass({ associatePublicIPAddress: true }), web(1000)]);
    const allNanoTotal = 250 * (nanoPrice + root20GiPerHour + 0.005);
    assert.equal(result.summary.onNewNodes, 1000);
    assert.ok(result.nodeClaims.length < 250, `${result.nodeClaims.length} nodes`);
    assert.ok(result.nodeClaims.every((c) => c.instanceType !== "t4g.nano"));
    assert.ok(
      result.summary.hourlyTotalCost < allNanoTotal,
      `${result.summary.hourlyTotalCost} ≥ ${allNanoTotal}`,
    );
    for (const claim of result.nodeClaims) assert.equal(claim.priceParts.publicIPv4, 0.005);
  });

  it("1 000 pods of 100m with 50Gi roots: also cheaper in total than 250 t4g.nano", () => {
    const mappings = [{ deviceName: "/dev/xvda", ebs: { volumeSize: "50Gi", volumeType: "gp3" } }];
    const result = plan([pool(ec2Ref), nodeClass({ blockDeviceMappings: mappings }), web(1000)]);
    const allNanoTotal = 250 * (nanoPrice + (50 * 0.08) / 730);
    assert.ok(result.summary.hourlyTotalCost < allNanoTotal);
    assert.ok(result.nodeClaims.length < 250);
  });

  it("with the default 20Gi root and no address, t4g.nano stays the cheapest in total", () => {
    // (0.0042 + 0.00219) / 4 pods beats every larger type's total per pod: nothing to change.
    const result = plan([pool(ec2Ref), nodeClass({}), web(1000)]);
    assert.equal(result.nodeClaims.length, 250);
    // The summary sums each claim's price rounded to micro-dollars.
    const exact = 250 * (nanoPrice + root20GiPerHour);
    assert.ok(Math.abs(result.summary.hourlyTotalCost - exact) <= 250 * 0.5e-6);
  });

  it("a pool of another node class kind has no extras (its catalog's price is whole)", () => {
    const result = plan([
      pool({ group: "karpenter.kwok.sh", kind: "KWOKNodeClass", name: "k" }),
      web(3),
    ]);
    for (const claim of result.nodeClaims) {
      assert.deepEqual(claim.priceParts, { instance: claim.price, volumes: 0, publicIPv4: 0 });
      assert.equal(claim.totalPrice, claim.price);
    }
    assert.equal(result.summary.hourlyTotalCost, result.summary.hourlyCost);
  });

  it("a user catalog's prices are whole even for an EC2NodeClass pool", () => {
    const box = {
      apiVersion: "carpool.dev/v1alpha1",
      kind: "InstanceType",
      metadata: { name: "box" },
      spec: {
        capacity: { cpu: "4", memory: "8Gi", pods: "110" },
        offerings: [{ zone: "a", capacityType: "on-demand", price: 0.05 }],
      },
    };
    const result = plan([pool(ec2Ref), nodeClass({ associatePublicIPAddress: true }), box, web(3)]);
    assert.equal(result.summary.hourlyTotalCost, 0.05);
  });
});
