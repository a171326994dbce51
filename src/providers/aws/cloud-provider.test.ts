import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Instance } from "@aws-sdk/client-ec2";
import type { NodeClaim } from "../../api/nodeclaim.ts";
import { Annotations, Labels } from "../../api/wellknown.ts";
import {
  InsufficientCapacityError,
  NodeClaimNotFoundError,
  NodeClassNotReadyError,
} from "../../ports/cloud-provider.ts";
import { LaunchFailedError } from "./launch/errors.ts";
import {
  awsError,
  type ClassStatus,
  claim,
  ec2NodeClass,
  instanceType,
  joinSecret,
  offering,
  providerWith,
  ScriptedEc2,
} from "./launch/fixtures.test-helpers.ts";
import { NodeClassHashVersionAnnotation } from "./launch/instance-claim.ts";

const status: ClassStatus = {
  subnets: [
    { id: "subnet-a1", zone: "us-east-1a" },
    { id: "subnet-a2", zone: "us-east-1a" },
    { id: "subnet-b", zone: "us-east-1b" },
  ],
  securityGroups: [{ id: "sg-2" }, { id: "sg-1" }],
  amis: [
    { id: "ami-arm", requirements: [{ key: Labels.arch, operator: "In", values: ["arm64"] }] },
    { id: "ami-x86", requirements: [{ key: Labels.arch, operator: "In", values: ["amd64"] }] },
  ],
  instanceProfile: "prod-nodes",
};
const hashes = { [Annotations.nodeClassHash]: "123", [NodeClassHashVersionAnnotation]: "v4" };
const types = [
  instanceType("m5.large", [offering("us-east-1a", 0.096), offering("us-east-1b", 0.096)]),
  instanceType("c5.large", [offering("us-east-1a", 0.085), offering("us-east-1c", 0.05)]),
  instanceType("m6g.large", [offering("us-east-1a", 0.077)], { [Labels.arch]: "arm64" }),
  instanceType("m5.xlarge", [offering("us-east-1a", 0.192), offering("us-east-1a", 0.06, "spot")]),
];

/** EC2 that has no templates yet and launches the first override of the first config. */
function ec2(): ScriptedEc2 {
  let templates = 0;
  return new ScriptedEc2()
    .on("DescribeLaunchTemplatesCommand", () => {
      throw awsError("InvalidLaunchTemplateName.NotFoundException");
    })
    .on("CreateLaunchTemplateCommand", () => ({
      LaunchTemplate: { LaunchTemplateId: `lt-${++templates}` },
    }))
    .on("CreateFleetCommand", (input) => {
      const config = (input.LaunchTemplateConfigs as { Overrides: Record<string, string>[] }[])[0];
      const override = config?.Overrides[0] ?? {};
      const capacity = (input.TargetCapacitySpecification as Record<string, string>)
        .DefaultTargetCapacityType;
      return {
        Instances: [
          {
            InstanceIds: ["i-0abc"],
            InstanceType: override.InstanceType,
            Lifecycle: capacity,
            LaunchTemplateAndOverrides: { Overrides: override },
          },
        ],
      };
    });
}

const inReq = (key: string, values: string[]) => ({ key, operator: "In" as const, values });
const ctOnDemand = inReq(Labels.capacityType, ["on-demand"]);

type Fleet = {
  Type: string;
  LaunchTemplateConfigs: {
    LaunchTemplateSpecification: { LaunchTemplateName: string; Version: string };
    Overrides: {
      InstanceType: string;
      SubnetId: string;
      ImageId: string;
      AvailabilityZone: string;
    }[];
  }[];
  TargetCapacitySpecification: Record<string, unknown>;
  OnDemandOptions?: { AllocationStrategy: string };
  SpotOptions?: { AllocationStrategy: string };
  TagSpecifications: { ResourceType: string; Tags: { Key: string; Value: string }[] }[];
};
const fleetOf = (client: ScriptedEc2) =>
  client.inputsOf("CreateFleetCommand")[0] as unknown as Fleet;
const tagsOf = (tags: { Key: string; Value: string }[]) =>
  Object.fromEntries(tags.map((t) => [t.Key, t.Value]));

describe("AwsCloudProvider.create: the CreateFleet request (karpenter-provider-aws instance.go launchInstance)", () => {
  it("an instant fleet for one on-demand instance, an override per allowed type × its zone's subnet, cheapest first", async () => {
    const client = ec2();
    const nodeClass = ec2NodeClass("default", status, { tags: { team: "a", Name: "" } }, hashes);
    const { provider } = await providerWith(client, nodeClass, types);
    const launched = await provider.create(claim("general-x1", [ctOnDemand]));
    const fleet = fleetOf(client);
    assert.equal(fleet.Type, "instant");
    assert.deepEqual(fleet.TargetCapacitySpecification, {
      TotalTargetCapacity: 1,
      DefaultTargetCapacityType: "on-demand",
    });
    assert.deepEqual(fleet.OnDemandOptions, { AllocationStrategy: "lowest-price" });
    assert.equal(fleet.SpotOptions, undefined);
    // Karpenter's MapToInstanceTypes: the arm64 type gets the arm64 AMI, the others the x86 one;
    // one launch template config per AMI. us-east-1c has no subnet: c5.large there is left out,
    // and each zone launches into its first subnet.
    const configs = fleet.LaunchTemplateConfigs.map((c) => ({
      version: c.LaunchTemplateSpecification.Version,
      overrides: c.Overrides.map(
        (o) => `${o.InstanceType}@${o.AvailabilityZone}/${o.SubnetId}/${o.ImageId}`,
      ),
    }));
    assert.deepEqual(configs, [
      { version: "$Latest", overrides: ["m6g.large@us-east-1a/subnet-a1/ami-arm"] },
      {
        version: "$Latest",
        overrides: [
          "c5.large@us-east-1a/subnet-a1/ami-x86",
          "m5.large@us-east-1a/subnet-a1/ami-x86",
          "m5.large@us-east-1b/subnet-b/ami-x86",
          "m5.xlarge@us-east-1a/subnet-a1/ami-x86",
        ],
      },
    ]);
    // Instance, volume and fleet carry Karpenter's tags over the class's own.
    assert.deepEqual(
      fleet.TagSpecifications.map((s) => s.ResourceType),
      ["instance", "volume", "fleet"],
    );
    assert.deepEqual(tagsOf(fleet.TagSpecifications[0]?.Tags ?? []), {
      team: "a",
      Name: "",
      "kubernetes.io/cluster/prod": "owned",
      "karpenter.sh/nodepool": "general",
      "karpenter.sh/nodeclaim": "general-x1",
      "karpenter.k8s.aws/ec2nodeclass": "default",
      "eks:eks-cluster-name": "prod",
    });
    assert.equal(launched.status?.providerID, "aws:///us-east-1a/i-0abc");
    assert.equal(launched.status?.imageID, "ami-arm");
    assert.equal(launched.metadata.labels?.[Labels.instanceType], "m6g.large");
    assert.equal(launched.metadata.labels?.[Labels.arch], "arm64");
    assert.equal(launched.metadata.labels?.[Labels.awsInstanceFamily], "m6g");
    assert.equal(launched.metadata.labels?.[Labels.capacityType], "on-demand");
    assert.equal(launched.status?.allocatable?.cpu, "1900m");
    // Static drift compares the class's hash as it was at launch (Karpenter copies it at create).
    assert.deepEqual(
      [
        launched.metadata.annotations?.[Annotations.nodeClassHash],
        launched.metadata.annotations?.[NodeClassHashVersionAnnotation],
      ],
      ["123", "v4"],
    );
  });

  it("the launch template: hashed name, AMI, base64 user data, groups, profile, Karpenter's default metadata and root volume, tags", async () => {
    const client = ec2();
    const { provider } = await providerWith(client, ec2NodeClass("default", status), types);
    await provider.create(
      claim("general-x1", [ctOnDemand, { key: Labels.arch, operator: "In", values: ["amd64"] }]),
    );
    const [template] = client.inputsOf("CreateLaunchTemplateCommand") as {
      LaunchTemplateName: string;
      LaunchTemplateData: Record<string, unknown> & { UserData: string };
      TagSpecifications: { ResourceType: string; Tags: { Key: string; Value: string }[] }[];
    }[];
    assert.ok(template);
    assert.match(template.LaunchTemplateName, /^carpool\/prod\/[0-9a-f]{16}$/);
    assert.equal(
      fleetOf(client).LaunchTemplateConfigs[0]?.LaunchTemplateSpecification.LaunchTemplateName,
      template.LaunchTemplateName,
    );
    const { UserData, ...data } = template.LaunchTemplateData;
    const script = Buffer.from(UserData, "base64").toString("utf8");
    assert.match(script, /^#!\/bin\/sh\nnode=general-x1\ncapacity=on-demand\n/);
    assert.deepEqual(data, {
      ImageId: "ami-x86",
      IamInstanceProfile: { Name: "prod-nodes" },
      SecurityGroupIds: ["sg-1", "sg-2"],
      // Karpenter v1 defaults: IMDSv2 required, one hop; AL2023 gets a 20Gi encrypted gp3 root.
      MetadataOptions: {
        HttpEndpoint: "enabled",
        HttpProtocolIpv6: "disabled",
        HttpPutResponseHopLimit: 1,
        HttpTokens: "required",
      },
      BlockDeviceMappings: [
        { DeviceName: "/dev/xvda", Ebs: { VolumeSize: 20, VolumeType: "gp3", Encrypted: true } },
      ],
      Monitoring: { Enabled: false },
      // Karpenter's ReservedCapacity launch mode: on-demand launches opt out of open reservations.
      CapacityReservationSpecification: { CapacityReservationPreference: "none" },
      TagSpecifications: [
        {
          ResourceType: "network-interface",
          Tags: template.TagSpecifications[0]?.Tags.filter(
            (t) => t.Key !== "karpenter.k8s.aws/cluster",
          ),
        },
      ],
    });
    assert.equal(template.TagSpecifications[0]?.ResourceType, "launch-template");
    assert.equal(
      tagsOf(template.TagSpecifications[0]?.Tags ?? [])["karpenter.k8s.aws/cluster"],
      "prod",
    );
    assert.equal(
      tagsOf(template.TagSpecifications[0]?.Tags ?? [])["karpenter.k8s.aws/ec2nodeclass"],
      "default",
    );
  });

  it("the class's block devices, metadata options and public address setting go into the template", async () => {
    const client = ec2();
    const spec = {
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          rootVolume: true,
          ebs: {
            volumeSize: "100G",
            volumeType: "io2",
            iops: 3000,
            kmsKeyID: "k",
            deleteOnTermination: true,
            snapshotID: "snap-1",
            throughput: 125,
            encrypted: true,
          },
        },
      ],
      metadataOptions: { httpPutResponseHopLimit: 2 },
      associatePublicIPAddress: false,
      detailedMonitoring: true,
    };
    const { provider } = await providerWith(client, ec2NodeClass("default", status, spec), types);
    await provider.create(
      claim("c", [ctOnDemand, { key: Labels.arch, operator: "In", values: ["amd64"] }]),
    );
    const data = (
      client.inputsOf("CreateLaunchTemplateCommand")[0] as {
        LaunchTemplateData: Record<string, unknown>;
      }
    ).LaunchTemplateData;
    // 100G = 93.13 GiB, rounded up as Karpenter converts volumeSize.
    assert.deepEqual(data.BlockDeviceMappings, [
      {
        DeviceName: "/dev/xvda",
        Ebs: {
          VolumeSize: 94,
          VolumeType: "io2",
          Iops: 3000,
          Throughput: 125,
          Encrypted: true,
          KmsKeyId: "k",
          DeleteOnTermination: true,
          SnapshotId: "snap-1",
        },
      },
    ]);
    assert.equal((data.MetadataOptions as Record<string, unknown>).HttpPutResponseHopLimit, 2);
    assert.equal((data.MetadataOptions as Record<string, unknown>).HttpTokens, "required");
    assert.deepEqual(data.NetworkInterfaces, [
      { DeviceIndex: 0, AssociatePublicIpAddress: false, Groups: ["sg-1", "sg-2"] },
    ]);
    assert.equal(data.SecurityGroupIds, undefined);
    assert.deepEqual(data.Monitoring, { Enabled: true });
  });

  it("spot is launched when the claim allows it and a spot offering is available (getCapacityType), price-capacity-optimized", async () => {
    const client = ec2();
    const { provider } = await providerWith(client, ec2NodeClass("default", status), types);
    const launched = await provider.create(
      claim("s", [{ key: Labels.capacityType, operator: "In", values: ["spot", "on-demand"] }]),
    );
    const fleet = fleetOf(client);
    assert.equal(fleet.TargetCapacitySpecification.DefaultTargetCapacityType, "spot");
    assert.deepEqual(fleet.SpotOptions, { AllocationStrategy: "price-capacity-optimized" });
    assert.equal(fleet.OnDemandOptions, undefined);
    assert.deepEqual(
      fleet.LaunchTemplateConfigs.flatMap((c) => c.Overrides.map((o) => o.InstanceType)),
      ["m5.xlarge"],
    );
    assert.equal(launched.metadata.labels?.[Labels.capacityType], "spot");
  });

  it("a launch template is made once: found by name, made on a race, then remembered", async () => {
    const client = ec2();
    let creates = 0;
    client
      .on("DescribeLaunchTemplatesCommand", () => {
        if (creates === 0) throw awsError("InvalidLaunchTemplateName.NotFoundException");
        return { LaunchTemplates: [{ LaunchTemplateId: "lt-other", LaunchTemplateName: "x" }] };
      })
      .on("CreateLaunchTemplateCommand", () => {
        creates++;
        throw awsError(
          "InvalidLaunchTemplateName.AlreadyExistsException",
          "Launch template name already in use.",
        );
      });
    const { provider } = await providerWith(client, ec2NodeClass("default", status), types);
    const amd64 = inReq(Labels.arch, ["amd64"]);
    await provider.create(claim("c", [ctOnDemand, amd64]));
    await provider.create(claim("c", [ctOnDemand, amd64]));
    assert.deepEqual(
      client.sent.map((s) => s.command),
      [
        "DescribeLaunchTemplatesCommand",
        "CreateLaunchTemplateCommand",
        "DescribeLaunchTemplatesCommand",
        "CreateFleetCommand",
        "CreateFleetCommand",
      ],
    );
  });

  it("at most 60 instance types go into one fleet, the cheapest (Karpenter's maxInstanceTypes)", async () => {
    const many = Array.from({ length: 70 }, (_, i) =>
      instanceType(`t${String(i).padStart(2, "0")}.large`, [offering("us-east-1a", 1 + i)]),
    );
    const client = ec2();
    const { provider } = await providerWith(client, ec2NodeClass("default", status), many);
    await provider.create(claim("c", [ctOnDemand]));
    const names = fleetOf(client).LaunchTemplateConfigs.flatMap((c) =>
      c.Overrides.map((o) => o.InstanceType),
    );
    assert.equal(names.length, 60);
    assert.equal(names.at(-1), "t59.large");
  });
});

describe("AwsCloudProvider.create: errors", () => {
  const ice = (type: string, zone: string, code = "InsufficientInstanceCapacity") => ({
    ErrorCode: code,
    ErrorMessage: `We currently do not have sufficient ${type} capacity in ${zone}.`,
    LaunchTemplateAndOverrides: { Overrides: { InstanceType: type, AvailabilityZone: zone } },
  });
  const amd64 = inReq(Labels.arch, ["amd64"]);
  const rows: [string, object[], (error: unknown) => void][] = [
    [
      "every error a capacity one: InsufficientCapacityError naming each (type, zone) tried",
      [
        ice("c5.large", "us-east-1a"),
        ice("m5.large", "us-east-1a", "UnfulfillableCapacity"),
        ice("m5.large", "us-east-1b", "VcpuLimitExceeded"),
        ice("m5.xlarge", "us-east-1a", "InsufficientFreeAddressesInSubnet"),
      ],
      (error) => {
        assert.ok(error instanceof InsufficientCapacityError);
        assert.deepEqual(
          error.offerings.map((o) => `${o.instanceType}/${o.zone}/${o.capacityType}`),
          [
            "c5.large/us-east-1a/on-demand",
            "m5.large/us-east-1a/on-demand",
            "m5.large/us-east-1b/on-demand",
            "m5.xlarge/us-east-1a/on-demand",
          ],
        );
      },
    ],
    [
      "MaxSpotInstanceCountExceeded and Unsupported are capacity codes too",
      [
        ice("c5.large", "us-east-1a", "MaxSpotInstanceCountExceeded"),
        ice("m5.large", "us-east-1a", "Unsupported"),
      ],
      (error) =>
        assert.ok(error instanceof InsufficientCapacityError && error.offerings.length === 2),
    ],
    [
      "a capacity error that names no override: every offering sent is out",
      [{ ErrorCode: "InsufficientInstanceCapacity", ErrorMessage: "none" }],
      (error) =>
        assert.ok(error instanceof InsufficientCapacityError && error.offerings.length === 4),
    ],
    [
      "an invalid parameter among them is not capacity (combineFleetErrors): LaunchFailedError with its code",
      [
        ice("c5.large", "us-east-1a"),
        { ErrorCode: "InvalidParameterValue", ErrorMessage: "bad block device" },
      ],
      (error) => {
        assert.ok(error instanceof LaunchFailedError);
        assert.equal(error.code, "InvalidParameterValue");
        assert.match(error.message, /bad block device/);
      },
    ],
  ];
  for (const [name, errors, check] of rows)
    it(name, async () => {
      const client = ec2().on("CreateFleetCommand", () => ({ Instances: [], Errors: errors }));
      const { provider } = await providerWith(client, ec2NodeClass("default", status), types);
      await assert.rejects(provider.create(claim("c", [ctOnDemand, amd64])), (error: unknown) => {
        check(error);
        assert.ok(!String((error as Error).message).includes(joinSecret));
        return true;
      });
    });

  it("capacity errors on the way to a launch: those offerings are reported unavailable (Karpenter marks them in its cache)", async () => {
    const client = ec2().on("CreateFleetCommand", () => ({
      Instances: [
        {
          InstanceIds: ["i-0abc"],
          InstanceType: "m5.large",
          Lifecycle: "on-demand",
          LaunchTemplateAndOverrides: {
            Overrides: { InstanceType: "m5.large", AvailabilityZone: "us-east-1a" },
          },
        },
      ],
      Errors: [ice("c5.large", "us-east-1a")],
    }));
    const reported: string[] = [];
    const { provider } = await providerWith(
      client,
      ec2NodeClass("default", status),
      types,
      "prod",
      (offerings) =>
        reported.push(...offerings.map((o) => `${o.instanceType}/${o.zone}/${o.capacityType}`)),
    );
    const launched = await provider.create(claim("c", [ctOnDemand, amd64]));
    assert.equal(launched.metadata.labels?.[Labels.instanceType], "m5.large");
    assert.deepEqual(reported, ["c5.large/us-east-1a/on-demand"]);
  });

  it("an exception from CreateFleet is LaunchFailedError with the code, the join token redacted", async () => {
    const client = ec2().on("CreateFleetCommand", () => {
      throw awsError("UnauthorizedOperation", `not allowed to launch with ${joinSecret}`);
    });
    const { provider } = await providerWith(client, ec2NodeClass("default", status), types);
    await assert.rejects(provider.create(claim("c", [ctOnDemand, amd64])), (error: unknown) => {
      assert.ok(error instanceof LaunchFailedError);
      assert.equal(error.code, "UnauthorizedOperation");
      assert.doesNotMatch(error.message, /token-do-not-log/);
      assert.match(error.message, /\[REDACTED\]/);
      return true;
    });
  });

  it("a launch template deleted behind carpool's back is made again and the fleet tried once more", async () => {
    let fleets = 0;
    const client = ec2();
    const launch = client.answers.get("CreateFleetCommand");
    client.on("CreateFleetCommand", (input) => {
      if (++fleets === 1) throw awsError("InvalidLaunchTemplateName.NotFoundException");
      return launch?.(input);
    });
    const { provider } = await providerWith(client, ec2NodeClass("default", status), types);
    const launched = await provider.create(claim("c", [ctOnDemand, amd64]));
    assert.equal(launched.status?.providerID, "aws:///us-east-1a/i-0abc");
    assert.equal(client.inputsOf("CreateLaunchTemplateCommand").length, 2);
  });

  it("no offering the class can launch (no subnet in the zone): InsufficientCapacityError before any call", async () => {
    const client = ec2();
    const { provider } = await providerWith(client, ec2NodeClass("default", status), types);
    const zoneC = inReq(Labels.zone, ["us-east-1c"]);
    await assert.rejects(
      provider.create(claim("c", [ctOnDemand, zoneC])),
      InsufficientCapacityError,
    );
    assert.deepEqual(client.sent, []);
  });

  const notReady: [string, ReturnType<typeof ec2NodeClass> | undefined, RegExp][] = [
    ["the class does not exist", undefined, /not found/],
    [
      "Ready=False (Karpenter waits for the class)",
      ec2NodeClass("default", {
        ...status,
        conditions: [
          {
            type: "Ready",
            status: "False",
            reason: "SubnetsNotFound",
            lastTransitionTime: "2025-01-01T00:00:00Z",
          },
        ],
      }),
      /Ready is False \(SubnetsNotFound\)/,
    ],
    [
      "no Ready condition yet",
      ec2NodeClass("default", { ...status, conditions: [] }),
      /no Ready condition/,
    ],
    [
      "no security groups resolved",
      ec2NodeClass("default", { ...status, securityGroups: [] }),
      /status.securityGroups: none resolved/,
    ],
  ];
  for (const [name, nodeClass, message] of notReady)
    it(`NodeClassNotReadyError: ${name}`, async () => {
      const client = ec2();
      const { provider, store } = await providerWith(client, ec2NodeClass("other", status), types);
      if (nodeClass) await store.create(nodeClass);
      await assert.rejects(provider.create(claim("c", [])), (error: unknown) => {
        assert.ok(error instanceof NodeClassNotReadyError);
        assert.match(error.message, message);
        return true;
      });
    });
});

const instance = (overrides: Partial<Instance> = {}): Instance => ({
  InstanceId: "i-0abc",
  InstanceType: "m5.large" as never,
  ImageId: "ami-x86",
  SubnetId: "subnet-b",
  Placement: { AvailabilityZone: "us-east-1b" },
  SecurityGroups: [{ GroupId: "sg-1" }, { GroupId: "sg-2" }],
  State: { Name: "running" },
  LaunchTime: new Date("2025-06-01T00:00:00Z"),
  Tags: [
    { Key: "karpenter.sh/nodeclaim", Value: "general-x1" },
    { Key: "karpenter.sh/nodepool", Value: "general" },
    { Key: "karpenter.k8s.aws/ec2nodeclass", Value: "default" },
  ],
  ...overrides,
});

describe("AwsCloudProvider get / list / delete", () => {
  it("list asks for the cluster's owned, pooled, live instances and reports them as claims", async () => {
    const client = new ScriptedEc2().on("DescribeInstancesCommand", (input) =>
      input.NextToken === undefined
        ? { Reservations: [{ Instances: [instance()] }], NextToken: "2" }
        : {
            Reservations: [
              { Instances: [instance({ InstanceId: "i-0def", InstanceLifecycle: "spot" })] },
            ],
          },
    );
    const { provider } = await providerWith(client, ec2NodeClass("default", status), types);
    const claims = await provider.list();
    assert.deepEqual(client.inputsOf("DescribeInstancesCommand")[0]?.Filters, [
      { Name: "tag:kubernetes.io/cluster/prod", Values: ["owned"] },
      { Name: "tag-key", Values: ["karpenter.sh/nodepool"] },
      {
        Name: "instance-state-name",
        Values: ["pending", "running", "stopping", "stopped", "shutting-down"],
      },
    ]);
    assert.deepEqual(
      claims.map((c) => [
        c.metadata.name,
        c.status?.providerID,
        c.metadata.labels?.[Labels.capacityType],
        c.metadata.labels?.[Labels.nodePool],
        c.spec.nodeClassRef.name,
      ]),
      [
        ["general-x1", "aws:///us-east-1b/i-0abc", "on-demand", "general", "default"],
        ["general-x1", "aws:///us-east-1b/i-0def", "spot", "general", "default"],
      ],
    );
    assert.equal(claims[0]?.metadata.labels?.[Labels.awsInstanceFamily], "m5");
    assert.equal(claims[0]?.status?.capacity?.cpu, "2");
  });

  it("get of a terminated or unknown instance, or of another provider's ID, is NodeClaimNotFoundError", async () => {
    const client = new ScriptedEc2().on("DescribeInstancesCommand", (input) => {
      if ((input.InstanceIds as string[])[0] === "i-0gone") return { Reservations: [] };
      throw awsError("InvalidInstanceID.NotFound");
    });
    const { provider } = await providerWith(client, ec2NodeClass("default", status), types);
    for (const id of ["aws:///us-east-1a/i-0gone", "aws:///us-east-1a/i-0never", "k3s://node"])
      await assert.rejects(provider.get(id), NodeClaimNotFoundError);
  });

  it("delete terminates a live instance, leaves one shutting down to EC2, and a gone one is NotFound", async () => {
    const state = new Map([
      ["i-0run", "running"],
      ["i-0down", "shutting-down"],
    ]);
    const client = new ScriptedEc2()
      .on("DescribeInstancesCommand", (input) => {
        const id = (input.InstanceIds as string[])[0] ?? "";
        const name = state.get(id);
        return {
          Reservations: name
            ? [{ Instances: [instance({ InstanceId: id, State: { Name: name as never } })] }]
            : [],
        };
      })
      .on("TerminateInstancesCommand", () => ({}));
    const { provider } = await providerWith(client, ec2NodeClass("default", status), types);
    const withID = (id: string): NodeClaim => ({
      ...claim("c", []),
      status: { providerID: `aws:///us-east-1a/${id}` },
    });
    await provider.delete(withID("i-0run"));
    await provider.delete(withID("i-0down"));
    await assert.rejects(provider.delete(withID("i-0none")), NodeClaimNotFoundError);
    assert.deepEqual(client.inputsOf("TerminateInstancesCommand"), [{ InstanceIds: ["i-0run"] }]);
  });

  it("deleteLaunchTemplates deletes the class's carpool templates of this cluster, and no one else's", async () => {
    const client = new ScriptedEc2()
      .on("DescribeLaunchTemplatesCommand", () => ({
        LaunchTemplates: [
          { LaunchTemplateName: "carpool/prod/aaaa" },
          { LaunchTemplateName: "karpenter.k8s.aws/123" },
          { LaunchTemplateName: "carpool/prod/bbbb" },
        ],
      }))
      .on("DeleteLaunchTemplateCommand", (input) => {
        if (input.LaunchTemplateName === "carpool/prod/bbbb")
          throw awsError("InvalidLaunchTemplateName.NotFoundException");
        return {};
      });
    const { provider } = await providerWith(client, ec2NodeClass("default", status), types);
    assert.deepEqual(await provider.deleteLaunchTemplates("default"), [
      "carpool/prod/aaaa",
      "carpool/prod/bbbb",
    ]);
    assert.deepEqual(client.inputsOf("DescribeLaunchTemplatesCommand")[0]?.Filters, [
      { Name: "tag:karpenter.k8s.aws/cluster", Values: ["prod"] },
      { Name: "tag:karpenter.k8s.aws/ec2nodeclass", Values: ["default"] },
    ]);
    assert.deepEqual(
      client.inputsOf("DeleteLaunchTemplateCommand").map((i) => i.LaunchTemplateName),
      ["carpool/prod/aaaa", "carpool/prod/bbbb"],
    );
  });
});

describe("AwsCloudProvider.isDrifted (karpenter-provider-aws cloudprovider/drift.go)", () => {
  const launchedClaim = (annotations: Record<string, string> = hashes): NodeClaim => ({
    ...claim("general-x1", []),
    metadata: { name: "general-x1", annotations },
    status: { providerID: "aws:///us-east-1b/i-0abc" },
  });
  const rows: [
    string,
    Partial<Instance>,
    Record<string, string>,
    Record<string, string> | undefined,
    string | undefined,
  ][] = [
    ["nothing changed", {}, hashes, undefined, undefined],
    [
      "the image is no longer among status.amis: AMIDrift",
      { ImageId: "ami-old" },
      hashes,
      undefined,
      "AMIDrift",
    ],
    [
      "the subnet is no longer among status.subnets: SubnetDrift",
      { SubnetId: "subnet-old" },
      hashes,
      undefined,
      "SubnetDrift",
    ],
    [
      "a security group fewer than status.securityGroups: SecurityGroupDrift",
      { SecurityGroups: [{ GroupId: "sg-1" }] },
      hashes,
      undefined,
      "SecurityGroupDrift",
    ],
    [
      "one more security group: SecurityGroupDrift",
      { SecurityGroups: [{ GroupId: "sg-1" }, { GroupId: "sg-2" }, { GroupId: "sg-3" }] },
      hashes,
      undefined,
      "SecurityGroupDrift",
    ],
    [
      "the class's spec hash changed: NodeClassDrift",
      {},
      hashes,
      { ...hashes, [Annotations.nodeClassHash]: "456" },
      "NodeClassDrift",
    ],
    [
      "a different hash version is not drift (the hash changed with carpool, not the class)",
      {},
      hashes,
      { [Annotations.nodeClassHash]: "456", [NodeClassHashVersionAnnotation]: "v5" },
      undefined,
    ],
    [
      "a claim launched without the hash annotation is not statically drifted",
      {},
      {},
      { ...hashes, [Annotations.nodeClassHash]: "456" },
      undefined,
    ],
    [
      "AMI drift is named before the others",
      { ImageId: "ami-old", SubnetId: "subnet-old" },
      hashes,
      { ...hashes, [Annotations.nodeClassHash]: "456" },
      "AMIDrift",
    ],
  ];
  for (const [name, change, claimAnnotations, classAnnotations, reason] of rows)
    it(name, async () => {
      const client = new ScriptedEc2().on("DescribeInstancesCommand", () => ({
        Reservations: [{ Instances: [instance(change)] }],
      }));
      const nodeClass = ec2NodeClass("default", status, {}, classAnnotations ?? hashes);
      const { provider } = await providerWith(client, nodeClass, types);
      assert.equal(await provider.isDrifted(launchedClaim(claimAnnotations)), reason);
    });

  it("an instance that is gone is not drifted (garbage collection's to notice)", async () => {
    const client = new ScriptedEc2().on("DescribeInstancesCommand", () => ({ Reservations: [] }));
    const { provider } = await providerWith(client, ec2NodeClass("default", status), types);
    assert.equal(await provider.isDrifted(launchedClaim()), undefined);
  });
});
