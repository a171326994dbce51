// CreateFleet Type=instant, the one call that launches carpool's nodes (as Karpenter's does), and the
// instances it leaves: what moto returns, which override it picks, what the instances inherit.
import assert from "node:assert/strict";
import { it } from "node:test";
import {
  type _InstanceType,
  CreateFleetCommand,
  type CreateFleetCommandOutput,
  CreateLaunchTemplateCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  type EC2Client,
  type FleetLaunchTemplateOverridesRequest,
  type Instance,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { al2023ImageId, createNetwork, type TestNetwork } from "./fixtures.ts";
import type { MotoClients } from "./moto.test.ts";

interface FleetWorld {
  readonly net: TestNetwork;
  readonly template: string;
  readonly userData: string;
}

let templates = 0;

async function fleetWorld(clients: MotoClients): Promise<FleetWorld> {
  const { ec2, ssm, run } = clients;
  const net = await createNetwork(ec2, run);
  templates += 1;
  const template = `${run}-fleet-${templates}`;
  const userData = Buffer.from(`#!/bin/bash\n# ${template}\n/usr/bin/nodeadm init\n`).toString(
    "base64",
  );
  await ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: template,
      LaunchTemplateData: {
        ImageId: await al2023ImageId(ssm),
        UserData: userData,
        SecurityGroupIds: [net.securityGroupId],
        MetadataOptions: { HttpTokens: "required", HttpPutResponseHopLimit: 1 },
        BlockDeviceMappings: [
          { DeviceName: "/dev/xvda", Ebs: { VolumeSize: 20, VolumeType: "gp3" } },
        ],
        TagSpecifications: [
          { ResourceType: "instance", Tags: [{ Key: "carpool/template", Value: template }] },
        ],
      },
    }),
  );
  return { net, template, userData };
}

function launch(
  ec2: EC2Client,
  world: FleetWorld,
  capacityType: "on-demand" | "spot",
  overrides: FleetLaunchTemplateOverridesRequest[],
  count = 1,
): Promise<CreateFleetCommandOutput> {
  return ec2.send(
    new CreateFleetCommand({
      Type: "instant",
      LaunchTemplateConfigs: [
        {
          LaunchTemplateSpecification: { LaunchTemplateName: world.template, Version: "$Latest" },
          Overrides: overrides,
        },
      ],
      TargetCapacitySpecification: {
        TotalTargetCapacity: count,
        DefaultTargetCapacityType: capacityType,
      },
      ...(capacityType === "spot"
        ? { SpotOptions: { AllocationStrategy: "price-capacity-optimized" as const } }
        : { OnDemandOptions: { AllocationStrategy: "lowest-price" as const } }),
      TagSpecifications: [
        {
          ResourceType: "instance",
          Tags: [
            { Key: "karpenter.sh/nodepool", Value: world.template },
            { Key: "Name", Value: `${world.template}-node` },
          ],
        },
      ],
    }),
  );
}

function launchedIds(fleet: CreateFleetCommandOutput): string[] {
  return (fleet.Instances ?? []).flatMap((i) => i.InstanceIds ?? []);
}

async function describe(ec2: EC2Client, ids: string[]): Promise<Instance[]> {
  const answer = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
  return (answer.Reservations ?? []).flatMap((r) => r.Instances ?? []);
}

const tagsOf = (instance: Instance | undefined) =>
  Object.fromEntries((instance?.Tags ?? []).map((t) => [t.Key, t.Value]));

export function fleetProbes(get: () => MotoClients): void {
  it("on-demand: one Instances[] entry per instance with the override used, Lifecycle, no Errors", async () => {
    const { ec2 } = get();
    const world = await fleetWorld(get());
    const fleet = await launch(ec2, world, "on-demand", [
      { InstanceType: "m5.xlarge", SubnetId: world.net.subnetB },
      { InstanceType: "m5.large", SubnetId: world.net.subnetA },
    ]);
    assert.match(fleet.FleetId ?? "", /^fleet-[0-9a-f-]{36}$/);
    assert.equal(fleet.Errors, undefined);
    assert.equal(fleet.Instances?.length, 1);
    const [entry] = fleet.Instances ?? [];
    assert.equal(entry?.Lifecycle, "on-demand");
    assert.equal(entry?.InstanceType, "m5.xlarge");
    assert.equal(entry?.InstanceIds?.length, 1);
    assert.deepEqual(entry?.LaunchTemplateAndOverrides?.Overrides, {
      InstanceType: "m5.xlarge",
      SubnetId: world.net.subnetB,
    });
    const spec = entry?.LaunchTemplateAndOverrides?.LaunchTemplateSpecification;
    assert.equal(spec?.LaunchTemplateName, world.template);
    assert.match(spec?.LaunchTemplateId ?? "", /^lt-/);
    assert.equal(spec?.Version, "1");
  });

  it("several units: one entry and one instance each, all from the same override", async () => {
    const { ec2 } = get();
    const world = await fleetWorld(get());
    const fleet = await launch(
      ec2,
      world,
      "on-demand",
      [
        { InstanceType: "c5.large", SubnetId: world.net.subnetA },
        { InstanceType: "m5.large", SubnetId: world.net.subnetB },
      ],
      3,
    );
    assert.equal(fleet.Instances?.length, 3);
    assert.deepEqual(
      (fleet.Instances ?? []).map((i) => [i.InstanceIds?.length, i.InstanceType]),
      [
        [1, "c5.large"],
        [1, "c5.large"],
        [1, "c5.large"],
      ],
    );
    assert.equal(new Set(launchedIds(fleet)).size, 3);
  });

  it("spot: Lifecycle spot in the answer and InstanceLifecycle spot on the instance", async () => {
    const { ec2 } = get();
    const world = await fleetWorld(get());
    const fleet = await launch(ec2, world, "spot", [
      { InstanceType: "m5.large", SubnetId: world.net.subnetA },
      { InstanceType: "m5.xlarge", SubnetId: world.net.subnetB },
    ]);
    assert.equal(fleet.Errors, undefined);
    assert.deepEqual(
      (fleet.Instances ?? []).map((i) => [i.Lifecycle, i.InstanceType]),
      [["spot", "m5.large"]],
    );
    const [instance] = await describe(ec2, launchedIds(fleet));
    assert.equal(instance?.InstanceLifecycle, "spot");
    assert.equal(instance?.SubnetId, world.net.subnetA);
    assert.equal(instance?.Placement?.AvailabilityZone, "us-west-2a");
  });

  // On AWS, lowest-price picks the cheapest override and Priority orders a prioritized fleet.
  it("moto lacks allocation strategies and Priority: the first override is always taken", async () => {
    const { ec2 } = get();
    const world = await fleetWorld(get());
    const fleet = await launch(ec2, world, "on-demand", [
      { InstanceType: "m5.4xlarge", SubnetId: world.net.subnetB, Priority: 9 },
      { InstanceType: "t3.nano", SubnetId: world.net.subnetA, Priority: 0 },
    ]);
    assert.deepEqual(
      (fleet.Instances ?? []).map((i) => i.LaunchTemplateAndOverrides?.Overrides?.InstanceType),
      ["m5.4xlarge"],
    );
    const spot = await launch(ec2, world, "spot", [
      { InstanceType: "m5.4xlarge", SubnetId: world.net.subnetB },
      { InstanceType: "t3.nano", SubnetId: world.net.subnetA },
    ]);
    assert.deepEqual(
      (spot.Instances ?? []).map((i) => i.InstanceType),
      ["m5.4xlarge"],
    );
  });

  // On AWS, an instance type that does not exist is an entry in Errors and no instance.
  it("moto lacks CreateFleet Errors: an unknown instance type is launched", async () => {
    const { ec2 } = get();
    const world = await fleetWorld(get());
    const fleet = await launch(ec2, world, "on-demand", [
      { InstanceType: "foo.bar" as _InstanceType, SubnetId: world.net.subnetA },
    ]);
    assert.equal(fleet.Errors, undefined);
    assert.deepEqual(
      (fleet.Instances ?? []).map((i) => i.InstanceType),
      ["foo.bar"],
    );
  });

  it("instances carry the template's and the request's instance tags, and the template's user data", async () => {
    const { ec2 } = get();
    const world = await fleetWorld(get());
    const fleet = await launch(ec2, world, "on-demand", [
      { InstanceType: "m5.large", SubnetId: world.net.subnetB },
    ]);
    const [id] = launchedIds(fleet);
    assert.ok(id);
    const [instance] = await describe(ec2, [id]);
    assert.deepEqual(tagsOf(instance), {
      "carpool/template": world.template,
      "karpenter.sh/nodepool": world.template,
      Name: `${world.template}-node`,
    });
    assert.equal(instance?.State?.Name, "running");
    assert.equal(instance?.SubnetId, world.net.subnetB);
    assert.equal(instance?.VpcId, world.net.vpcId);
    const attribute = await ec2.send(
      new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: "userData" }),
    );
    assert.equal(attribute.UserData?.Value, world.userData);
  });

  // On AWS, the instance gets the template's security groups, metadata options and volumes.
  it("moto lacks the template's SecurityGroupIds, MetadataOptions and BlockDeviceMappings on fleet instances", async () => {
    const { ec2 } = get();
    const world = await fleetWorld(get());
    const fleet = await launch(ec2, world, "on-demand", [
      { InstanceType: "m5.large", SubnetId: world.net.subnetA },
    ]);
    const [instance] = await describe(ec2, launchedIds(fleet));
    const groups = (instance?.SecurityGroups ?? []).map((g) => g.GroupId);
    assert.ok(!groups.includes(world.net.securityGroupId), groups.join(", "));
    assert.equal(instance?.MetadataOptions?.HttpTokens, "optional");
    assert.deepEqual(
      (instance?.BlockDeviceMappings ?? []).map((b) => b.DeviceName),
      ["/dev/sda1"],
    );
  });

  it("DescribeInstances filters by tag:KEY and instance-state-name; TerminateInstances", async () => {
    const { ec2 } = get();
    const world = await fleetWorld(get());
    const fleet = await launch(
      ec2,
      world,
      "on-demand",
      [{ InstanceType: "m5.large", SubnetId: world.net.subnetA }],
      2,
    );
    const ids = launchedIds(fleet).sort();
    const live = async () => {
      const answer = await ec2.send(
        new DescribeInstancesCommand({
          Filters: [
            { Name: "tag:karpenter.sh/nodepool", Values: [world.template] },
            { Name: "instance-state-name", Values: ["pending", "running", "stopping", "stopped"] },
          ],
        }),
      );
      return (answer.Reservations ?? [])
        .flatMap((r) => r.Instances ?? [])
        .map((i) => i.InstanceId ?? "")
        .sort();
    };
    assert.deepEqual(await live(), ids);
    const [first, second] = ids;
    assert.ok(first && second);
    const terminated = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [first] }));
    assert.deepEqual(
      (terminated.TerminatingInstances ?? []).map((t) => [
        t.InstanceId,
        t.PreviousState?.Name,
        t.CurrentState?.Name,
      ]),
      [[first, "running", "shutting-down"]],
    );
    assert.deepEqual(await live(), [second]);
    // Still listed by id, already terminated (AWS lists terminated instances for about an hour).
    const [gone] = await describe(ec2, [first]);
    assert.equal(gone?.State?.Name, "terminated");
  });
}
