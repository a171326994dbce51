// The EC2NodeClass controller and the live instance types end to end through the real AWS SDK,
// against moto (test/cluster/aws/MOTO.md says what moto does and lacks). Needs AWS_ENDPOINT_URL:
//   scripts/dev-cluster up --with-aws && eval "$(scripts/dev-cluster env)"
//   (or: moto_server -H 127.0.0.1 -p 5066 & export AWS_ENDPOINT_URL=http://127.0.0.1:5066)
//   node_modules/.bin/node --import tsx --test src/providers/aws/nodeclass/moto.test.ts
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { CreateRoleCommand, GetInstanceProfileCommand, IAMClient } from "@aws-sdk/client-iam";
import { PricingClient } from "@aws-sdk/client-pricing";
import { GetParameterCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import type { EC2NodeClass } from "../../../api/nodeclass.ts";
import { awsCatalog } from "../../../catalog/aws-catalog.ts";
import type { RecordedEvent } from "../../../ports/event-recorder.ts";
import { InMemoryClusterStore } from "../../../sim/store.ts";
import type { SdkClient } from "../catalog-source.ts";
import { LiveInstanceTypes } from "../instance-types/live-instance-types.ts";
import { EC2NodeClassController } from "./controller.ts";
import { fakeSsm } from "./fake-world.test-helpers.ts";

const endpoint = process.env.AWS_ENDPOINT_URL;
const skip =
  endpoint === undefined
    ? 'AWS_ENDPOINT_URL is unset: run moto (scripts/dev-cluster up --with-aws; eval "$(scripts/dev-cluster env)") to enable'
    : false;
const config = (region: string) => ({
  endpoint,
  region,
  credentials: {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? "testing",
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? "testing",
  },
});
const run = `carpool-nc-${process.pid}-${Date.now()}`;
const region = "us-west-2";
const tag = { Key: "carpool-test/run", Value: run };

/** A VPC with two tagged subnets and a tagged security group, a role, and an image named by SSM. */
let made: ReturnType<typeof makeCloud> | undefined;
/** One cloud per test process: moto keeps its state for the server's life. */
const cloud = () => {
  made ??= makeCloud();
  return made;
};

async function makeCloud() {
  const ec2 = new EC2Client(config(region));
  const ssm = new SSMClient(config(region));
  const iam = new IAMClient(config(region));
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.77.0.0/16" }));
  const vpcId = vpc.Vpc?.VpcId;
  const subnet = (zone: string, cidr: string) =>
    ec2.send(
      new CreateSubnetCommand({
        VpcId: vpcId,
        CidrBlock: cidr,
        AvailabilityZone: zone,
        TagSpecifications: [{ ResourceType: "subnet", Tags: [tag] }],
      }),
    );
  const small = await subnet("us-west-2a", "10.77.1.0/26");
  const large = await subnet("us-west-2b", "10.77.16.0/20");
  const group = await ec2.send(
    new CreateSecurityGroupCommand({
      GroupName: `${run}-nodes`,
      Description: "nodes",
      VpcId: vpcId,
      TagSpecifications: [
        {
          ResourceType: "security-group",
          Tags: [tag, { Key: `carpool-test/${run}`, Value: "nodes" }],
        },
      ],
    }),
  );
  const role = `${run}-node`;
  await iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: "{}" }));
  // moto's own public parameter names a current al2023 image that DescribeImages knows.
  const image = (
    await ssm.send(
      new GetParameterCommand({
        Name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
      }),
    )
  ).Parameter?.Value;
  assert.ok(image);
  await ec2.send(new CreateTagsCommand({ Resources: [image], Tags: [tag] }));
  const parameter = `/carpool-test/${run}/image`;
  await ssm.send(
    new PutParameterCommand({
      Name: parameter,
      Value: image,
      Type: "String",
      DataType: "aws:ec2:image",
    }),
  );
  return {
    ec2,
    ssm,
    iam,
    role,
    image,
    parameter,
    subnets: { small: small.Subnet?.SubnetId, large: large.Subnet?.SubnetId },
    group: group.GroupId,
  };
}

const nodeClass = (spec: Record<string, unknown>): EC2NodeClass =>
  ({
    apiVersion: "karpenter.k8s.aws/v1",
    kind: "EC2NodeClass",
    metadata: { name: run, generation: 1 },
    spec: {
      subnetSelectorTerms: [{ tags: { "carpool-test/run": run } }],
      // `*`: any value of a key only this run uses (moto keeps earlier runs' groups).
      securityGroupSelectorTerms: [
        { tags: { [`carpool-test/${run}`]: "*" } },
        { name: `${run}-nodes` },
      ],
      ...spec,
    },
  }) as unknown as EC2NodeClass;

async function reconcile(
  spec: Record<string, unknown>,
  aws: Awaited<ReturnType<typeof makeCloud>>,
  ssm: SdkClient = aws.ssm,
) {
  const store = new InMemoryClusterStore(() => new Date());
  await store.create(nodeClass(spec));
  const events: RecordedEvent[] = [];
  const controller = new EC2NodeClassController({
    store,
    events: { record: (e) => events.push(e) },
    clock: { now: () => new Date() },
    ec2: aws.ec2,
    ssm,
    iam: aws.iam,
    clusterName: "moto",
    region,
    kubernetesVersion: "1.36",
  });
  await controller.reconcile();
  const read = async () => (await store.get("EC2NodeClass", run)) as EC2NodeClass;
  return { store, controller, events, read };
}

describe("EC2NodeClass status against moto, through the real SDK", { skip }, () => {
  it("tag, name and ssmParameter terms and spec.role resolve to status; every condition True; deletion removes the profile", async () => {
    const aws = await cloud();
    const t = await reconcile(
      { role: aws.role, amiFamily: "AL2023", amiSelectorTerms: [{ ssmParameter: aws.parameter }] },
      aws,
    );
    const nc = await t.read();
    const status = nc.status;
    assert.deepEqual(
      status?.subnets?.map((s) => [s.id, s.zone]),
      [
        [aws.subnets.large, "us-west-2b"],
        [aws.subnets.small, "us-west-2a"],
      ],
      "the subnet with more free addresses first",
    );
    assert.ok(status?.subnets?.every((s) => s.zoneID?.startsWith("usw2-az")));
    assert.deepEqual(
      status?.securityGroups?.map((g) => g.id),
      [aws.group],
    );
    assert.deepEqual(
      status?.amis?.map((a) => [a.id, a.requirements]),
      [[aws.image, [{ key: "kubernetes.io/arch", operator: "In", values: ["amd64"] }]]],
    );
    assert.deepEqual(
      status?.conditions?.map((c) => `${c.type}=${c.status}`),
      [
        "SubnetsReady",
        "SecurityGroupsReady",
        "AMIsReady",
        "InstanceProfileReady",
        "CapacityReservationsReady",
        "ValidationSucceeded",
        "Ready",
      ].map((c) => `${c}=True`),
    );
    const profile = await aws.iam.send(
      new GetInstanceProfileCommand({ InstanceProfileName: status?.instanceProfile }),
    );
    assert.deepEqual(
      profile.InstanceProfile?.Roles?.map((r) => r.RoleName),
      [aws.role],
    );
    assert.ok(
      profile.InstanceProfile?.Tags?.some(
        (x) => x.Key === "karpenter.k8s.aws/ec2nodeclass" && x.Value === run,
      ),
    );

    await t.store.delete({ kind: "EC2NodeClass", name: run });
    await t.controller.reconcile();
    assert.equal(await t.store.get("EC2NodeClass", run), undefined);
    await assert.rejects(
      aws.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: status?.instanceProfile })),
      (e: Error) => e.name === "NoSuchEntityException",
    );
  });

  it("a tags term on images; an instanceProfile moto does not have is InstanceProfileNotFound", async () => {
    const aws = await cloud();
    const t = await reconcile(
      {
        instanceProfile: `${run}-missing`,
        amiFamily: "AL2023",
        amiSelectorTerms: [{ tags: { "carpool-test/run": run } }],
      },
      aws,
    );
    const nc = await t.read();
    assert.deepEqual(
      nc.status?.amis?.map((a) => a.id),
      [aws.image],
    );
    const byType = Object.fromEntries(
      (nc.status?.conditions ?? []).map((c) => [c.type, `${c.status} ${c.reason}`]),
    );
    assert.equal(byType.InstanceProfileReady, "False InstanceProfileNotFound");
    assert.equal(byType.Ready, "False UnhealthyDependents");
  });

  it("moto lacks the EKS SSM parameters: al2023@latest through a stand-in GetParameter, DescribeImages from moto", async () => {
    const aws = await cloud();
    const ssm = fakeSsm({
      "/aws/service/eks/optimized-ami/1.36/amazon-linux-2023/x86_64/standard/recommended/image_id":
        aws.image,
    });
    const t = await reconcile(
      { role: aws.role, amiSelectorTerms: [{ alias: "al2023@latest" }] },
      aws,
      ssm,
    );
    const amis = (await t.read()).status?.amis;
    assert.deepEqual(
      amis?.map((a) => a.id),
      [aws.image],
    );
    assert.deepEqual(
      amis?.[0]?.requirements.map((r) => `${r.key} ${r.operator}`),
      [
        "kubernetes.io/arch In",
        "karpenter.k8s.aws/instance-gpu-count DoesNotExist",
        "karpenter.k8s.aws/instance-accelerator-count DoesNotExist",
      ],
    );
    await t.store.delete({ kind: "EC2NodeClass", name: run });
    await t.controller.reconcile();
  });

  it("moto lacks Pricing GetProducts: live shapes, zones and spot prices from moto, on-demand prices from the built-in catalog", async () => {
    const warnings: string[] = [];
    const live = new LiveInstanceTypes({
      ec2: new EC2Client(config("us-east-1")),
      pricing: new PricingClient(config("us-east-1")),
      clock: { now: () => new Date() },
      region: "us-east-1",
      log: { info: () => {}, warn: (_f, m) => warnings.push(m) },
    });
    const types = await live.instanceTypesFor({
      apiVersion: "karpenter.k8s.aws/v1",
      kind: "EC2NodeClass",
      metadata: { name: "live" },
      status: {
        subnets: [
          { id: "subnet-1", zone: "us-east-1a" },
          { id: "subnet-2", zone: "us-east-1b" },
        ],
      },
    } as EC2NodeClass);
    assert.ok(warnings.some((w) => w.startsWith("Pricing GetProducts")));
    const m5 = types.find((t) => t.name === "m5.large");
    const builtIn = awsCatalog("us-east-1").instanceTypes.find((t) => t.name === "m5.large");
    assert.ok(m5 && builtIn);
    assert.deepEqual(m5.allocatable, builtIn.allocatable);
    assert.deepEqual([...new Set(m5.offerings.map((o) => o.zone))].sort(), [
      "us-east-1a",
      "us-east-1b",
    ]);
    const onDemand = m5.offerings.find((o) => o.capacityType === "on-demand");
    assert.equal(
      onDemand?.price,
      builtIn.offerings.find((o) => o.capacityType === "on-demand")?.price,
    );
    assert.ok(
      m5.offerings.some((o) => o.capacityType === "spot" && o.price === 0.00001),
      "moto's flat spot price",
    );
  });
});
