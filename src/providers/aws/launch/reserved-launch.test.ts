import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Instance } from "@aws-sdk/client-ec2";
import type { NodeClaim } from "../../../api/nodeclaim.ts";
import { Labels } from "../../../api/wellknown.ts";
import type { Offering } from "../../../catalog/instance-type.ts";
import { InsufficientCapacityError } from "../../../ports/cloud-provider.ts";
import { Requirements } from "../../../scheduling/requirements.ts";
import type { OfferingChoice } from "../../offering-choice.ts";
import {
  type ClassStatus,
  claim,
  ec2NodeClass,
  instanceType,
  offering,
  providerWith,
  ScriptedEc2,
} from "./fixtures.test-helpers.ts";
import { chooseCapacityType, fleetChoices } from "./fleet-request.ts";
import { reservedFleetChoices } from "./reserved-choices.ts";

const reserved = (
  zone: string,
  id: string,
  price: number,
  options: { capacity?: number; type?: string; interruptible?: boolean } = {},
): Offering => ({
  zone,
  capacityType: "reserved",
  price,
  available: true,
  reservationCapacity: options.capacity ?? 1,
  labels: {
    [Labels.awsZoneID]: `${zone}-id`,
    [Labels.awsCapacityReservationID]: id,
    [Labels.awsCapacityReservationType]: options.type ?? "default",
    [Labels.awsCapacityReservationInterruptible]: String(options.interruptible ?? false),
  },
});
const choice = (type: string, o: Offering): OfferingChoice => ({
  instanceType: instanceType(type, [o]),
  offering: o,
});
const ids = (choices: readonly OfferingChoice[]) =>
  choices.map(
    (c) => c.offering.labels?.[Labels.awsCapacityReservationID] ?? c.offering.capacityType,
  );

describe("reserved offerings one fleet takes (karpenter-provider-aws instance/filter/filter.go)", () => {
  const cases: { name: string; launchable: OfferingChoice[]; want: string[] }[] = [
    {
      name: "CapacityReservationTypeFilter: one reservation type, the one with the cheapest offering",
      launchable: [
        choice("m5.large", reserved("us-east-1a", "cr-default", 2e-8)),
        choice("p5.48xlarge", reserved("us-east-1a", "cr-block", 1e-8, { type: "capacity-block" })),
      ],
      want: ["cr-block"],
    },
    {
      name: "a tie on price goes to default reservations before capacity blocks",
      launchable: [
        choice("m5.large", reserved("us-east-1a", "cr-block", 1e-8, { type: "capacity-block" })),
        choice("m5.large", reserved("us-east-1b", "cr-default", 1e-8)),
      ],
      want: ["cr-default"],
    },
    {
      name: "CapacityBlockFilter: of capacity blocks only the cheapest (CreateFleet takes one block)",
      launchable: [
        choice("p5.48xlarge", reserved("us-east-1a", "cr-b1", 3e-8, { type: "capacity-block" })),
        choice("p4d.24xlarge", reserved("us-east-1a", "cr-b2", 2e-8, { type: "capacity-block" })),
      ],
      want: ["cr-b2"],
    },
    {
      name: "ReservedOfferingFilter: per type and zone, the reservation with the most capacity left",
      launchable: [
        choice("m5.large", reserved("us-east-1a", "cr-small", 1e-8, { capacity: 1 })),
        choice("m5.large", reserved("us-east-1a", "cr-big", 1e-8, { capacity: 5 })),
        choice("m5.large", reserved("us-east-1b", "cr-other-zone", 1e-8, { capacity: 1 })),
      ],
      want: ["cr-big", "cr-other-zone"],
    },
    {
      name: "on-demand and spot offerings never ride in a reserved fleet",
      launchable: [
        choice("m5.large", offering("us-east-1a", 0.05, "spot")),
        choice("m5.large", reserved("us-east-1a", "cr-1", 1e-8)),
      ],
      want: ["cr-1"],
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      assert.deepEqual(ids(reservedFleetChoices(c.launchable)), c.want);
      assert.deepEqual(ids(fleetChoices(c.launchable, "reserved")), c.want);
    });
});

describe("capacity type of a launch (instance.go getCapacityType: reserved, then spot, then on-demand)", () => {
  const all = [
    choice("m5.large", offering("us-east-1a", 0.1)),
    choice("m5.large", offering("us-east-1a", 0.03, "spot")),
    choice("m5.large", reserved("us-east-1a", "cr-1", 1e-8)),
  ];
  const ct = (values: string[] | undefined) =>
    Requirements.from(
      values === undefined ? [] : [{ key: Labels.capacityType, operator: "In", values }],
    );
  const cases: { name: string; allowed?: string[]; launchable: OfferingChoice[]; want: string }[] =
    [
      {
        name: "a reservation first when allowed",
        allowed: ["reserved", "spot", "on-demand"],
        launchable: all,
        want: "reserved",
      },
      { name: "no capacity-type requirement allows every type", launchable: all, want: "reserved" },
      {
        name: "reserved not allowed: spot",
        allowed: ["spot", "on-demand"],
        launchable: all,
        want: "spot",
      },
      {
        name: "no reserved offering launchable: spot",
        allowed: ["reserved", "spot", "on-demand"],
        launchable: all.slice(0, 2),
        want: "spot",
      },
      {
        name: "only on-demand allowed",
        allowed: ["on-demand"],
        launchable: all,
        want: "on-demand",
      },
      {
        name: "a reserved offering naming no reservation (not from a node class) is not launched into",
        allowed: ["reserved", "on-demand"],
        launchable: [
          choice("m5.large", offering("us-east-1a", 0.01, "reserved")),
          all[0] as OfferingChoice,
        ],
        want: "on-demand",
      },
    ];
  for (const c of cases)
    it(c.name, () => assert.equal(chooseCapacityType(ct(c.allowed), c.launchable), c.want));
});

const status: ClassStatus = {
  subnets: [
    { id: "subnet-a", zone: "us-east-1a" },
    { id: "subnet-b", zone: "us-east-1b" },
  ],
  securityGroups: [{ id: "sg-1" }],
  amis: [{ id: "ami-x86", requirements: [] }],
  instanceProfile: "nodes",
};

/** EC2 that launches the first override, or answers each override with `errorCode`. */
function ec2(errorCode?: string): ScriptedEc2 {
  let templates = 0;
  return new ScriptedEc2()
    .on("DescribeLaunchTemplatesCommand", () => {
      throw Object.assign(new Error("none"), {
        name: "InvalidLaunchTemplateName.NotFoundException",
      });
    })
    .on("CreateLaunchTemplateCommand", () => ({
      LaunchTemplate: { LaunchTemplateId: `lt-${++templates}` },
    }))
    .on("CreateFleetCommand", (input) => {
      const configs = input.LaunchTemplateConfigs as { Overrides: Record<string, string>[] }[];
      if (errorCode !== undefined)
        return {
          Errors: configs.flatMap((c) =>
            c.Overrides.map((o) => ({
              ErrorCode: errorCode,
              ErrorMessage: "Insufficient capacity in the reservation",
              LaunchTemplateAndOverrides: { Overrides: o },
            })),
          ),
        };
      const override = configs[0]?.Overrides[0] ?? {};
      return {
        Instances: [
          {
            InstanceIds: ["i-0res"],
            InstanceType: override.InstanceType,
            Lifecycle: "on-demand",
            LaunchTemplateAndOverrides: { Overrides: override },
          },
        ],
      };
    });
}

function recorder() {
  const calls: string[] = [];
  return {
    calls,
    markLaunched: (id: string) => calls.push(`launched ${id}`),
    markUnavailable: (id: string) => calls.push(`unavailable ${id}`),
    markTerminated: (id: string) => calls.push(`terminated ${id}`),
  };
}

type TemplateData = {
  CapacityReservationSpecification?: unknown;
  InstanceMarketOptions?: unknown;
};
const templateData = (client: ScriptedEc2) =>
  client.inputsOf("CreateLaunchTemplateCommand").map((i) => i.LaunchTemplateData as TemplateData);
const fleet = (client: ScriptedEc2) =>
  client.inputsOf("CreateFleetCommand")[0] as {
    LaunchTemplateConfigs: { Overrides: { InstanceType: string; AvailabilityZone: string }[] }[];
    TargetCapacitySpecification: Record<string, unknown>;
    OnDemandOptions?: unknown;
  };
const ctAll = {
  key: Labels.capacityType,
  operator: "In" as const,
  values: ["reserved", "spot", "on-demand"],
};

describe("AwsCloudProvider.create into a capacity reservation (instance.go, launchtemplate/types.go)", () => {
  const types = [
    instanceType("m5.large", [
      reserved("us-east-1a", "cr-a", 1e-8, { capacity: 2 }),
      reserved("us-east-1b", "cr-b", 1e-8, { capacity: 1 }),
      offering("us-east-1a", 0.03, "spot"),
      offering("us-east-1a", 0.096),
    ]),
  ];

  it("a reserved launch: a template per reservation targeting it (capacity reservations only), on-demand fleet, the claim labelled with the reservation, one taken from its count", async () => {
    const client = ec2();
    const marks = recorder();
    const { provider } = await providerWith(
      client,
      ec2NodeClass("default", status),
      types,
      "prod",
      undefined,
      marks,
    );
    const launched = await provider.create(claim("r1", [ctAll]));
    assert.deepEqual(
      templateData(client).map((d) => d.CapacityReservationSpecification),
      [
        {
          CapacityReservationPreference: "capacity-reservations-only",
          CapacityReservationTarget: { CapacityReservationId: "cr-a" },
        },
        {
          CapacityReservationPreference: "capacity-reservations-only",
          CapacityReservationTarget: { CapacityReservationId: "cr-b" },
        },
      ],
    );
    const f = fleet(client);
    assert.deepEqual(
      f.LaunchTemplateConfigs.map((c) =>
        c.Overrides.map((o) => `${o.InstanceType}@${o.AvailabilityZone}`),
      ),
      [["m5.large@us-east-1a"], ["m5.large@us-east-1b"]],
      "each template's overrides are its reservation's own offering",
    );
    assert.equal(f.TargetCapacitySpecification.DefaultTargetCapacityType, "on-demand");
    assert.deepEqual(f.OnDemandOptions, { AllocationStrategy: "lowest-price" });
    const labels = launched.metadata.labels ?? {};
    assert.equal(labels[Labels.capacityType], "reserved");
    assert.equal(labels[Labels.awsCapacityReservationID], "cr-a");
    assert.equal(labels[Labels.awsCapacityReservationType], "default");
    assert.equal(labels[Labels.awsCapacityReservationInterruptible], "false");
    assert.equal(labels[Labels.awsZoneID], "us-east-1a-id");
    assert.deepEqual(marks.calls, ["launched cr-a"]);
  });

  it("a capacity block: the capacity-block market in the template and the fleet, no on-demand options", async () => {
    const client = ec2();
    const block = [
      instanceType("p5.48xlarge", [
        reserved("us-east-1a", "cr-blk", 1e-7, { type: "capacity-block" }),
      ]),
    ];
    const { provider } = await providerWith(client, ec2NodeClass("default", status), block);
    await provider.create(claim("b1", [ctAll]));
    const [data] = templateData(client);
    assert.deepEqual(data?.InstanceMarketOptions, { MarketType: "capacity-block" });
    const f = fleet(client);
    assert.equal(f.TargetCapacitySpecification.DefaultTargetCapacityType, "capacity-block");
    assert.equal(f.OnDemandOptions, undefined);
  });

  it("an interruptible reservation launches in the interruptible-capacity-reservation market", async () => {
    const client = ec2();
    const interruptible = [
      instanceType("m5.large", [reserved("us-east-1a", "cr-i", 1e-8, { interruptible: true })]),
    ];
    const { provider } = await providerWith(client, ec2NodeClass("default", status), interruptible);
    const launched = await provider.create(claim("i1", [ctAll]));
    assert.deepEqual(templateData(client)[0]?.InstanceMarketOptions, {
      MarketType: "interruptible-capacity-reservation",
    });
    assert.equal(launched.metadata.labels?.[Labels.awsCapacityReservationInterruptible], "true");
  });

  it("spot and on-demand launches opt out of open reservations (CapacityReservationPreference none)", async () => {
    const client = ec2();
    const { provider } = await providerWith(client, ec2NodeClass("default", status), types);
    await provider.create(
      claim("s1", [{ key: Labels.capacityType, operator: "In", values: ["spot"] }]),
    );
    assert.deepEqual(templateData(client)[0]?.CapacityReservationSpecification, {
      CapacityReservationPreference: "none",
    });
    assert.equal(templateData(client)[0]?.InstanceMarketOptions, undefined);
  });

  it("ReservationCapacityExceeded: the reserved offerings are reported unavailable and their reservations emptied", async () => {
    const client = ec2("ReservationCapacityExceeded");
    const marks = recorder();
    const { provider } = await providerWith(
      client,
      ec2NodeClass("default", status),
      types,
      "prod",
      undefined,
      marks,
    );
    const error = await provider.create(claim("r2", [ctAll])).then(
      () => assert.fail("launched"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof InsufficientCapacityError);
    assert.deepEqual(error.offerings, [
      { instanceType: "m5.large", zone: "us-east-1a", capacityType: "reserved" },
      { instanceType: "m5.large", zone: "us-east-1b", capacityType: "reserved" },
    ]);
    assert.deepEqual(marks.calls, ["unavailable cr-a", "unavailable cr-b"]);
  });
});

describe("instances in a reservation, found again (instance.go NewInstance) and deleted", () => {
  const instance: Instance = {
    InstanceId: "i-0res",
    InstanceType: "m5.large",
    Placement: { AvailabilityZone: "us-east-1a" },
    State: { Name: "running" },
    CapacityReservationId: "cr-a",
    Tags: [
      { Key: "karpenter.sh/nodeclaim", Value: "r1" },
      { Key: "karpenter.sh/nodepool", Value: "general" },
      { Key: "karpenter.k8s.aws/ec2nodeclass", Value: "default" },
    ],
  };
  const client = () =>
    new ScriptedEc2()
      .on("DescribeInstancesCommand", () => ({ Reservations: [{ Instances: [instance] }] }))
      .on("TerminateInstancesCommand", () => ({}));

  it("an instance with a CapacityReservationId is reserved, with the reservation's ID and type", async () => {
    const { provider } = await providerWith(client(), ec2NodeClass("default", status), []);
    const got = await provider.get("aws:///us-east-1a/i-0res");
    assert.equal(got.metadata.labels?.[Labels.capacityType], "reserved");
    assert.equal(got.metadata.labels?.[Labels.awsCapacityReservationID], "cr-a");
    assert.equal(got.metadata.labels?.[Labels.awsCapacityReservationType], "default");
  });

  it("deleting it gives its place back to the reservation's count (MarkTerminated)", async () => {
    const marks = recorder();
    const { provider } = await providerWith(
      client(),
      ec2NodeClass("default", status),
      [],
      "prod",
      undefined,
      marks,
    );
    const withID: NodeClaim = {
      ...claim("r1", []),
      status: { providerID: "aws:///us-east-1a/i-0res" },
    };
    await provider.delete(withID);
    assert.deepEqual(marks.calls, ["terminated cr-a"]);
  });
});
