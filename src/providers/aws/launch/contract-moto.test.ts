import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateFleetCommand,
  type CreateFleetCommandInput,
  type CreateFleetCommandOutput,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  type DescribeInstancesCommandOutput,
  EC2Client,
  RegisterImageCommand,
} from "@aws-sdk/client-ec2";
import { Labels } from "../../../api/wellknown.ts";
import { cloudProviderContract } from "../../../ports/cloud-provider.contract.ts";
import type { SdkClient } from "../catalog-source.ts";
import { parseInstanceID } from "../provider-id.ts";
import {
  claim,
  ec2NodeClass,
  instanceType,
  joinSecret,
  nodeClassRef,
  offering,
  providerWith,
} from "./fixtures.test-helpers.ts";
import { tagRecord } from "./tags.ts";

const endpoint = process.env.AWS_ENDPOINT_URL;
const skip =
  endpoint === undefined
    ? "needs an EC2 emulator: run moto (pip install 'moto[server]==5.2.5'; moto_server -p 5077) and set AWS_ENDPOINT_URL=http://127.0.0.1:5077"
    : false;

/** moto knows only real zones; the contract's zone `z1` stands for this one. */
const motoZone = "us-east-1a";

/**
 * moto's EC2 with two stand-ins moto cannot play. Capacity: moto never runs out, so CreateFleet
 * overrides of an exhausted type are taken out and answered as EC2 answers an instant fleet that
 * found no capacity for them (an Errors entry per override, InsufficientInstanceCapacity), and
 * the rest goes to moto. Zones: moto accepts only real ones, so `z1` is us-east-1a on the way in
 * and out. Everything else reaches moto unchanged.
 */
class MotoWithExhaustion implements SdkClient {
  readonly exhausted = new Set<string>();
  readonly #moto: EC2Client;
  constructor(moto: EC2Client) {
    this.#moto = moto;
  }

  async send(command: object): Promise<unknown> {
    if (command instanceof CreateFleetCommand) return this.#createFleet(command.input);
    const output = await this.#moto.send(command as never);
    if (command instanceof DescribeInstancesCommand)
      for (const r of (output as DescribeInstancesCommandOutput).Reservations ?? [])
        for (const i of r.Instances ?? [])
          if (i.Placement?.AvailabilityZone === motoZone) i.Placement.AvailabilityZone = "z1";
    return output;
  }

  async #createFleet(input: CreateFleetCommandInput): Promise<unknown> {
    const errors: NonNullable<CreateFleetCommandOutput["Errors"]> = [];
    const configs = (input.LaunchTemplateConfigs ?? []).map((config) => ({
      ...config,
      Overrides: (config.Overrides ?? []).filter((o) => {
        if (!this.exhausted.has(o.InstanceType ?? "")) return true;
        errors.push({
          ErrorCode: "InsufficientInstanceCapacity",
          ErrorMessage: `We currently do not have sufficient ${o.InstanceType} capacity in the Availability Zone you requested (${o.AvailabilityZone}).`,
          Lifecycle: "on-demand",
          LaunchTemplateAndOverrides: {
            LaunchTemplateSpecification: config.LaunchTemplateSpecification,
            Overrides: o,
          },
        });
        return false;
      }),
    }));
    const left = configs.filter((c) => c.Overrides.length > 0);
    if (left.length === 0) return { Instances: [], Errors: errors };
    const renamed = left.map((c) => ({
      ...c,
      Overrides: c.Overrides.map((o) => ({ ...o, AvailabilityZone: motoZone })),
    }));
    const output = await this.#moto.send(
      new CreateFleetCommand({ ...input, LaunchTemplateConfigs: renamed }),
    );
    for (const i of output.Instances ?? []) {
      const o = i.LaunchTemplateAndOverrides?.Overrides;
      if (o?.AvailabilityZone === motoZone) o.AvailabilityZone = "z1";
    }
    return { ...output, Errors: [...(output.Errors ?? []), ...errors] };
  }
}

let made = 0;

/** A fresh VPC, subnet, security group and image in moto, and a cluster name no other run uses. */
async function motoCluster() {
  const moto = new EC2Client({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  });
  const vpc = await moto.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }));
  const VpcId = vpc.Vpc?.VpcId ?? "";
  const subnet = await moto.send(
    new CreateSubnetCommand({ VpcId, CidrBlock: "10.0.1.0/24", AvailabilityZone: motoZone }),
  );
  const clusterName = `moto-${process.pid}-${++made}`;
  const group = await moto.send(
    new CreateSecurityGroupCommand({ GroupName: clusterName, Description: "nodes", VpcId }),
  );
  const image = await moto.send(
    new RegisterImageCommand({ Name: `${clusterName}-al2023`, RootDeviceName: "/dev/xvda" }),
  );
  const nodeClass = ec2NodeClass("default", {
    subnets: [{ id: subnet.Subnet?.SubnetId ?? "", zone: "z1" }],
    securityGroups: [{ id: group.GroupId ?? "" }],
    amis: [{ id: image.ImageId ?? "" }],
  });
  const client = new MotoWithExhaustion(moto);
  const types = [
    instanceType("cheap", [offering("z1", 0.05)]),
    instanceType("dear", [offering("z1", 0.1)]),
  ];
  const { provider } = await providerWith(client, nodeClass, types, clusterName);
  return { moto, client, provider, clusterName, imageId: image.ImageId ?? "" };
}

describe("CloudProvider contract: the aws provider against moto", { skip }, () => {
  cloudProviderContract(async () => {
    const { client, provider } = await motoCluster();
    return { provider, exhaust: (type) => void client.exhausted.add(type), nodeClassRef };
  });
});

describe("the aws provider's launches as moto records them", { skip }, () => {
  it("the instance carries carpool's tags, the AMI and the user data it was launched with", async () => {
    const { moto, provider, clusterName, imageId } = await motoCluster();
    const launched = await provider.create(
      claim("general-m1", [{ key: Labels.instanceType, operator: "In", values: ["dear"] }]),
    );
    const id = parseInstanceID(launched.status?.providerID ?? "") ?? "";
    const out = await moto.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    const instance = out.Reservations?.[0]?.Instances?.[0];
    assert.equal(instance?.InstanceType, "dear");
    assert.equal(instance?.ImageId, imageId);
    const tags = tagRecord(instance?.Tags);
    assert.deepEqual(
      {
        nodeClaim: tags["karpenter.sh/nodeclaim"],
        nodePool: tags["karpenter.sh/nodepool"],
        nodeClass: tags["karpenter.k8s.aws/ec2nodeclass"],
        owned: tags[`kubernetes.io/cluster/${clusterName}`],
        eks: tags["eks:eks-cluster-name"],
        name: tags.Name,
      },
      {
        nodeClaim: "general-m1",
        nodePool: "general",
        nodeClass: "default",
        owned: "owned",
        eks: clusterName,
        name: "general-m1",
      },
    );
    const attribute = await moto.send(
      new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: "userData" }),
    );
    const script = Buffer.from(attribute.UserData?.Value ?? "", "base64").toString("utf8");
    assert.equal(script, `#!/bin/sh\nnode=general-m1\ncapacity=on-demand\ntoken=${joinSecret}\n`);
    // The class's one template goes when the class does; nothing is left for a second call.
    const deleted = await provider.deleteLaunchTemplates("default");
    assert.equal(deleted.length, 1);
    assert.match(deleted[0] ?? "", new RegExp(`^carpool/${clusterName}/[0-9a-f]{16}$`));
    assert.deepEqual(await provider.deleteLaunchTemplates("default"), []);
  });
});
