import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { formatResources } from "../resources/resource-list.ts";
import { awsCatalog } from "./aws-catalog.ts";
import {
  buildAwsCatalogData,
  type SharedInstanceType,
  withLivePrices,
} from "./aws-catalog-data.ts";
import { kubeReservedCpu, kubeReservedMemory, vmMemoryOverhead } from "./aws-overhead.ts";
import { filterCatalog, parseSelector } from "./filter.ts";
import { catalogFromInstanceTypes } from "./user-catalog.ts";

const mebi = 1024 * 1024;

// Rows cite karpenter-provider-aws pkg/providers/instancetype/types.go (kubeReservedResources).
describe("EKS / Karpenter overhead formulas", () => {
  const cpuRows: [string, number, number][] = [
    ["1 core: 6% of the first", 1000, 60],
    ["2 cores: + 1% of the second (the contract's m5.large: 70m)", 2000, 70],
    ["4 cores: + 0.5% of the third and fourth", 4000, 80],
    ["96 cores: + 0.25% of every core above four", 96000, 310],
  ];
  for (const [rule, cpu, reserved] of cpuRows) {
    it(`kube-reserved cpu, ${rule}`, () => assert.equal(kubeReservedCpu(cpu), reserved));
  }
  it("kube-reserved memory is 11Mi per pod + 255Mi (m5.large, 29 pods: 574Mi)", () => {
    assert.equal(kubeReservedMemory(29), 574 * mebi);
  });
  it("VM memory overhead is 7.5%, rounded up to whole MiB (VM_MEMORY_OVERHEAD_PERCENT)", () => {
    assert.equal(vmMemoryOverhead(8192), 615 * mebi);
  });
});

describe("built-in AWS catalog", () => {
  const catalog = awsCatalog("us-east-1");
  const m5large = catalog.instanceTypes.find((t) => t.name === "m5.large");
  it("m5.large: 2 cpu, 8GiB less VM overhead, 29 pods, $0.096 on demand (shared/data)", () => {
    assert.ok(m5large);
    assert.deepEqual(formatResources(m5large.capacity), {
      cpu: "2",
      "ephemeral-storage": "20Gi",
      memory: "7577Mi",
      pods: "29",
    });
    assert.deepEqual(formatResources(m5large.overhead), {
      cpu: "70m",
      "ephemeral-storage": "3Gi",
      memory: "674Mi",
    });
    assert.equal(m5large.offerings.find((o) => o.capacityType === "on-demand")?.price, 0.096);
  });
  it("GPU types advertise their GPUs as an extended resource and carry the GPU labels", () => {
    const g5 = catalog.instanceTypes.find((t) => t.name === "g5.xlarge");
    assert.equal(g5?.capacity["nvidia.com/gpu"], 1);
    assert.equal(g5?.labels["karpenter.k8s.aws/instance-gpu-name"], "a10g");
    const p4d = catalog.instanceTypes.find((t) => t.name === "p4d.24xlarge");
    assert.equal(p4d?.capacity["nvidia.com/gpu"], 8);
  });
  it("every type carries its region, os and instance-type labels", () => {
    assert.equal(m5large?.labels["topology.kubernetes.io/region"], "us-east-1");
    assert.equal(m5large?.labels["kubernetes.io/os"], "linux");
    assert.equal(m5large?.labels["node.kubernetes.io/instance-type"], "m5.large");
  });
  it("an unknown region is a clear error naming the known ones", () => {
    assert.throws(() => awsCatalog("mars-north-1"), /no region mars-north-1; it has us-east-1/);
  });
  const shared = new URL("../../../shared/data/", import.meta.url);
  const sharedReason = existsSync(shared) ? false : "../shared/data is not beside this checkout";
  it("the checked-in data is what npm run catalog:aws produces", { skip: sharedReason }, () => {
    const types = JSON.parse(readFileSync(new URL("aws-instance-types.json", shared), "utf8")) as {
      instanceTypes: SharedInstanceType[];
    };
    const labels = JSON.parse(
      readFileSync(new URL("aws-instance-labels.json", shared), "utf8"),
    ) as { labels: Record<string, Record<string, string>> };
    const generated = buildAwsCatalogData(types.instanceTypes, labels.labels);
    const checkedIn = JSON.parse(
      readFileSync(new URL("./data/aws.generated.json", import.meta.url), "utf8"),
    );
    assert.deepEqual(checkedIn, JSON.parse(JSON.stringify(generated)));
  });
  it("label selectors filter the catalog (carpool catalog -l)", () => {
    const selector = parseSelector(
      "karpenter.k8s.aws/instance-family in (m5, c5),karpenter.k8s.aws/instance-size=large",
    );
    assert.ok(selector.ok);
    assert.deepEqual(
      filterCatalog(catalog, selector.requirements).instanceTypes.map((t) => t.name),
      ["c5.large", "m5.large"],
    );
  });
});

describe("user catalogs from carpool.dev/v1alpha1 InstanceType objects", () => {
  const object = (name: string, capacity: Record<string, string>) => ({
    apiVersion: "carpool.dev/v1alpha1" as const,
    kind: "InstanceType" as const,
    metadata: { name },
    spec: {
      capacity,
      overhead: { cpu: "100m" },
      offerings: [
        { zone: "b", capacityType: "on-demand", price: 2 },
        { zone: "a", capacityType: "on-demand", price: 1, available: false },
      ],
    },
  });
  it("allocatable is capacity − overhead; offerings sorted by price; names and os labelled", () => {
    const { catalog, errors } = catalogFromInstanceTypes([
      object("box", { cpu: "2", memory: "1Gi" }),
    ]);
    assert.deepEqual(errors, []);
    const [box] = catalog.instanceTypes;
    assert.equal(box?.allocatable.cpu, 1900);
    assert.deepEqual(
      box?.offerings.map((o) => [o.zone, o.available]),
      [
        ["a", false],
        ["b", true],
      ],
    );
    assert.deepEqual(box?.labels, {
      "kubernetes.io/os": "linux",
      "node.kubernetes.io/instance-type": "box",
    });
  });
  it("a bad quantity is an error naming the type and field; the others are kept", () => {
    const { catalog, errors } = catalogFromInstanceTypes([
      object("bad", { cpu: "two" }),
      object("good", { cpu: "2" }),
    ]);
    assert.deepEqual(
      errors.map((e) => `${e.instanceType}: ${e.path}`),
      ["bad: spec.capacity.cpu"],
    );
    assert.deepEqual(
      catalog.instanceTypes.map((t) => t.name),
      ["good"],
    );
  });
});

describe("live AWS prices merged into the catalog data", () => {
  it("replace on-demand prices, record spot per zone, and take the zones spot prices name", () => {
    const row = {
      name: "m5.large",
      vcpu: 2,
      memoryMiB: 8192,
      maxPods: 29,
      labels: {},
      onDemandPrice: { "us-east-1": 0.096 },
    };
    const data = {
      _generated: "",
      sources: {},
      zones: { "us-east-1": ["us-east-1a"] },
      instanceTypes: [row],
    };
    const merged = withLivePrices(data, {
      region: "eu-west-1",
      onDemand: new Map([["m5.large", 0.5]]),
      spot: new Map([
        [
          "m5.large",
          new Map([
            ["eu-west-1b", 0.2],
            ["eu-west-1a", 0.1],
          ]),
        ],
      ]),
    });
    assert.deepEqual(merged.zones["eu-west-1"], ["eu-west-1a", "eu-west-1b"]);
    assert.deepEqual(merged.instanceTypes[0]?.onDemandPrice, {
      "us-east-1": 0.096,
      "eu-west-1": 0.5,
    });
    assert.deepEqual(merged.instanceTypes[0]?.spotPrice, {
      "eu-west-1": { "eu-west-1a": 0.1, "eu-west-1b": 0.2 },
    });
  });
});
