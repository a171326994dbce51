// What several probes need in moto before they can ask their question: a tagged VPC with a subnet in two
// zones and a security group, the way a cluster's network looks to Karpenter's selector terms.
import assert from "node:assert/strict";
import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  type EC2Client,
} from "@aws-sdk/client-ec2";
import { GetParameterCommand, type SSMClient } from "@aws-sdk/client-ssm";

export interface TestNetwork {
  readonly vpcId: string;
  /** Subnets by zone: us-west-2a and us-west-2b. */
  readonly subnetA: string;
  readonly subnetB: string;
  readonly securityGroupId: string;
  /** The tag every resource here carries, as a discovery tag would be (karpenter.sh/discovery). */
  readonly discovery: { readonly key: string; readonly value: string };
}

let networks = 0;

export async function createNetwork(ec2: EC2Client, run: string): Promise<TestNetwork> {
  networks += 1;
  const value = `${run}-${networks}`;
  const discovery = { key: "karpenter.sh/discovery", value };
  const tags = (ResourceType: "vpc" | "subnet" | "security-group") => [
    { ResourceType, Tags: [{ Key: discovery.key, Value: value }] },
  ];
  // A /16 per network keeps the CIDRs of one test run apart (moto checks overlaps within a VPC only).
  const octet = networks % 250;
  const vpc = await ec2.send(
    new CreateVpcCommand({ CidrBlock: `10.${octet}.0.0/16`, TagSpecifications: tags("vpc") }),
  );
  const vpcId = vpc.Vpc?.VpcId;
  assert.ok(vpcId);
  const subnet = async (zone: string, cidr: string) => {
    const created = await ec2.send(
      new CreateSubnetCommand({
        VpcId: vpcId,
        CidrBlock: cidr,
        AvailabilityZone: zone,
        TagSpecifications: tags("subnet"),
      }),
    );
    assert.ok(created.Subnet?.SubnetId);
    return created.Subnet.SubnetId;
  };
  const subnetA = await subnet("us-west-2a", `10.${octet}.1.0/24`);
  const subnetB = await subnet("us-west-2b", `10.${octet}.2.0/24`);
  const group = await ec2.send(
    new CreateSecurityGroupCommand({
      GroupName: `${value}-nodes`,
      Description: "carpool moto probe",
      VpcId: vpcId,
      TagSpecifications: tags("security-group"),
    }),
  );
  assert.ok(group.GroupId);
  return { vpcId, subnetA, subnetB, securityGroupId: group.GroupId, discovery };
}

/** An Amazon Linux 2023 image moto knows, found the way AMI aliases are: through a public SSM parameter. */
export async function al2023ImageId(ssm: SSMClient): Promise<string> {
  const answer = await ssm.send(
    new GetParameterCommand({
      Name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    }),
  );
  const value = answer.Parameter?.Value;
  if (!value?.startsWith("ami-")) assert.fail(`no image id in ${JSON.stringify(answer.Parameter)}`);
  return value;
}

/** The SDK's error for a call moto refused or failed: its name and HTTP status. */
export async function failure(
  call: Promise<unknown>,
): Promise<{ name: string; status: number | undefined }> {
  try {
    await call;
  } catch (error) {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name ?? "Error", status: e.$metadata?.httpStatusCode };
  }
  assert.fail("the call succeeded");
}
