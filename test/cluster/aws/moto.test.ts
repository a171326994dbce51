// What moto (the AWS emulator beside the dev cluster) really does for the calls carpool's AWS provider
// makes. Each test pins one behaviour; a test named "moto lacks …" asserts a gap and fails the day moto
// fills it — then update MOTO.md (the provider authors read it) and the provider's tests. The AWS
// behaviour each one is compared with is the EC2/SSM/IAM/SQS/Pricing/EKS API reference.
// Run alone: node_modules/.bin/node --import tsx --test test/cluster/aws/moto.test.ts
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { EC2Client } from "@aws-sdk/client-ec2";
import { EKSClient } from "@aws-sdk/client-eks";
import { IAMClient } from "@aws-sdk/client-iam";
import { PricingClient } from "@aws-sdk/client-pricing";
import { SQSClient } from "@aws-sdk/client-sqs";
import { SSMClient } from "@aws-sdk/client-ssm";
import { type DevCluster, describeWithDevCluster, startDevCluster } from "../harness.ts";
import { ec2Probes } from "./ec2-probes.ts";
import { fleetProbes } from "./fleet-probes.ts";
import { serviceProbes } from "./service-probes.ts";

export interface MotoClients {
  readonly ec2: EC2Client;
  readonly ssm: SSMClient;
  readonly iam: IAMClient;
  readonly sqs: SQSClient;
  readonly pricing: PricingClient;
  readonly eks: EKSClient;
  /** Unique per test process: moto keeps state for the life of the server, shared by every test. */
  readonly run: string;
}

describeWithDevCluster(
  "moto, the AWS emulator for the AWS provider's tests",
  () => {
    let cluster: DevCluster | undefined;
    let clients: MotoClients | undefined;
    const get = (): MotoClients => {
      assert.ok(clients, "the dev cluster with moto did not start");
      return clients;
    };
    before(async () => {
      cluster = await startDevCluster({ aws: true });
      const aws = cluster.aws;
      assert.ok(aws);
      clients = {
        ec2: new EC2Client(aws.clientConfig),
        ssm: new SSMClient(aws.clientConfig),
        iam: new IAMClient(aws.clientConfig),
        sqs: new SQSClient(aws.clientConfig),
        // The Price List API answers in us-east-1 (and a few others) only.
        pricing: new PricingClient({ ...aws.clientConfig, region: "us-east-1" }),
        eks: new EKSClient(aws.clientConfig),
        run: `carpool-${process.pid}`,
      };
    });
    after(async () => {
      await cluster?.down();
    });

    it("the harness hands out moto's loopback endpoint and test credentials", () => {
      const aws = cluster?.aws;
      assert.ok(aws);
      assert.match(aws.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(aws.region, "us-west-2");
      assert.deepEqual(aws.credentials, { accessKeyId: "testing", secretAccessKey: "testing" });
      assert.equal(aws.motoVersion, "5.2.5");
    });
    describe("EC2: zones, subnets, security groups, images, launch templates, instance types", () => {
      ec2Probes(get);
    });
    describe("EC2: CreateFleet type instant and the instances it launches", () => {
      fleetProbes(get);
    });
    describe("SSM, IAM, SQS, Pricing, EKS", () => {
      serviceProbes(get);
    });
  },
  { aws: true },
);
