// The provider's other AWS services as moto answers them: SSM (AMI aliases), IAM (instance profiles), SQS
// (the interruption queue), Pricing (on-demand prices) and EKS (cluster facts for user data).
import assert from "node:assert/strict";
import { it } from "node:test";
import { DescribeImagesCommand } from "@aws-sdk/client-ec2";
import { CreateClusterCommand, DescribeClusterCommand } from "@aws-sdk/client-eks";
import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  DeleteInstanceProfileCommand,
  GetInstanceProfileCommand,
  ListInstanceProfileTagsCommand,
  TagInstanceProfileCommand,
} from "@aws-sdk/client-iam";
import { GetProductsCommand } from "@aws-sdk/client-pricing";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import {
  GetParameterCommand,
  GetParametersByPathCommand,
  PutParameterCommand,
} from "@aws-sdk/client-ssm";
import { failure } from "./fixtures.ts";
import type { MotoClients } from "./moto.test.ts";

// The parameters Karpenter resolves for amiSelectorTerms alias al2023@latest and bottlerocket@latest.
const EKS_AL2023 =
  "/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/image_id";
const BOTTLEROCKET = "/aws/service/bottlerocket/aws-k8s-1.33/x86_64/latest/image_id";

export function serviceProbes(get: () => MotoClients): void {
  it("SSM: the Amazon Linux public parameters exist and name images DescribeImages knows", async () => {
    const { ssm, ec2 } = get();
    const path = await ssm.send(
      new GetParametersByPathCommand({ Path: "/aws/service/ami-amazon-linux-latest" }),
    );
    const names = (path.Parameters ?? []).map((p) => p.Name);
    assert.ok(names.includes("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64"));
    const parameter = (
      await ssm.send(
        new GetParameterCommand({
          Name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
        }),
      )
    ).Parameter;
    assert.equal(parameter?.Type, "String");
    const image = (
      await ec2.send(new DescribeImagesCommand({ ImageIds: [parameter?.Value ?? ""] }))
    ).Images?.[0];
    assert.match(image?.Name ?? "", /^al2023-ami-2023\..*-x86_64$/);
  });

  it("moto lacks the EKS optimized AMI and Bottlerocket SSM parameters", async () => {
    const { ssm } = get();
    for (const name of [EKS_AL2023, BOTTLEROCKET]) {
      assert.equal(
        (await failure(ssm.send(new GetParameterCommand({ Name: name })))).name,
        "ParameterNotFound",
        name,
      );
    }
    for (const path of ["/aws/service/eks", "/aws/service/bottlerocket"]) {
      const found = await ssm.send(new GetParametersByPathCommand({ Path: path, Recursive: true }));
      assert.deepEqual(found.Parameters ?? [], [], path);
    }
  });

  // AWS reserves /aws/ for its own parameters; a test must move the alias prefix out of it.
  it("SSM: PutParameter under /aws/service is refused; under another prefix it works", async () => {
    const { ssm, run } = get();
    const refused = await failure(
      ssm.send(new PutParameterCommand({ Name: EKS_AL2023, Value: "ami-0123", Type: "String" })),
    );
    assert.equal(refused.name, "AccessDeniedException");
    const name = `/${run}${EKS_AL2023}`;
    await ssm.send(
      new PutParameterCommand({
        Name: name,
        Value: "ami-0123456789abcdef0",
        Type: "String",
        DataType: "aws:ec2:image",
      }),
    );
    const stored = (await ssm.send(new GetParameterCommand({ Name: name }))).Parameter;
    assert.deepEqual([stored?.Value, stored?.DataType], ["ami-0123456789abcdef0", "aws:ec2:image"]);
  });

  it("IAM: CreateRole, CreateInstanceProfile with tags, AddRoleToInstanceProfile, GetInstanceProfile", async () => {
    const { iam, run } = get();
    const role = `${run}-node-role`;
    const profile = `${run}-profile`;
    await iam.send(
      new CreateRoleCommand({
        RoleName: role,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "ec2.amazonaws.com" },
              Action: "sts:AssumeRole",
            },
          ],
        }),
      }),
    );
    const created = await iam.send(
      new CreateInstanceProfileCommand({
        InstanceProfileName: profile,
        Path: "/karpenter/",
        Tags: [{ Key: "karpenter.k8s.aws/ec2nodeclass", Value: "default" }],
      }),
    );
    assert.equal(
      created.InstanceProfile?.Arn,
      `arn:aws:iam::123456789012:instance-profile/karpenter/${profile}`,
    );
    await iam.send(
      new AddRoleToInstanceProfileCommand({ InstanceProfileName: profile, RoleName: role }),
    );
    // AWS allows one role per instance profile.
    assert.deepEqual(
      await failure(
        iam.send(
          new AddRoleToInstanceProfileCommand({ InstanceProfileName: profile, RoleName: role }),
        ),
      ),
      { name: "LimitExceededException", status: 409 },
    );
    await iam.send(
      new TagInstanceProfileCommand({
        InstanceProfileName: profile,
        Tags: [{ Key: "karpenter.sh/managed-by", Value: run }],
      }),
    );
    const got = (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: profile })))
      .InstanceProfile;
    assert.deepEqual(
      (got?.Roles ?? []).map((r) => r.RoleName),
      [role],
    );
    assert.deepEqual(Object.fromEntries((got?.Tags ?? []).map((t) => [t.Key, t.Value])), {
      "karpenter.k8s.aws/ec2nodeclass": "default",
      "karpenter.sh/managed-by": run,
    });
    assert.deepEqual(
      await failure(
        iam.send(new GetInstanceProfileCommand({ InstanceProfileName: `${run}-none` })),
      ),
      { name: "NoSuchEntityException", status: 404 },
    );
    assert.deepEqual(
      await failure(iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: profile }))),
      { name: "DeleteConflictException", status: 409 },
    );
  });

  it("moto lacks IAM ListInstanceProfileTags (HTTP 500): tags come from GetInstanceProfile", async () => {
    const { iam, run } = get();
    const profile = `${run}-tags`;
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: profile }));
    const refused = await failure(
      iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: profile })),
    );
    assert.equal(refused.status, 500);
  });

  it("SQS: CreateQueue, SendMessage, ReceiveMessage long-polls (WaitTimeSeconds), DeleteMessage", async () => {
    const { sqs, run } = get();
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: `${run}-interruption` }));
    const QueueUrl = queue.QueueUrl;
    assert.match(
      QueueUrl ?? "",
      new RegExp(`^http://127\\.0\\.0\\.1:\\d+/123456789012/${run}-interruption$`),
    );
    const started = performance.now();
    const empty = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 2 }));
    const waited = performance.now() - started;
    assert.equal(empty.Messages, undefined);
    assert.ok(waited >= 1800, `an empty long poll answered after ${Math.round(waited)} ms`);
    const body = JSON.stringify({ "detail-type": "EC2 Spot Instance Interruption Warning" });
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    const sent = performance.now();
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10, MaxNumberOfMessages: 10 }),
    );
    assert.ok(performance.now() - sent < 5000, "a waiting message was not returned at once");
    assert.deepEqual(
      (received.Messages ?? []).map((m) => m.Body),
      [body],
    );
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl, ReceiptHandle: received.Messages?.[0]?.ReceiptHandle }),
    );
    const after = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
    assert.equal(after.Messages, undefined);
  });

  it("moto lacks the Pricing API: GetProducts fails with HTTP 500", async () => {
    const { pricing } = get();
    const refused = await failure(
      pricing.send(
        new GetProductsCommand({
          ServiceCode: "AmazonEC2",
          Filters: [{ Type: "TERM_MATCH", Field: "instanceType", Value: "m5.large" }],
        }),
      ),
    );
    assert.equal(refused.status, 500);
  });

  it("EKS: DescribeCluster after CreateCluster has endpoint, status ACTIVE and serviceIpv4Cidr", async () => {
    const { eks, run } = get();
    const given = `${run}-given`;
    const defaulted = `${run}-default`;
    const config = {
      roleArn: "arn:aws:iam::123456789012:role/eks",
      resourcesVpcConfig: { subnetIds: [] },
    };
    await eks.send(
      new CreateClusterCommand({
        name: given,
        ...config,
        kubernetesNetworkConfig: { serviceIpv4Cidr: "10.100.0.0/16" },
      }),
    );
    await eks.send(new CreateClusterCommand({ name: defaulted, ...config }));
    const cluster = (await eks.send(new DescribeClusterCommand({ name: given }))).cluster;
    assert.equal(cluster?.status, "ACTIVE");
    assert.match(
      cluster?.endpoint ?? "",
      /^https:\/\/[A-Za-z0-9.]+\.us-west-2\.eks\.amazonaws\.com\/$/,
    );
    assert.equal(cluster?.kubernetesNetworkConfig?.serviceIpv4Cidr, "10.100.0.0/16");
    assert.equal(cluster?.version, "1.19");
    const other = (await eks.send(new DescribeClusterCommand({ name: defaulted }))).cluster;
    assert.equal(other?.kubernetesNetworkConfig?.serviceIpv4Cidr, "172.20.0.0/16");
  });

  // On AWS, certificateAuthority.data is the base64 of the cluster CA's PEM certificate.
  it("moto lacks a real cluster CA: certificateAuthority.data is no base64 PEM certificate", async () => {
    const { eks, run } = get();
    const name = `${run}-ca`;
    await eks.send(
      new CreateClusterCommand({
        name,
        roleArn: "arn:aws:iam::123456789012:role/eks",
        resourcesVpcConfig: { subnetIds: [] },
      }),
    );
    const data = (await eks.send(new DescribeClusterCommand({ name }))).cluster
      ?.certificateAuthority?.data;
    assert.ok(data && data.length > 100);
    assert.ok(
      !Buffer.from(data, "base64").toString("latin1").includes("-----BEGIN CERTIFICATE-----"),
    );
  });
}
