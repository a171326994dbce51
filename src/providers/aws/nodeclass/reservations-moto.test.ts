// Capacity reservations end to end through the real SDK against moto: the EC2NodeClass controller
// resolves the class's reservation into status, the live instance types offer it as `reserved`,
// and the provider launches a claim into it with moto's CreateLaunchTemplate and CreateFleet.
// moto 5.2.5 has no DescribeCapacityReservations (test/cluster/aws/MOTO.md), so that one call —
// and only it — is answered by a stand-in here; every other call goes to moto. Needs
// AWS_ENDPOINT_URL (scripts/dev-cluster up --with-aws; eval "$(scripts/dev-cluster env)").
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type CapacityReservation,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DescribeCapacityReservationsCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { PricingClient } from "@aws-sdk/client-pricing";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import type { NodeClaim } from "../../../api/nodeclaim.ts";
import type { EC2NodeClass } from "../../../api/nodeclass.ts";
import { Labels } from "../../../api/wellknown.ts";
import { InMemoryClusterStore } from "../../../sim/store.ts";
import type { SdkClient } from "../catalog-source.ts";
import { AwsCloudProvider } from "../cloud-provider.ts";
import { LiveInstanceTypes } from "../instance-types/live-instance-types.ts";
import { parseInstanceID } from "../provider-id.ts";
import { CapacityReservations } from "./capacity-reservations.ts";
import { EC2NodeClassController } from "./controller.ts";
import { fakeSsm } from "./fake-world.test-helpers.ts";

const endpoint = process.env.AWS_ENDPOINT_URL;
const skip =
  endpoint === undefined
    ? 'AWS_ENDPOINT_URL is unset: run moto (scripts/dev-cluster up --with-aws; eval "$(scripts/dev-cluster env)") to enable'
    : false;
const region = "us-west-2";
const config = {
  endpoint,
  region,
  credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
};
const run = `carpool-cr-${process.pid}-${Date.now()}`;

/** moto, except DescribeCapacityReservations, which moto lacks: answered from `reservations`. */
class MotoWithReservations implements SdkClient {
  readonly #moto: EC2Client;
  readonly reservations: CapacityReservation[] = [];
  constructor(moto: EC2Client) {
    this.#moto = moto;
  }
  async send(command: object): Promise<unknown> {
    if (command instanceof DescribeCapacityReservationsCommand) {
      // As EC2 answers a query by ID (the only kind this test sends): that reservation, if active.
      const ids = command.input.CapacityReservationIds ?? [];
      return {
        CapacityReservations: this.reservations.filter(
          (r) => ids.includes(r.CapacityReservationId ?? "") && r.State === "active",
        ),
      };
    }
    return this.#moto.send(command as never);
  }
}

describe("capacity reservations against moto (DescribeCapacityReservations stood in)", {
  skip,
}, () => {
  it("a reservation in status, offered as reserved with its zone ID, launched into with a targeting template; the count follows the launch", async () => {
    const moto = new EC2Client(config);
    const iam = new IAMClient(config);
    const vpc = await moto.send(new CreateVpcCommand({ CidrBlock: "10.78.0.0/16" }));
    const subnet = await moto.send(
      new CreateSubnetCommand({
        VpcId: vpc.Vpc?.VpcId,
        CidrBlock: "10.78.1.0/24",
        AvailabilityZone: "us-west-2a",
        TagSpecifications: [
          { ResourceType: "subnet", Tags: [{ Key: "carpool-test/run", Value: run }] },
        ],
      }),
    );
    const group = await moto.send(
      new CreateSecurityGroupCommand({
        GroupName: run,
        Description: "nodes",
        VpcId: vpc.Vpc?.VpcId,
      }),
    );
    // moto's own public parameter names a current al2023 image that DescribeImages knows.
    const image = (
      await new SSMClient(config).send(
        new GetParameterCommand({
          Name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
        }),
      )
    ).Parameter?.Value;
    assert.ok(image);
    await moto.send(
      new CreateTagsCommand({
        Resources: [image],
        Tags: [{ Key: "carpool-test/run", Value: run }],
      }),
    );
    const role = `${run}-node`;
    await iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: "{}" }));

    const ec2 = new MotoWithReservations(moto);
    const reservationId = "cr-0123456789abcdef0";
    ec2.reservations.push({
      CapacityReservationId: reservationId,
      InstanceType: "m5.large",
      AvailabilityZone: "us-west-2a",
      OwnerId: "123456789012",
      InstanceMatchCriteria: "targeted",
      State: "active",
      AvailableInstanceCount: 2,
      TotalInstanceCount: 2,
    });
    const clock = { now: () => new Date() };
    const reservations = new CapacityReservations(ec2, clock);
    const store = new InMemoryClusterStore(() => new Date());
    await store.create({
      apiVersion: "karpenter.k8s.aws/v1",
      kind: "EC2NodeClass",
      metadata: { name: run, generation: 1 },
      spec: {
        amiFamily: "AL2023",
        amiSelectorTerms: [{ tags: { "carpool-test/run": run } }],
        subnetSelectorTerms: [{ tags: { "carpool-test/run": run } }],
        securityGroupSelectorTerms: [{ id: group.GroupId }],
        capacityReservationSelectorTerms: [{ id: reservationId }],
        role,
      },
    } as unknown as EC2NodeClass);
    const controller = new EC2NodeClassController({
      store,
      events: { record: () => {} },
      clock,
      ec2,
      ssm: fakeSsm({}),
      iam,
      clusterName: run,
      region,
      kubernetesVersion: "1.36",
      capacityReservations: reservations,
    });
    await controller.reconcile();
    const nodeClass = (await store.get("EC2NodeClass", run)) as EC2NodeClass;
    const conditions = Object.fromEntries(
      (nodeClass.status?.conditions ?? []).map((c) => [c.type, c.status]),
    );
    assert.equal(conditions.CapacityReservationsReady, "True");
    assert.equal(conditions.Ready, "True", JSON.stringify(nodeClass.status?.conditions));
    assert.deepEqual(nodeClass.status?.capacityReservations, [
      {
        availabilityZone: "us-west-2a",
        id: reservationId,
        instanceMatchCriteria: "targeted",
        instanceType: "m5.large",
        ownerID: "123456789012",
        reservationType: "default",
        state: "active",
      },
    ]);
    assert.equal(nodeClass.status?.subnets?.[0]?.id, subnet.Subnet?.SubnetId);
    const zoneID = nodeClass.status?.subnets?.[0]?.zoneID;
    assert.match(zoneID ?? "", /^usw2-az\d$/, "moto's subnet gives its zone ID");

    // Shapes and zones from moto; moto has no Pricing, so the built-in catalog prices m5.large.
    const live = new LiveInstanceTypes({
      ec2,
      pricing: new PricingClient({ ...config, region: "us-east-1" }),
      clock,
      region,
      reservations,
    });
    const types = (await live.instanceTypesFor(nodeClass)).filter((t) => t.name === "m5.large");
    const reserved = types[0]?.offerings.find((o) => o.capacityType === "reserved");
    assert.equal(reserved?.available, true);
    assert.equal(reserved?.reservationCapacity, 2);
    assert.equal(reserved?.labels?.[Labels.awsZoneID], zoneID);
    assert.equal(reserved?.labels?.[Labels.awsCapacityReservationID], reservationId);

    const provider = new AwsCloudProvider({
      store,
      clock,
      ec2,
      clusterName: run,
      region,
      instanceTypes: async () => types,
      userData: async () => ({ format: "shell", content: "#!/bin/sh\n", secrets: [] }),
      reservations,
    });
    const claim: NodeClaim = {
      apiVersion: "karpenter.sh/v1",
      kind: "NodeClaim",
      metadata: { name: `${run}-a`, labels: { [Labels.nodePool]: "reserved" } },
      spec: {
        nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: run },
        requirements: [
          { key: Labels.capacityType, operator: "In", values: ["reserved", "on-demand"] },
        ],
      },
    };
    const launched = await provider.create(claim);
    assert.equal(launched.metadata.labels?.[Labels.capacityType], "reserved");
    assert.equal(launched.metadata.labels?.[Labels.awsCapacityReservationID], reservationId);
    assert.equal(launched.metadata.labels?.[Labels.awsZoneID], zoneID);
    assert.equal(reservations.availableCount(reservationId), 1, "one taken by the launch");

    // moto keeps the template as sent: it targets the reservation and may run nowhere else.
    const id = parseInstanceID(launched.status?.providerID ?? "") ?? "";
    const described = await moto.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    const instance = described.Reservations?.[0]?.Instances?.[0];
    assert.equal(instance?.InstanceType, "m5.large");
    const templates = await moto.send(new DescribeLaunchTemplatesCommand({}));
    const ofRun = templates.LaunchTemplates?.filter((t) =>
      t.LaunchTemplateName?.startsWith(`carpool/${run}/`),
    );
    assert.equal(ofRun?.length, 1, "one template: the reservation's");
    const versions = await moto.send(
      new DescribeLaunchTemplateVersionsCommand({
        LaunchTemplateName: ofRun?.[0]?.LaunchTemplateName,
      }),
    );
    assert.deepEqual(
      versions.LaunchTemplateVersions?.[0]?.LaunchTemplateData?.CapacityReservationSpecification,
      {
        CapacityReservationPreference: "capacity-reservations-only",
        CapacityReservationTarget: { CapacityReservationId: reservationId },
      },
    );

    // moto's instance names no CapacityReservationId (MOTO.md), so deleting it gives nothing back
    // here; the unit tests (launch/reserved-launch.test.ts) check MarkTerminated.
    await provider.delete(launched);
    assert.equal(instance?.CapacityReservationId, undefined);
    assert.equal(reservations.availableCount(reservationId), 1);
  });
});
