// Least privilege for the AWS provider (issues 13 and 15): the chart rendered with
// `settings.cloudProvider=aws` grants EC2NodeClasses list, watch, update (the termination
// finalizer and the drift hash) and status update. The controller runs as the chart's
// ServiceAccount against the dev cluster and moto through its job — a class resolved and Ready,
// a pod on an EC2 instance booted from carpool's user data, scaled away, the class deleted — and no
// request is refused; then, for each of those verbs, the same job fails without it. The rules every
// provider shares are proven by rbac.test.ts.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { EC2Client } from "@aws-sdk/client-ec2";
import { CreateClusterCommand, EKSClient } from "@aws-sdk/client-eks";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
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
import { renderChart } from "./helm.ts";
import { grants, type RbacRole, without } from "./rbac-grants.ts";
import { serviceAccountKubeconfig } from "./service-account.ts";

const namespace = "carpool-system";
const run = randomBytes(3).toString("hex");
const clusterName = `rbac-${run}`;

describeWithDevCluster(
  "least privilege: the chart's AWS provider RBAC on a real API server",
  () => {
    let cluster: DevCluster;
    let admin: ClusterClient;
    let clusterRole: RbacRole;
    let saKubeconfig: string;
    let network: TestNetwork;
    let standIn: MotoStandIn;
    let endpoint: string;
    let kubelets: Ec2Kubelets;
    const scratch = mkdtempSync(join(tmpdir(), "carpool-rbac-aws-"));
    const certificateAuthority = () =>
      readFileSync(join(cluster.dir, "pki", "ca.crt")).toString("base64");

    before(async () => {
      cluster = await startDevCluster({ aws: true });
      const aws = cluster.aws;
      assert.ok(aws);
      admin = new ClusterClient(cluster.kubeconfig);
      for (const file of readdirSync(join(repoRoot, "crds")).sort())
        await admin.applyFile(join(repoRoot, "crds", file));
      await admin.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
      const rendered = renderChart(namespace, [
        "settings.cloudProvider=aws",
        `settings.clusterName=${clusterName}`,
      ]);
      clusterRole = rendered.find((o) => o.kind === "ClusterRole") as RbacRole;
      for (const object of rendered.filter((o) =>
        ["ServiceAccount", "ClusterRoleBinding", "Role", "RoleBinding"].includes(o.kind),
      ))
        await admin.apply(object);
      await admin.apply(clusterRole);
      saKubeconfig = await serviceAccountKubeconfig(
        admin,
        cluster.kubeconfig,
        { namespace, name: rendered.find((o) => o.kind === "ServiceAccount")?.metadata.name ?? "" },
        join(scratch, "sa.kubeconfig"),
      );
      const ec2 = new EC2Client(aws.clientConfig);
      network = await createNetwork(ec2, clusterName);
      await new IAMClient(aws.clientConfig).send(
        new CreateRoleCommand({
          RoleName: `KarpenterNodeRole-${clusterName}`,
          AssumeRolePolicyDocument: "{}",
        }),
      );
      // The EKS cluster, whose Service CIDR AL2023 nodes need (DescribeCluster).
      await new EKSClient(aws.clientConfig).send(
        new CreateClusterCommand({
          name: clusterName,
          roleArn: "arn:aws:iam::123456789012:role/eks",
          resourcesVpcConfig: { subnetIds: [network.subnetA, network.subnetB] },
        }),
      );
      // moto has no EKS-optimized AMI parameter: the stand-in answers it (aws/moto-stand-in.ts).
      const image =
        (
          await new SSMClient(aws.clientConfig).send(
            new GetParameterCommand({
              Name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
            }),
          )
        ).Parameter?.Value ?? "";
      const version = pinnedKubernetesVersion().replace(/^v?(\d+\.\d+).*$/, "$1");
      standIn = new MotoStandIn(aws.endpoint);
      standIn.parameters.set(
        `/aws/service/eks/optimized-ami/${version}/amazon-linux-2023/x86_64/standard/recommended/image_id`,
        image,
      );
      endpoint = await standIn.start();
      kubelets = new Ec2Kubelets({
        clusterName,
        clusterDir: cluster.dir,
        clientConfig: aws.clientConfig,
      });
      kubelets.start();
      await waitFor("the CRDs served", () =>
        admin.list("karpenter.k8s.aws/v1", "EC2NodeClass").then(() => true),
      );
    });

    after(async () => {
      kubelets?.stop();
      await standIn?.stop();
      await cluster?.down();
    });

    function controller(): ControllerProcess {
      const aws = cluster.aws;
      assert.ok(aws);
      return new ControllerProcess(
        saKubeconfig,
        [
          "--cloud-provider",
          "aws",
          "--cluster-name",
          clusterName,
          "--cluster-endpoint",
          cluster.server,
          "--cluster-ca-bundle",
          certificateAuthority(),
          "--region",
          aws.region,
        ],
        {
          AWS_ENDPOINT_URL: endpoint,
          AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey,
        },
      );
    }

    const objects = (): Manifest[] => [
      {
        apiVersion: "karpenter.k8s.aws/v1",
        kind: "EC2NodeClass",
        metadata: { name: "default" },
        spec: {
          amiSelectorTerms: [{ alias: "al2023@latest" }],
          role: `KarpenterNodeRole-${clusterName}`,
          subnetSelectorTerms: [{ tags: { [network.discovery.key]: network.discovery.value } }],
          securityGroupSelectorTerms: [
            { tags: { [network.discovery.key]: network.discovery.value } },
          ],
        },
      },
      {
        apiVersion: "karpenter.sh/v1",
        kind: "NodePool",
        metadata: { name: "rbac" },
        spec: {
          template: {
            spec: {
              nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" },
              requirements: [
                { key: "node.kubernetes.io/instance-type", operator: "In", values: ["m5.large"] },
                { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
              ],
            },
          },
          disruption: {
            consolidationPolicy: "WhenEmpty",
            consolidateAfter: "0s",
            budgets: [{ nodes: "100%" }],
          },
        },
      },
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "mover", namespace: "default" },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: "mover" } },
          template: {
            metadata: { labels: { app: "mover" } },
            spec: {
              terminationGracePeriodSeconds: 0,
              containers: [
                {
                  name: "main",
                  image: "none",
                  resources: { requests: { cpu: "500m", memory: "256Mi" } },
                },
              ],
            },
          },
        },
      },
    ];

    /** The AWS provider's part of the job; throws naming the step that did not happen in time. */
    async function scenario(proc: ControllerProcess, patience: number): Promise<void> {
      const step = <T>(what: string, check: () => Promise<T | undefined>, ms: number) =>
        waitFor(what, check, ms * patience);
      await proc.waitForLog("start", (l) => l.message === "starting", 30_000 * patience);
      for (const object of objects()) await admin.apply(object);
      await step(
        "the EC2NodeClass Ready, with its finalizer and drift hash",
        async () => {
          const nc = await admin.get<Manifest>("karpenter.k8s.aws/v1", "EC2NodeClass", "default");
          const meta = nc?.metadata as
            | { finalizers?: string[]; annotations?: Record<string, string> }
            | undefined;
          const ready = (
            nc?.status as { conditions?: { type: string; status: string }[] } | undefined
          )?.conditions?.some((c) => c.type === "Ready" && c.status === "True");
          return ready &&
            meta?.finalizers?.includes("karpenter.k8s.aws/termination") &&
            meta.annotations?.["karpenter.k8s.aws/ec2nodeclass-hash"]
            ? true
            : undefined;
        },
        60_000,
      );
      await step(
        "the pod running on an EC2 instance carpool launched",
        async () => {
          const pods = (await admin.list<Pod>("v1", "Pod", "default")).filter(
            (p) => p.metadata.labels?.app === "mover" && p.status?.phase === "Running",
          );
          return pods.length === 1 ? true : undefined;
        },
        90_000,
      );
      await admin.patch("apps/v1", "Deployment", "mover", { spec: { replicas: 0 } }, "default");
      await step(
        "the empty node's NodeClaim removed",
        async () =>
          (await admin.list("karpenter.sh/v1", "NodeClaim")).length === 0 ? true : undefined,
        60_000,
      );
      await admin.delete("karpenter.sh/v1", "NodePool", "rbac");
      await admin.delete("karpenter.k8s.aws/v1", "EC2NodeClass", "default");
      await step(
        "the deleted EC2NodeClass released by its finalizer",
        async () =>
          (await admin.get("karpenter.k8s.aws/v1", "EC2NodeClass", "default")) === undefined
            ? true
            : undefined,
        30_000,
      );
      assert.ok(proc.running, `the controller is still running: ${proc.tail(5)}`);
    }

    async function reset(): Promise<void> {
      await admin.delete("apps/v1", "Deployment", "mover", "default");
      await admin.delete("karpenter.sh/v1", "NodePool", "rbac");
      for (const claim of await admin.list<NodeClaim>("karpenter.sh/v1", "NodeClaim")) {
        await admin.patch("karpenter.sh/v1", "NodeClaim", claim.metadata.name ?? "", {
          metadata: { finalizers: null },
        });
        await admin.delete("karpenter.sh/v1", "NodeClaim", claim.metadata.name ?? "");
      }
      if (await admin.get("karpenter.k8s.aws/v1", "EC2NodeClass", "default")) {
        await admin.patch("karpenter.k8s.aws/v1", "EC2NodeClass", "default", {
          metadata: { finalizers: null },
        });
        await admin.delete("karpenter.k8s.aws/v1", "EC2NodeClass", "default");
      }
      for (const node of await admin.list<Manifest>("v1", "Node"))
        await admin.delete("v1", "Node", node.metadata.name ?? "");
      for (const pod of await admin.list<Pod>("v1", "Pod", "default"))
        await admin.rest
          .request("DELETE", `/api/v1/namespaces/default/pods/${pod.metadata.name}`, {
            query: { gracePeriodSeconds: 0 },
          })
          .catch(() => {});
      await waitFor("a clean cluster", async () =>
        (await admin.list("v1", "Pod", "default")).length === 0 &&
        (await admin.list("karpenter.sh/v1", "NodeClaim")).length === 0 &&
        (await admin.list("karpenter.k8s.aws/v1", "EC2NodeClass")).length === 0
          ? true
          : undefined,
      );
    }

    it("the AWS provider does its job as the chart's ServiceAccount, and no request is refused", async () => {
      const proc = controller();
      try {
        await scenario(proc, 1);
        const refused = proc.lines.filter((l) =>
          /forbidden|refuses carpool/i.test(JSON.stringify(l)),
        );
        assert.deepEqual(refused, [], "no request refused");
      } catch (error) {
        throw new Error(
          `${(error as Error).message}\nkubelets: ${kubelets.failures.join("; ")}\n${proc.tail()}`,
        );
      } finally {
        await proc.kill();
        await reset();
      }
    });

    it("every verb the chart grants the AWS provider is needed: without any one of them the job fails", async (t) => {
      const awsGrants = grants(clusterRole).filter((g) =>
        clusterRole.rules[g.rule]?.apiGroups.includes("karpenter.k8s.aws"),
      );
      assert.deepEqual(
        awsGrants.map((g) => `${g.resource} ${g.verb}`),
        [
          "ec2nodeclasses list",
          "ec2nodeclasses watch",
          "ec2nodeclasses update",
          "ec2nodeclasses/status update",
        ],
      );
      for (const grant of awsGrants) {
        await t.test(`without ${grant.resource} ${grant.verb}`, async () => {
          await admin.apply(without(clusterRole, grant));
          const proc = controller();
          try {
            await assert.rejects(scenario(proc, 0.5));
          } finally {
            await proc.kill();
            await admin.apply(clusterRole);
            await reset();
          }
        });
      }
    });
  },
  { aws: true },
);
