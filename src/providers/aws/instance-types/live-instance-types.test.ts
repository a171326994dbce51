import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EC2NodeClass } from "../../../api/nodeclass.ts";
import { awsCatalog } from "../../../catalog/aws-catalog.ts";
import { awsError, ScriptedClient, TestClock } from "../nodeclass/scripted-client.test-helpers.ts";
import { LiveInstanceTypes } from "./live-instance-types.ts";

const shape = (name: string, arch: "x86_64" | "arm64", vcpu: number, memoryMiB: number) => ({
  InstanceType: name,
  VCpuInfo: { DefaultVCpus: vcpu },
  MemoryInfo: { SizeInMiB: memoryMiB },
  NetworkInfo: { MaximumNetworkInterfaces: 3, Ipv4AddressesPerInterface: 10 },
  ProcessorInfo: { SupportedArchitectures: [arch] },
  Hypervisor: "nitro",
  BareMetal: false,
});
const price = (instanceType: string, usd: string) =>
  JSON.stringify({
    product: { attributes: { instanceType } },
    terms: { OnDemand: { t: { priceDimensions: { d: { pricePerUnit: { USD: usd } } } } } },
  });

function aws() {
  const ec2 = new ScriptedClient({
    DescribeInstanceTypesCommand: () => ({
      InstanceTypes: [shape("m5.large", "x86_64", 2, 8192), shape("m6g.large", "arm64", 2, 8192)],
    }),
    DescribeInstanceTypeOfferingsCommand: () => ({
      InstanceTypeOfferings: [
        { InstanceType: "m5.large", Location: "us-east-1a" },
        { InstanceType: "m5.large", Location: "us-east-1b" },
        { InstanceType: "m5.large", Location: "us-east-1c" },
        { InstanceType: "m6g.large", Location: "us-east-1a" },
      ],
    }),
    DescribeSpotPriceHistoryCommand: () => ({
      SpotPriceHistory: [
        {
          InstanceType: "m5.large",
          AvailabilityZone: "us-east-1a",
          SpotPrice: "0.03",
          Timestamp: new Date(),
        },
        {
          InstanceType: "m6g.large",
          AvailabilityZone: "us-east-1a",
          SpotPrice: "0.02",
          Timestamp: new Date(),
        },
      ],
    }),
  });
  const pricing = new ScriptedClient({
    GetProductsCommand: () => ({
      PriceList: [price("m5.large", "0.1"), price("m6g.large", "0.08")],
    }),
  });
  return { ec2, pricing };
}

const nodeClass = (zones: string[]): EC2NodeClass => ({
  apiVersion: "karpenter.k8s.aws/v1",
  kind: "EC2NodeClass",
  metadata: { name: "default" },
  status: { subnets: zones.map((zone, i) => ({ id: `subnet-${i}`, zone })) },
});

function source(clients = aws(), clock = new TestClock()) {
  const warnings: string[] = [];
  const live = new LiveInstanceTypes({
    ...clients,
    clock,
    region: "us-east-1",
    log: { info: () => {}, warn: (_f, m) => warnings.push(m) },
  });
  return { live, warnings, clock, ...clients };
}

const offerings = (
  types: readonly {
    name: string;
    offerings: readonly { zone: string; capacityType: string; price: number }[];
  }[],
) =>
  Object.fromEntries(
    types.map((t) => [t.name, t.offerings.map((o) => `${o.zone} ${o.capacityType} ${o.price}`)]),
  );

describe("live instance types (Karpenter's instancetype and pricing providers)", () => {
  it("offers each type only in zones it is sold in and the class's subnets reach; spot where it is priced", async () => {
    const { live } = source();
    const types = await live.instanceTypesFor(nodeClass(["us-east-1a", "us-east-1b"]));
    assert.deepEqual(offerings(types), {
      "m5.large": ["us-east-1a spot 0.03", "us-east-1a on-demand 0.1", "us-east-1b on-demand 0.1"],
      "m6g.large": ["us-east-1a spot 0.02", "us-east-1a on-demand 0.08"],
    });
    const m6g = types.find((t) => t.name === "m6g.large");
    assert.equal(m6g?.labels["kubernetes.io/arch"], "arm64");
    assert.equal(m6g?.labels["karpenter.k8s.aws/instance-family"], "m6g");
    assert.equal(m6g?.labels["karpenter.k8s.aws/instance-generation"], "6");
  });
  it("has the built-in catalog's capacity and allocatable for the same type (one construction)", async () => {
    const { live } = source();
    const m5 = (await live.instanceTypesFor(nodeClass(["us-east-1a"]))).find(
      (t) => t.name === "m5.large",
    );
    const builtIn = awsCatalog("us-east-1").instanceTypes.find((t) => t.name === "m5.large");
    assert.deepEqual(m5?.capacity, builtIn?.capacity);
    assert.deepEqual(m5?.allocatable, builtIn?.allocatable);
  });
  it("no resolved subnets: no instance types", async () => {
    assert.deepEqual(await source().live.instanceTypesFor(nodeClass([])), []);
  });

  const fallbacks: {
    name: string;
    break: (c: ReturnType<typeof aws>) => void;
    check: (o: Record<string, string[]>) => void;
    call: string;
  }[] = [
    {
      name: "Pricing GetProducts fails (moto lacks it): on-demand prices from the built-in catalog",
      call: "Pricing GetProducts",
      break: (c) => {
        c.pricing.handlers.GetProductsCommand = () => {
          throw awsError("InternalFailure", "not implemented", 500);
        };
      },
      check: (o) => {
        const builtIn = awsCatalog("us-east-1").instanceTypes.find((t) => t.name === "m5.large");
        const od = builtIn?.offerings.find((x) => x.capacityType === "on-demand")?.price;
        assert.ok(o["m5.large"]?.includes(`us-east-1a on-demand ${od}`));
      },
    },
    {
      name: "DescribeSpotPriceHistory fails: spot in every zone at the on-demand price (an upper bound)",
      call: "DescribeSpotPriceHistory",
      break: (c) => {
        c.ec2.handlers.DescribeSpotPriceHistoryCommand = () => {
          throw awsError("UnauthorizedOperation", "no", 403);
        };
      },
      check: (o) =>
        assert.deepEqual(o["m6g.large"], ["us-east-1a on-demand 0.08", "us-east-1a spot 0.08"]),
    },
    {
      name: "DescribeInstanceTypes fails: the built-in catalog's types, still only where sold",
      call: "DescribeInstanceTypes",
      break: (c) => {
        c.ec2.handlers.DescribeInstanceTypesCommand = () => {
          throw awsError("RequestLimitExceeded", "slow down", 503);
        };
      },
      check: (o) => {
        assert.deepEqual(
          Object.keys(o).sort(),
          ["m5.large", "m6g.large"],
          "the built-in types sold here",
        );
        assert.deepEqual(o["m6g.large"], ["us-east-1a spot 0.02", "us-east-1a on-demand 0.08"]);
        assert.equal(o["c5.large"], undefined, "not sold per DescribeInstanceTypeOfferings");
      },
    },
    {
      name: "DescribeInstanceTypeOfferings fails: every subnet zone",
      call: "DescribeInstanceTypeOfferings",
      break: (c) => {
        c.ec2.handlers.DescribeInstanceTypeOfferingsCommand = () => {
          throw awsError("UnauthorizedOperation", "no", 403);
        };
      },
      check: (o) =>
        assert.deepEqual(o["m6g.large"], [
          "us-east-1a spot 0.02",
          "us-east-1a on-demand 0.08",
          "us-east-1b on-demand 0.08",
        ]),
    },
  ];
  for (const f of fallbacks)
    it(f.name, async () => {
      const clients = aws();
      f.break(clients);
      const { live, warnings } = source(clients);
      f.check(offerings(await live.instanceTypesFor(nodeClass(["us-east-1a", "us-east-1b"]))));
      assert.ok(
        warnings.some((w) => w.startsWith(f.call)),
        `the log names ${f.call}`,
      );
    });

  it("a region the built-in catalog does not price, with Pricing failing: us-east-1's list prices stand in, and the log says so", async () => {
    const clients = aws();
    clients.pricing.handlers.GetProductsCommand = () => {
      throw awsError("AccessDeniedException", "not allowed", 400);
    };
    const warnings: string[] = [];
    const live = new LiveInstanceTypes({
      ...clients,
      clock: new TestClock(),
      region: "us-west-2",
      log: { info: () => {}, warn: (_f, m) => warnings.push(m) },
    });
    const types = await live.instanceTypesFor(nodeClass(["us-east-1a"]));
    const m5 = types.find((t) => t.name === "m5.large");
    const builtIn = awsCatalog("us-east-1").instanceTypes.find((t) => t.name === "m5.large");
    assert.equal(
      m5?.offerings.find((o) => o.capacityType === "on-demand")?.price,
      builtIn?.offerings.find((o) => o.capacityType === "on-demand")?.price,
    );
    assert.equal(m5?.labels["topology.kubernetes.io/region"], "us-west-2");
    assert.ok(warnings.some((w) => w.includes("us-east-1's stand in")));
  });

  it("shapes and zones are kept 5 minutes, prices 12 hours (pkg/cache/cache.go; the pricing controller's period)", async () => {
    const { live, clock, ec2, pricing } = source();
    const nc = nodeClass(["us-east-1a"]);
    await live.instanceTypesFor(nc);
    clock.advance(4 * 60_000);
    await live.instanceTypesFor(nc);
    assert.equal(ec2.count("DescribeInstanceTypesCommand"), 1);
    clock.advance(2 * 60_000);
    await live.instanceTypesFor(nc);
    assert.equal(ec2.count("DescribeInstanceTypesCommand"), 2);
    assert.equal(pricing.count("GetProductsCommand"), 1);
    clock.advance(12 * 60 * 60_000);
    await live.instanceTypesFor(nc);
    assert.equal(pricing.count("GetProductsCommand"), 2);
  });
});

describe("zone IDs and reserved offerings (offering/provider.go, reserved_capacity_resolver.go)", () => {
  const reservation = (over: Record<string, unknown>) => ({
    availabilityZone: "us-east-1a",
    id: "cr-1",
    instanceMatchCriteria: "targeted" as const,
    instanceType: "m5.large",
    ownerID: "111122223333",
    reservationType: "default" as const,
    state: "active" as const,
    ...over,
  });
  const withReservations = (reservations: object[]): EC2NodeClass => ({
    apiVersion: "karpenter.k8s.aws/v1",
    kind: "EC2NodeClass",
    metadata: { name: "default" },
    status: {
      subnets: [
        { id: "subnet-a", zone: "us-east-1a", zoneID: "use1-az1" },
        { id: "subnet-b", zone: "us-east-1b", zoneID: "use1-az2" },
      ],
      capacityReservations: reservations as never,
    },
  });
  const counts = (available: Record<string, number>, interruptible: string[] = []) => ({
    availableCount: (id: string) => available[id] ?? 0,
    interruptible: (id: string) => interruptible.includes(id),
  });
  const live = (c: ReturnType<typeof counts>) =>
    new LiveInstanceTypes({
      ...aws(),
      clock: new TestClock(),
      region: "us-east-1",
      reservations: c,
    });

  it("every offering carries its zone's ID from status.subnets (topology.k8s.aws/zone-id)", async () => {
    const types = await live(counts({})).instanceTypesFor(withReservations([]));
    const m5 = types.find((t) => t.name === "m5.large");
    assert.deepEqual(
      m5?.offerings.map(
        (o) => `${o.zone} ${o.capacityType} ${o.labels?.["topology.k8s.aws/zone-id"]}`,
      ),
      [
        "us-east-1a spot use1-az1",
        "us-east-1a on-demand use1-az1",
        "us-east-1b on-demand use1-az2",
      ],
    );
  });

  it("a reservation of the type is a reserved offering: on-demand price / 10,000,000, the cheapest; its labels and remaining count", async () => {
    const types = await live(counts({ "cr-1": 3 }, ["cr-1"])).instanceTypesFor(
      withReservations([reservation({})]),
    );
    const m5 = types.find((t) => t.name === "m5.large");
    const [first] = m5?.offerings ?? [];
    assert.deepEqual(first, {
      zone: "us-east-1a",
      capacityType: "reserved",
      price: 0.1 / 10_000_000,
      available: true,
      reservationCapacity: 3,
      labels: {
        "topology.k8s.aws/zone-id": "use1-az1",
        "karpenter.k8s.aws/capacity-reservation-id": "cr-1",
        "karpenter.k8s.aws/capacity-reservation-type": "default",
        "karpenter.k8s.aws/capacity-reservation-interruptible": "true",
      },
    });
    const m6g = types.find((t) => t.name === "m6g.large");
    assert.ok(
      m6g?.offerings.every((o) => o.capacityType !== "reserved"),
      "only the reservation's own type",
    );
  });

  const unavailable: { name: string; reservation: Record<string, unknown>; count: number }[] = [
    { name: "no capacity left", reservation: {}, count: 0 },
    { name: "an expiring capacity block", reservation: { state: "expiring" }, count: 2 },
    {
      name: "a zone the class has no subnet in",
      reservation: { availabilityZone: "us-east-1c" },
      count: 2,
    },
  ];
  for (const c of unavailable)
    it(`a reserved offering is listed but unavailable with ${c.name}`, async () => {
      const types = await live(counts({ "cr-1": c.count })).instanceTypesFor(
        withReservations([reservation(c.reservation)]),
      );
      const reserved = types
        .find((t) => t.name === "m5.large")
        ?.offerings.filter((o) => o.capacityType === "reserved");
      assert.equal(reserved?.length, 1);
      assert.equal(reserved?.[0]?.available, false);
    });
});
