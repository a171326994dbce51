// The kubelets of moto's instances in the AWS end-to-end test. moto starts no machines, so this
// plays what an instance booting carpool's user data would do, and nothing else: it reads each
// running instance's user data back from moto (DescribeInstanceAttribute), parses the nodeadm
// NodeConfig (AL2023, MIME multipart) or the Bottlerocket TOML that carpool wrote, and registers
// the Node with the labels, taints and max pods found there, the providerID a kubelet learns from
// instance metadata (aws:///ZONE/i-…) and the capacity of its instance type — as
// system:node:NAME, so NodeRestriction applies. kwok (annotation kwok.x-k8s.io/node=fake) then
// keeps it Ready and runs its pods. The test thus checks the user data itself, not carpool's
// memory of it.
import {
  type _InstanceType,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  EC2Client,
  type Instance,
} from "@aws-sdk/client-ec2";
import { parse as parseToml } from "smol-toml";
import { parse as parseYaml } from "yaml";
// @ts-expect-error: a plain ES module shared with the own-machines agent.
import { registerNode } from "../machines/node-registration.mjs";

export interface BootedNode {
  readonly instanceID: string;
  readonly nodeName: string;
  readonly format: "nodeadm" | "bottlerocket";
  readonly cluster: { name?: string; apiServerEndpoint?: string; certificateAuthority?: string };
  readonly labels: Record<string, string>;
  readonly taints: { key: string; value?: string; effect: string }[];
  readonly maxPods?: number;
  /** Every part of the MIME document, by content type (nodeadm), for the merge checks. */
  readonly parts: { contentType: string; body: string }[];
}

export class Ec2Kubelets {
  readonly booted = new Map<string, BootedNode>();
  readonly failures: string[] = [];
  readonly #ec2: EC2Client;
  readonly #clusterName: string;
  readonly #clusterDir: string;
  #timer: NodeJS.Timeout | undefined;
  #busy = false;

  constructor(options: {
    clusterName: string;
    clusterDir: string;
    clientConfig: ConstructorParameters<typeof EC2Client>[0];
  }) {
    this.#ec2 = new EC2Client(options.clientConfig ?? {});
    this.#clusterName = options.clusterName;
    this.#clusterDir = options.clusterDir;
  }

  start(): void {
    this.#timer = setInterval(() => void this.#tick(), 500);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#ec2.destroy();
  }

  async #tick(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const answer = await this.#ec2.send(
        new DescribeInstancesCommand({
          Filters: [
            { Name: "tag-key", Values: [`kubernetes.io/cluster/${this.#clusterName}`] },
            { Name: "instance-state-name", Values: ["running"] },
          ],
        }),
      );
      for (const instance of (answer.Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
        const id = instance.InstanceId ?? "";
        if (this.booted.has(id)) continue;
        try {
          this.booted.set(id, await this.#boot(instance));
        } catch (error) {
          this.failures.push(`${id}: ${(error as Error).message}`);
          this.booted.set(id, { instanceID: id } as BootedNode);
        }
      }
    } catch (error) {
      this.failures.push(`DescribeInstances: ${(error as Error).message}`);
    } finally {
      this.#busy = false;
    }
  }

  async #boot(instance: Instance): Promise<BootedNode> {
    const id = instance.InstanceId ?? "";
    const attribute = await this.#ec2.send(
      new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: "userData" }),
    );
    const encoded = attribute.UserData?.Value;
    if (!encoded) throw new Error("the instance has no user data");
    const userData = Buffer.from(encoded, "base64").toString("utf8");
    const nodeName = instance.PrivateDnsName || `ip-${id}.ec2.internal`;
    const booted = userData.startsWith("MIME-Version:")
      ? nodeadmNode(id, nodeName, userData)
      : bottlerocketNode(id, nodeName, userData);
    const zone = instance.Placement?.AvailabilityZone ?? "";
    const types = await this.#ec2.send(
      new DescribeInstanceTypesCommand({ InstanceTypes: [instance.InstanceType as _InstanceType] }),
    );
    const type = types.InstanceTypes?.[0];
    // Without maxPods in its configuration, nodeadm sets the VPC CNI's ENI limit, as here.
    const enis = type?.NetworkInfo?.MaximumNetworkInterfaces ?? 3;
    const addresses = type?.NetworkInfo?.Ipv4AddressesPerInterface ?? 10;
    const capacity = {
      cpu: String(type?.VCpuInfo?.DefaultVCpus ?? 2),
      memory: `${type?.MemoryInfo?.SizeInMiB ?? 4096}Mi`,
      pods: String(booted.maxPods ?? enis * (addresses - 1) + 2),
      "ephemeral-storage": "20Gi",
    };
    const node = {
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name: nodeName,
        labels: {
          ...booted.labels,
          "kubernetes.io/hostname": nodeName,
          "kubernetes.io/os": "linux",
          "kubernetes.io/arch": instance.Architecture === "arm64" ? "arm64" : "amd64",
        },
        annotations: { "kwok.x-k8s.io/node": "fake" },
      },
      spec: { providerID: `aws:///${zone}/${id}`, taints: booted.taints },
      status: { capacity, allocatable: capacity },
    };
    const answer = (await registerNode(this.#clusterDir, node)) as { status: number; body: string };
    if (answer.status !== 201)
      throw new Error(`registering Node ${nodeName}: ${answer.status} ${answer.body}`);
    return booted;
  }
}

/** A MIME multipart/mixed document's parts (RFC 2046), split on the boundary its header names. */
export function mimeParts(document: string): { contentType: string; body: string }[] {
  const text = document.replace(/\r\n/g, "\n");
  const boundary = /boundary="?([^"\n;]+)"?/.exec(text)?.[1];
  if (boundary === undefined) throw new Error("no MIME boundary in the user data");
  const sections = text.split(`\n--${boundary}`);
  return sections
    .slice(1)
    .filter((section) => !section.startsWith("--"))
    .map((section) => {
      const [head = "", ...rest] = section.replace(/^\n/, "").split("\n\n");
      const contentType = /^content-type:\s*([^;\n]+)/im.exec(head)?.[1]?.trim() ?? "";
      return { contentType, body: rest.join("\n\n").replace(/\n$/, "") };
    });
}

function nodeadmNode(instanceID: string, nodeName: string, userData: string): BootedNode {
  const parts = mimeParts(userData);
  const configs = parts
    .filter((p) => p.contentType === "application/node.eks.aws")
    .map((p) => parseYaml(p.body) as NodeConfig);
  // nodeadm merges every NodeConfig in order; the last one carpool wrote names the cluster.
  const config = configs.at(-1);
  if (config === undefined) throw new Error("no application/node.eks.aws part in the user data");
  const flags = configs.flatMap((c) => c.spec?.kubelet?.flags ?? []);
  const labels: Record<string, string> = {};
  for (const flag of flags) {
    if (!flag.startsWith("--node-labels=")) continue;
    for (const pair of flag.slice("--node-labels=".length).split(",")) {
      const at = pair.indexOf("=");
      labels[pair.slice(0, at)] = pair.slice(at + 1);
    }
  }
  const kubelet = Object.assign({}, ...configs.map((c) => c.spec?.kubelet?.config ?? {}));
  return {
    instanceID,
    nodeName,
    format: "nodeadm",
    cluster: config.spec?.cluster ?? {},
    labels,
    taints: (kubelet.registerWithTaints ?? []).map(
      (t: { key: string; value?: string; effect: string }) => ({
        key: t.key,
        ...(t.value && { value: t.value }),
        effect: t.effect,
      }),
    ),
    ...(kubelet.maxPods !== undefined && { maxPods: Number(kubelet.maxPods) }),
    parts,
  };
}

interface NodeConfig {
  spec?: {
    cluster?: BootedNode["cluster"];
    kubelet?: { config?: Record<string, unknown>; flags?: string[] };
  };
}

function bottlerocketNode(instanceID: string, nodeName: string, userData: string): BootedNode {
  const settings = parseToml(userData) as {
    settings?: { kubernetes?: Record<string, unknown> };
  };
  const kubernetes = settings.settings?.kubernetes ?? {};
  const taints = Object.entries(
    (kubernetes["node-taints"] ?? {}) as Record<string, string[] | string>,
  ).flatMap(([key, values]) =>
    (Array.isArray(values) ? values : [values]).map((entry) => {
      const at = entry.lastIndexOf(":");
      const value = entry.slice(0, at);
      return { key, ...(value && { value }), effect: entry.slice(at + 1) };
    }),
  );
  return {
    instanceID,
    nodeName,
    format: "bottlerocket",
    cluster: {
      name: kubernetes["cluster-name"] as string,
      apiServerEndpoint: kubernetes["api-server"] as string,
      certificateAuthority: kubernetes["cluster-certificate"] as string,
    },
    labels: (kubernetes["node-labels"] ?? {}) as Record<string, string>,
    taints,
    ...(kubernetes["max-pods"] !== undefined && { maxPods: Number(kubernetes["max-pods"]) }),
    parts: [],
  };
}
