// EKS end to end (issue 13): `carpool controller --cloud-provider aws` against the dev cluster's real
// API server and moto, the AWS emulator, on loopback. EC2NodeClasses (AL2023 and Bottlerocket by
// alias), NodePools and Deployments are applied as a user would; the instances carpool launches in
// moto are booted by aws/ec2-kubelets.ts, which registers each Node from the user data it reads
// back from moto, so what is checked is the document carpool wrote. The one stand-in
// (aws/moto-stand-in.ts) answers only what moto lacks: the public EKS/Bottlerocket AMI parameters
// in SSM, and EC2 running out of capacity for a type.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import {
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  EC2Client,
  type Instance,
} from "@aws-sdk/client-ec2";
import { CreateClusterCommand, EKSClient } from "@aws-sdk/client-eks";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import type { Node } from "../../src/api/node.ts";
import type { NodeClaim } from "../../src/api/nodeclaim.ts";
import type { Pod } from "../../src/api/pod.ts";
import { createNetwork, type TestNetwork } from "../cluster/aws/fixtures.ts";
import {
  type DevCluster,
  describeWithDevCluster,
  pinnedKubernetesVersion,
  repoRoot,
  startDevCluster,
} from "../cluster/harness.ts";
import { Ec2Kubelets } from "./aws/ec2-kubelets.ts";
import { MotoStandIn } from "./aws/moto-stand-in.ts";
import { ClusterClient, type Manifest, waitFor } from "./cluster-client.ts";
import { ControllerProcess } from "./controller-process.ts";
import { deployment } from "./manifests.ts";

const run = randomBytes(3).toString("hex");
const clusterName = `e2e-${run}`;
const queueName = `carpool-interruption-${run}`;

describeWithDevCluster(
  "EKS: the AWS provider, EC2NodeClass and EKS bootstrap against moto",
  () => {
    let cluster: DevCluster;
    let client: ClusterClient;
    let ec2: EC2Client;
    let sqs: SQSClient;
    let standIn: MotoStandIn;
    let kubelets: Ec2Kubelets;
    let network: TestNetwork;
    let controller: ControllerProcess;
    let queueURL: string;
    let certificateAuthority: string;
    const scratch = mkdtempSync(join(tmpdir(), "carpool-aws-"));

    const claims = () => client.list<NodeClaim>("karpenter.sh/v1", "NodeClaim");
    const podsOf = async (app: string) =>
      (await client.list<Pod>("v1", "Pod", "default")).filter(
        (p) => p.metadata.labels?.app === app && !p.metadata.deletionTimestamp,
      );
    const running = (app: string, count: number) =>
      waitFor(
        `${count} ${app} pod(s) running`,
        async () => {
          const pods = await podsOf(app);
          return pods.length === count && pods.every((p) => p.status?.phase === "Running")
            ? pods
            : undefined;
        },
        180_000,
      );
    const instances = async (state = "running"): Promise<Instance[]> => {
      const answer = await ec2.send(
        new DescribeInstancesCommand({
          Filters: [
            { Name: `tag:kubernetes.io/cluster/${clusterName}`, Values: ["owned"] },
            { Name: "instance-state-name", Values: [state] },
          ],
        }),
      );
      return (answer.Reservations ?? []).flatMap((r) => r.Instances ?? []);
    };
    const tagsOf = (instance: Instance) =>
      Object.fromEntries((instance.Tags ?? []).map((t) => [t.Key, t.Value]));
    const instanceID = (claim: NodeClaim) => claim.status?.providerID?.split("/").at(-1) ?? "";

    const nodeClass = (name: string, alias: string, extra: Record<string, unknown> = {}) => ({
      apiVersion: "karpenter.k8s.aws/v1",
      kind: "EC2NodeClass",
      metadata: { name },
      spec: {
        amiSelectorTerms: [{ alias }],
        role: `KarpenterNodeRole-${clusterName}`,
        subnetSelectorTerms: [{ tags: { [network.discovery.key]: network.discovery.value } }],
        securityGroupSelectorTerms: [
          { tags: { [network.discovery.key]: network.discovery.value } },
        ],
        tags: { team: "e2e" },
        ...extra,
      },
    });
    const pool = (
      name: string,
      nodeClassName: string,
      types: string[],
      extra: Record<string, unknown> = {},
    ) => ({
      apiVersion: "karpenter.sh/v1",
      kind: "NodePool",
      metadata: { name },
      spec: {
        template: {
          spec: {
            nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: nodeClassName },
            requirements: [
              { key: "node.kubernetes.io/instance-type", operator: "In", values: types },
              { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
            ],
            ...extra,
          },
        },
        // Empty nodes go at once; busy ones stay, so the interruption below is what replaces one.
        disruption: {
          consolidationPolicy: "WhenEmpty",
          consolidateAfter: "0s",
          budgets: [{ nodes: "100%" }],
        },
      },
    });

    before(async () => {
      cluster = await startDevCluster({ aws: true });
      const aws = cluster.aws;
      assert.ok(aws, "moto runs beside the cluster");
      client = new ClusterClient(cluster.kubeconfig);
      ec2 = new EC2Client(aws.clientConfig);
      sqs = new SQSClient(aws.clientConfig);
      const ssm = new SSMClient(aws.clientConfig);
      certificateAuthority = readFileSync(join(cluster.dir, "pki", "ca.crt")).toString("base64");

      // The cloud as an EKS cluster's account has it: a tagged network, the node role, the
      // EKS cluster (its Service CIDR is what DescribeCluster gives the AL2023 bootstrap) and the
      // interruption queue.
      network = await createNetwork(ec2, `e2e-${run}`);
      await new IAMClient(aws.clientConfig).send(
        new CreateRoleCommand({
          RoleName: `KarpenterNodeRole-${clusterName}`,
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
      await new EKSClient(aws.clientConfig).send(
        new CreateClusterCommand({
          name: clusterName,
          roleArn: "arn:aws:iam::123456789012:role/eks",
          resourcesVpcConfig: { subnetIds: [network.subnetA, network.subnetB] },
          kubernetesNetworkConfig: { serviceIpv4Cidr: "10.100.0.0/16" },
        }),
      );
      queueURL = (await sqs.send(new CreateQueueCommand({ QueueName: queueName }))).QueueUrl ?? "";

      // moto has no EKS-optimized or Bottlerocket parameters: the stand-in answers them with
      // Amazon Linux images moto does have.
      const image = async (arch: string) =>
        (
          await ssm.send(
            new GetParameterCommand({
              Name: `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`,
            }),
          )
        ).Parameter?.Value ?? "";
      const [amd64, arm64] = [await image("x86_64"), await image("arm64")];
      const version = pinnedKubernetesVersion().replace(/^v?(\d+\.\d+).*$/, "$1");
      standIn = new MotoStandIn(aws.endpoint);
      for (const [arch, id] of [
        ["x86_64", amd64],
        ["arm64", arm64],
      ] as const) {
        standIn.parameters.set(
          `/aws/service/eks/optimized-ami/${version}/amazon-linux-2023/${arch}/standard/recommended/image_id`,
          id,
        );
        standIn.parameters.set(
          `/aws/service/bottlerocket/aws-k8s-${version}/${arch}/latest/image_id`,
          id,
        );
      }
      const endpoint = await standIn.start();

      for (const file of readdirSync(join(repoRoot, "crds")).sort())
        await client.applyFile(join(repoRoot, "crds", file));
      await waitFor("the CRDs served", () =>
        client.list("karpenter.k8s.aws/v1", "EC2NodeClass").then(() => true),
      );
      kubelets = new Ec2Kubelets({
        clusterName,
        clusterDir: cluster.dir,
        clientConfig: aws.clientConfig,
      });
      kubelets.start();
      controller = new ControllerProcess(
        cluster.kubeconfig,
        [
          "--cloud-provider",
          "aws",
          "--cluster-name",
          clusterName,
          "--cluster-endpoint",
          cluster.server,
          "--cluster-ca-bundle",
          certificateAuthority,
          "--region",
          aws.region,
          "--interruption-queue",
          queueName,
        ],
        {
          AWS_ENDPOINT_URL: endpoint,
          AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey,
          AWS_REGION: aws.region,
        },
      );
      await client.apply(nodeClass("default", "al2023@latest", { kubelet: { maxPods: 30 } }));
      await client.apply(
        nodeClass("bottlerocket", "bottlerocket@latest", {
          tags: { team: "e2e", os: "bottlerocket" },
        }),
      );
      await client.apply(pool("general", "default", ["m5.large", "m5.xlarge"]));
      await client.apply(
        pool("rocket", "bottlerocket", ["c5.large"], {
          taints: [{ key: "example.com/rocket", value: "true", effect: "NoSchedule" }],
        }),
      );
    });

    after(async () => {
      kubelets?.stop();
      if (controller !== undefined) {
        writeFileSync(
          join(scratch, "controller.log"),
          controller.lines.map((l) => JSON.stringify(l)).join("\n"),
        );
        await controller.kill().catch(() => {});
      }
      await standIn?.stop();
      await cluster?.down();
    });

    it("resolves each EC2NodeClass into its status: subnets, security groups, AMIs, instance profile, Ready", async () => {
      const ready = await waitFor(
        "both EC2NodeClasses Ready",
        async () => {
          const classes = await client.list<Manifest>("karpenter.k8s.aws/v1", "EC2NodeClass");
          const isReady = (c: Manifest) =>
            (
              c.status as { conditions?: { type: string; status: string }[] } | undefined
            )?.conditions?.some((k) => k.type === "Ready" && k.status === "True");
          return classes.length === 2 && classes.every(isReady) ? classes : undefined;
        },
        90_000,
      ).catch((error) => {
        throw new Error(`${(error as Error).message}\n${controller.tail()}`);
      });
      const status = ready.find((c) => c.metadata.name === "default")?.status as {
        subnets: { id: string; zone: string }[];
        securityGroups: { id: string }[];
        amis: { id: string }[];
        instanceProfile: string;
      };
      assert.deepEqual(
        status.subnets.map((s) => s.id).sort(),
        [network.subnetA, network.subnetB].sort(),
      );
      assert.deepEqual(
        status.securityGroups.map((g) => g.id),
        [network.securityGroupId],
      );
      assert.ok(status.amis.length > 0 && status.amis.every((a) => a.id.startsWith("ami-")));
      assert.ok(status.instanceProfile, "an instance profile made from spec.role");
    });

    it("launches EC2 instances for pending pods; they boot from carpool's user data and the pods run", async () => {
      await client.apply(
        deployment({ name: "web", replicas: 3, requests: { cpu: "1", memory: "1Gi" } }),
      );
      const web = await running("web", 3).catch((error) => {
        throw new Error(
          `${(error as Error).message}\nkubelets: ${kubelets.failures.join("; ")}\n${controller.tail()}`,
        );
      });
      const nodes = new Map(
        (await client.list<Node>("v1", "Node")).map((n) => [n.metadata.name, n]),
      );
      const live = new Map((await instances()).map((i) => [i.InstanceId ?? "", i]));
      for (const claim of (await claims()).filter(
        (c) => c.metadata.labels?.["karpenter.sh/nodepool"] === "general",
      )) {
        const instance = live.get(instanceID(claim));
        assert.ok(instance, `${claim.metadata.name}'s instance runs in moto`);
        // Karpenter's tags, and the class's own.
        const tags = tagsOf(instance);
        assert.equal(tags["karpenter.sh/nodepool"], "general");
        assert.equal(tags["karpenter.sh/nodeclaim"], claim.metadata.name);
        assert.equal(tags["karpenter.k8s.aws/ec2nodeclass"], "default");
        assert.equal(tags[`kubernetes.io/cluster/${clusterName}`], "owned");
        assert.equal(tags["eks:eks-cluster-name"], clusterName);
        assert.equal(tags.team, "e2e");
        assert.equal(
          claim.metadata.labels?.["node.kubernetes.io/instance-type"],
          instance.InstanceType,
        );
        assert.equal(
          claim.status?.providerID,
          `aws:///${instance.Placement?.AvailabilityZone}/${instance.InstanceId}`,
        );
        // What the instance booted from: a nodeadm NodeConfig naming this cluster.
        const booted = kubelets.booted.get(instance.InstanceId ?? "");
        assert.equal(booted?.format, "nodeadm");
        assert.equal(booted?.cluster.name, clusterName);
        assert.equal(booted?.cluster.apiServerEndpoint, cluster.server);
        assert.equal(booted?.cluster.certificateAuthority, certificateAuthority);
        assert.equal(booted?.maxPods, 30, "the class's kubelet.maxPods");
        assert.ok(
          booted?.taints.some(
            (t) => t.key === "karpenter.sh/unregistered" && t.effect === "NoExecute",
          ),
          "registered with karpenter.sh/unregistered, which carpool removes",
        );
        assert.equal(booted?.labels["karpenter.sh/nodepool"], "general");
        const node = nodes.get(booted?.nodeName);
        assert.equal(node?.spec?.providerID, claim.status?.providerID);
        assert.equal(claim.status?.nodeName, booted?.nodeName);
        assert.ok(
          !(node?.spec?.taints ?? []).some((t) => t.key === "karpenter.sh/unregistered"),
          "the unregistered taint is gone once the Node registered",
        );
      }
      for (const pod of web)
        assert.equal(
          nodes.get(pod.spec.nodeName)?.metadata.labels?.["karpenter.sh/nodepool"],
          "general",
        );
      // The launch template carries what moto does not copy onto instances (MOTO.md).
      const templates = await ec2.send(
        new DescribeLaunchTemplatesCommand({
          Filters: [{ Name: "tag:karpenter.k8s.aws/cluster", Values: [clusterName] }],
        }),
      );
      assert.ok((templates.LaunchTemplates ?? []).length > 0, "carpool's launch templates");
    });

    it("Bottlerocket: the TOML settings name the cluster, the pool's taint and labels, and a tolerating pod runs", async () => {
      const rocket = deployment({
        name: "rocket",
        replicas: 1,
        requests: { cpu: "500m", memory: "512Mi" },
      });
      const spec = (rocket.spec as { template: { spec: Record<string, unknown> } }).template.spec;
      spec.tolerations = [{ key: "example.com/rocket", operator: "Exists", effect: "NoSchedule" }];
      spec.nodeSelector = { "karpenter.sh/nodepool": "rocket" };
      await client.apply(rocket);
      const [pod] = await running("rocket", 1).catch((error) => {
        throw new Error(
          `${(error as Error).message}\nkubelets: ${kubelets.failures.join("; ")}\n${controller.tail()}`,
        );
      });
      const node = (await client.list<Node>("v1", "Node")).find(
        (n) => n.metadata.name === pod?.spec.nodeName,
      );
      const id = node?.spec?.providerID?.split("/").at(-1) ?? "";
      const booted = kubelets.booted.get(id);
      assert.equal(booted?.format, "bottlerocket");
      assert.equal(booted?.cluster.name, clusterName);
      assert.equal(booted?.cluster.apiServerEndpoint, cluster.server);
      assert.equal(booted?.cluster.certificateAuthority, certificateAuthority);
      assert.deepEqual(
        booted?.taints.filter((t) => t.key === "example.com/rocket"),
        [{ key: "example.com/rocket", value: "true", effect: "NoSchedule" }],
      );
      assert.equal(booted?.labels["karpenter.sh/nodepool"], "rocket");
      const instance = (await instances()).find((i) => i.InstanceId === id);
      assert.equal(instance && tagsOf(instance).os, "bottlerocket");
    });

    it("an instance type out of capacity: CreateFleet reports it and the claim launches on the next offering", async () => {
      standIn.exhausted.add("m5.large");
      await client.apply(
        deployment({ name: "batch", replicas: 1, requests: { cpu: "1500m", memory: "1Gi" } }),
      );
      const [pod] = await running("batch", 1);
      const node = (await client.list<Node>("v1", "Node")).find(
        (n) => n.metadata.name === pod?.spec.nodeName,
      );
      assert.equal(node?.metadata.labels?.["node.kubernetes.io/instance-type"], "m5.xlarge");
      assert.ok(standIn.refused.includes("m5.large"), "the fleet asked for m5.large first");
      await controller.waitForLog(
        "m5.large reported out of capacity",
        (l) =>
          l.message === "offerings out of capacity; launched another" &&
          JSON.stringify(l.offerings).includes("m5.large"),
      );
      standIn.exhausted.clear();
    });

    it("a spot interruption warning in the queue drains the node, replaces it, and the message is deleted", async () => {
      const before = (await claims()).filter(
        (c) =>
          c.metadata.labels?.["karpenter.sh/nodepool"] === "general" &&
          c.status?.nodeName &&
          c.metadata.deletionTimestamp === undefined,
      );
      const victim =
        before.find(
          (c) => c.metadata.labels?.["node.kubernetes.io/instance-type"] === "m5.xlarge",
        ) ?? before[0];
      assert.ok(victim);
      const id = instanceID(victim);
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueURL,
          MessageBody: JSON.stringify({
            version: "0",
            id: randomBytes(16).toString("hex"),
            "detail-type": "EC2 Spot Instance Interruption Warning",
            source: "aws.ec2",
            account: "123456789012",
            time: new Date().toISOString(),
            region: cluster.aws?.region,
            resources: [`arn:aws:ec2:${cluster.aws?.region}:123456789012:instance/${id}`],
            detail: { "instance-id": id, "instance-action": "terminate" },
          }),
        }),
      );
      await waitFor(
        `the interrupted claim ${victim.metadata.name} gone and its instance terminated`,
        async () =>
          !(await claims()).some((c) => c.metadata.name === victim.metadata.name) &&
          (await instances("terminated")).some((i) => i.InstanceId === id),
        180_000,
      );
      await running("web", 3);
      await running("batch", 1);
      // Handled, then deleted: nothing waits in the queue and nothing is in flight.
      await waitFor(
        "the interruption queue empty",
        async () => {
          const attributes = await sqs.send(
            new GetQueueAttributesCommand({
              QueueUrl: queueURL,
              AttributeNames: [
                "ApproximateNumberOfMessages",
                "ApproximateNumberOfMessagesNotVisible",
              ],
            }),
          );
          return (
            attributes.Attributes?.ApproximateNumberOfMessages === "0" &&
            attributes.Attributes?.ApproximateNumberOfMessagesNotVisible === "0"
          );
        },
        60_000,
      );
      await controller.waitForLog(
        `SpotInterrupted for ${victim.metadata.name}`,
        (l) => l.reason === "SpotInterrupted" && l.name === victim.metadata.name,
      );
    });

    it("scaled to zero, the nodes are consolidated away and their instances terminated", async () => {
      for (const name of ["web", "batch", "rocket"])
        await client.apply(
          deployment({ name, replicas: 0, requests: { cpu: "1", memory: "1Gi" } }),
        );
      await waitFor(
        "no NodeClaims and no running instances",
        async () => (await claims()).length === 0 && (await instances()).length === 0,
        240_000,
      ).catch(async (error) => {
        throw new Error(
          `${(error as Error).message}: ${(await claims()).map((c) => c.metadata.name).join(", ")}\n${controller.tail()}`,
        );
      });
    });

    it("stops on SIGTERM", async () => {
      assert.equal(await controller.stop(), 0);
    });
  },
  { aws: true },
);
