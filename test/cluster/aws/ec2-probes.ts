// EC2 reads and launch templates as moto answers them (everything but CreateFleet, in fleet-probes.ts).
import assert from "node:assert/strict";
import { it } from "node:test";
import {
  CreateLaunchTemplateCommand,
  CreateTagsCommand,
  DeleteLaunchTemplateCommand,
  DescribeAvailabilityZonesCommand,
  DescribeImagesCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSpotPriceHistoryCommand,
  DescribeSubnetsCommand,
  RegisterImageCommand,
} from "@aws-sdk/client-ec2";
import { al2023ImageId, createNetwork, failure } from "./fixtures.ts";
import type { MotoClients } from "./moto.test.ts";

const AMAZON = "137112412989"; // the account that publishes Amazon Linux images
const CANONICAL = "099720109477"; // Ubuntu's publisher

export function ec2Probes(get: () => MotoClients): void {
  it("DescribeAvailabilityZones: the region's four zones with their zone ids, all available", async () => {
    const { ec2 } = get();
    const zones =
      (await ec2.send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones ?? [];
    assert.deepEqual(
      zones.map((z) => [z.ZoneName, z.ZoneId, z.State, z.ZoneType]),
      [
        ["us-west-2a", "usw2-az2", "available", "availability-zone"],
        ["us-west-2b", "usw2-az1", "available", "availability-zone"],
        ["us-west-2c", "usw2-az3", "available", "availability-zone"],
        ["us-west-2d", "usw2-az4", "available", "availability-zone"],
      ],
    );
  });

  // Karpenter's subnetSelectorTerms / securityGroupSelectorTerms by tag become `tag:KEY` filters.
  it("DescribeSubnets and DescribeSecurityGroups honour tag:KEY filters (values OR-ed)", async () => {
    const { ec2, run } = get();
    const net = await createNetwork(ec2, run);
    const other = await createNetwork(ec2, run);
    const byTag = (...values: string[]) => [{ Name: `tag:${net.discovery.key}`, Values: values }];
    const subnets = await ec2.send(
      new DescribeSubnetsCommand({ Filters: byTag(net.discovery.value) }),
    );
    assert.deepEqual(
      (subnets.Subnets ?? []).map((s) => [s.SubnetId, s.AvailabilityZone, s.VpcId]).sort(),
      [
        [net.subnetA, "us-west-2a", net.vpcId],
        [net.subnetB, "us-west-2b", net.vpcId],
      ].sort(),
    );
    const both = await ec2.send(
      new DescribeSubnetsCommand({ Filters: byTag(net.discovery.value, other.discovery.value) }),
    );
    assert.equal(both.Subnets?.length, 4);
    const groups = await ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: byTag(net.discovery.value) }),
    );
    assert.deepEqual(
      (groups.SecurityGroups ?? []).map((g) => g.GroupId),
      [net.securityGroupId],
    );
  });

  it("DescribeImages by owner id, name wildcard, image id and tag:KEY (after CreateTags)", async () => {
    const { ec2, ssm, run } = get();
    const imageId = await al2023ImageId(ssm);
    const byName = await ec2.send(
      new DescribeImagesCommand({
        Owners: [AMAZON],
        Filters: [{ Name: "name", Values: ["al2023-ami-2023.*-x86_64"] }],
      }),
    );
    const names = (byName.Images ?? []).map((i) => i.Name ?? "");
    assert.ok(names.length > 0);
    assert.ok(
      names.every((n) => /^al2023-ami-2023\..*-x86_64$/.test(n)),
      names.join(", "),
    );
    assert.ok((byName.Images ?? []).every((i) => i.OwnerId === AMAZON));
    const byId = await ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
    assert.deepEqual(
      (byId.Images ?? []).map((i) => [i.ImageId, i.Architecture, i.State]),
      [[imageId, "x86_64", "available"]],
    );
    await ec2.send(
      new CreateTagsCommand({ Resources: [imageId], Tags: [{ Key: "carpool/probe", Value: run }] }),
    );
    const byTag = await ec2.send(
      new DescribeImagesCommand({ Filters: [{ Name: "tag:carpool/probe", Values: [run] }] }),
    );
    assert.deepEqual(
      (byTag.Images ?? []).map((i) => i.ImageId),
      [imageId],
    );
    assert.equal(
      (await failure(ec2.send(new DescribeImagesCommand({ ImageIds: ["ami-0123456789abcdef0"] }))))
        .name,
      "InvalidAMIID.NotFound",
    );
  });

  // On AWS, Owners=["amazon"] means images whose owner alias is amazon, not Canonical's.
  it("moto lacks owner aliases: Owners=[amazon] also returns Ubuntu's images", async () => {
    const { ec2 } = get();
    const images = (await ec2.send(new DescribeImagesCommand({ Owners: ["amazon"] }))).Images ?? [];
    assert.ok(images.some((i) => i.OwnerId === CANONICAL && i.ImageOwnerAlias === "amazon"));
  });

  // On AWS, RegisterImage's TagSpecifications tag the new image.
  it("moto lacks RegisterImage TagSpecifications: the image is registered untagged", async () => {
    const { ec2, run } = get();
    const registered = await ec2.send(
      new RegisterImageCommand({
        Name: `${run}-image`,
        Architecture: "arm64",
        RootDeviceName: "/dev/xvda",
        TagSpecifications: [
          { ResourceType: "image", Tags: [{ Key: "carpool/image", Value: run }] },
        ],
      }),
    );
    const image = (
      await ec2.send(new DescribeImagesCommand({ ImageIds: [registered.ImageId ?? ""] }))
    ).Images?.[0];
    assert.equal(image?.OwnerId, "123456789012");
    assert.deepEqual(image?.Tags ?? [], []);
  });

  it("CreateLaunchTemplate keeps every field; DescribeLaunchTemplates by tag; DeleteLaunchTemplate", async () => {
    const { ec2, ssm, run } = get();
    const net = await createNetwork(ec2, run);
    const imageId = await al2023ImageId(ssm);
    const name = `${run}-template`;
    const userData = Buffer.from("#!/bin/bash\necho joined\n").toString("base64");
    const data = {
      ImageId: imageId,
      UserData: userData,
      BlockDeviceMappings: [
        {
          DeviceName: "/dev/xvda",
          Ebs: {
            VolumeSize: 20,
            VolumeType: "gp3" as const,
            Encrypted: true,
            DeleteOnTermination: true,
          },
        },
      ],
      MetadataOptions: {
        HttpTokens: "required" as const,
        HttpPutResponseHopLimit: 1,
        HttpEndpoint: "enabled" as const,
      },
      NetworkInterfaces: [
        { DeviceIndex: 0, Groups: [net.securityGroupId], AssociatePublicIpAddress: false },
      ],
      TagSpecifications: [
        {
          ResourceType: "instance" as const,
          Tags: [{ Key: "karpenter.sh/nodepool", Value: "probe" }],
        },
      ],
    };
    const created = await ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: name,
        LaunchTemplateData: data,
        TagSpecifications: [
          {
            ResourceType: "launch-template",
            Tags: [{ Key: "karpenter.k8s.aws/cluster", Value: run }],
          },
        ],
      }),
    );
    const id = created.LaunchTemplate?.LaunchTemplateId;
    assert.match(id ?? "", /^lt-[0-9a-f]+$/);
    assert.equal(created.LaunchTemplate?.LatestVersionNumber, 1);
    const version = (
      await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: name }))
    ).LaunchTemplateVersions?.[0]?.LaunchTemplateData;
    assert.equal(version?.UserData, userData);
    assert.equal(version?.ImageId, imageId);
    assert.deepEqual(version?.BlockDeviceMappings, data.BlockDeviceMappings);
    assert.deepEqual(version?.MetadataOptions, data.MetadataOptions);
    assert.deepEqual(version?.NetworkInterfaces, data.NetworkInterfaces);
    const byTag = await ec2.send(
      new DescribeLaunchTemplatesCommand({
        Filters: [{ Name: "tag:karpenter.k8s.aws/cluster", Values: [run] }],
      }),
    );
    assert.deepEqual(
      (byTag.LaunchTemplates ?? []).map((t) => [t.LaunchTemplateId, t.LaunchTemplateName]),
      [[id, name]],
    );
    await ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateName: name }));
    assert.equal(
      (await failure(ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: [name] }))))
        .name,
      "InvalidLaunchTemplateName.NotFoundException",
    );
  });

  it("DescribeInstanceTypes: full shapes of ~1400 types; an unknown type is InvalidInstanceType", async () => {
    const { ec2 } = get();
    const all = (await ec2.send(new DescribeInstanceTypesCommand({}))).InstanceTypes ?? [];
    assert.ok(all.length > 1000, `${all.length} types`);
    const m5 = (await ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ["m5.large"] })))
      .InstanceTypes?.[0];
    assert.equal(m5?.VCpuInfo?.DefaultVCpus, 2);
    assert.equal(m5?.MemoryInfo?.SizeInMiB, 8192);
    assert.deepEqual(m5?.ProcessorInfo?.SupportedArchitectures, ["x86_64"]);
    assert.deepEqual(m5?.SupportedUsageClasses, ["on-demand", "spot"]);
    assert.equal(m5?.NetworkInfo?.MaximumNetworkInterfaces, 3);
    assert.equal(m5?.NetworkInfo?.Ipv4AddressesPerInterface, 10);
    const arm = await ec2.send(
      new DescribeInstanceTypesCommand({
        Filters: [{ Name: "processor-info.supported-architecture", Values: ["arm64"] }],
      }),
    );
    assert.ok(
      (arm.InstanceTypes ?? []).every((t) =>
        t.ProcessorInfo?.SupportedArchitectures?.includes("arm64"),
      ),
    );
    assert.equal(
      (
        await failure(
          ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ["foo.bar" as never] })),
        )
      ).name,
      "InvalidInstanceType",
    );
  });

  // On AWS, MaxResults caps a page (at most 100 types) and NextToken leads to the next.
  it("moto lacks paging of DescribeInstanceTypes and DescribeInstanceTypeOfferings", async () => {
    const { ec2 } = get();
    const types = await ec2.send(new DescribeInstanceTypesCommand({ MaxResults: 5 }));
    assert.ok((types.InstanceTypes?.length ?? 0) > 5);
    assert.equal(types.NextToken, undefined);
    const offerings = await ec2.send(
      new DescribeInstanceTypeOfferingsCommand({
        LocationType: "availability-zone",
        MaxResults: 5,
      }),
    );
    assert.ok((offerings.InstanceTypeOfferings?.length ?? 0) > 5);
    assert.equal(offerings.NextToken, undefined);
  });

  it("DescribeInstanceTypeOfferings by availability-zone: one offering per type and zone", async () => {
    const { ec2 } = get();
    const m5 = await ec2.send(
      new DescribeInstanceTypeOfferingsCommand({
        LocationType: "availability-zone",
        Filters: [{ Name: "instance-type", Values: ["m5.large"] }],
      }),
    );
    assert.deepEqual(
      (m5.InstanceTypeOfferings ?? []).map((o) => [o.InstanceType, o.LocationType, o.Location]),
      ["a", "b", "c", "d"].map((z) => ["m5.large", "availability-zone", `us-west-2${z}`]),
    );
  });

  // On AWS, spot prices differ by type and zone and move over time.
  it("moto lacks spot prices: DescribeSpotPriceHistory answers 0.00001 for every type and zone", async () => {
    const { ec2 } = get();
    const history = await ec2.send(
      new DescribeSpotPriceHistoryCommand({
        InstanceTypes: ["m5.large", "c5.xlarge"],
        ProductDescriptions: ["Linux/UNIX"],
      }),
    );
    const rows = history.SpotPriceHistory ?? [];
    assert.equal(rows.length, 8);
    for (const row of rows) {
      assert.equal(row.SpotPrice, "0.00001");
      assert.equal(row.ProductDescription, "Linux/UNIX (Amazon VPC)");
      assert.equal(row.Timestamp?.toISOString(), "2006-01-02T15:04:05.000Z");
    }
  });
}
