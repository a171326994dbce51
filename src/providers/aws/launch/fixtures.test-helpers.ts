import type { EC2NodeClass } from "../../../api/ec2nodeclass.ts";
import type { NodeClaim } from "../../../api/nodeclaim.ts";
import { Labels } from "../../../api/wellknown.ts";
import type { InstanceType, Offering } from "../../../catalog/instance-type.ts";
import type { UserData } from "../../../ports/bootstrap.ts";
import { InMemoryClusterStore } from "../../../sim/store.ts";
import type { SdkClient } from "../catalog-source.ts";
import { AwsCloudProvider, type AwsCloudProviderOptions } from "../cloud-provider.ts";

/** An EC2 answer: an output, or an error with an EC2 code (SDK v3 sets `name` to the code). */
export type Answer = (input: Record<string, unknown>) => unknown;

export function awsError(code: string, message = code): Error {
  const error = new Error(message);
  error.name = code;
  return error;
}

/**
 * An EC2 client that answers each command from a script (by command class name) and records
 * what it was sent; a command without an answer fails the test.
 */
export class ScriptedEc2 implements SdkClient {
  readonly sent: { command: string; input: Record<string, unknown> }[] = [];
  readonly answers = new Map<string, Answer>();

  on(command: string, answer: Answer): this {
    this.answers.set(command, answer);
    return this;
  }

  inputsOf(command: string): Record<string, unknown>[] {
    return this.sent.filter((s) => s.command === command).map((s) => s.input);
  }

  async send(command: object): Promise<unknown> {
    const name = command.constructor.name;
    const input = (command as { input: Record<string, unknown> }).input;
    this.sent.push({ command: name, input });
    const answer = this.answers.get(name);
    if (answer === undefined) throw new Error(`the scripted EC2 has no answer for ${name}`);
    return answer(input);
  }
}

export function offering(zone: string, price: number, capacityType = "on-demand"): Offering {
  return { zone, capacityType, price, available: true };
}

export function instanceType(
  name: string,
  offerings: Offering[],
  labels: Record<string, string> = {},
): InstanceType {
  const capacity = { cpu: 2000, memory: 8 * 2 ** 30, pods: 29 };
  return {
    name,
    labels: {
      [Labels.arch]: "amd64",
      [Labels.os]: "linux",
      [Labels.instanceType]: name,
      [Labels.awsInstanceFamily]: name.split(".")[0] ?? name,
      ...labels,
    },
    capacity,
    overhead: { cpu: 100, memory: 2 ** 30 },
    allocatable: { cpu: 1900, memory: 7 * 2 ** 30, pods: 29 },
    offerings,
  };
}

export interface ClassStatus {
  subnets: { id: string; zone: string; zoneID?: string }[];
  securityGroups: { id: string; name?: string }[];
  amis: { id: string; name?: string; requirements?: NodeClaim["spec"]["requirements"] }[];
  instanceProfile?: string;
  conditions?: { type: string; status: string; reason?: string; lastTransitionTime: string }[];
}

export const readyCondition = {
  type: "Ready",
  status: "True",
  reason: "Ready",
  lastTransitionTime: "2025-01-01T00:00:00Z",
};

/** An EC2NodeClass with Karpenter's field names and a resolved status (the controller's work). */
export function ec2NodeClass(
  name: string,
  status: ClassStatus,
  spec: Record<string, unknown> = {},
  annotations: Record<string, string> = {},
): EC2NodeClass {
  return {
    apiVersion: "karpenter.k8s.aws/v1",
    kind: "EC2NodeClass",
    metadata: { name, annotations },
    spec: { amiFamily: "AL2023", role: "KarpenterNodeRole", ...spec },
    status: { conditions: [readyCondition], ...status },
  } as unknown as EC2NodeClass;
}

export const nodeClassRef = { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" };

export function claim(
  name: string,
  requirements: NodeClaim["spec"]["requirements"],
  labels: Record<string, string> = { [Labels.nodePool]: "general" },
): NodeClaim {
  return {
    apiVersion: "karpenter.sh/v1",
    kind: "NodeClaim",
    metadata: { name, labels },
    spec: { nodeClassRef, requirements },
  };
}

export const joinSecret = "K10secret::server:token-do-not-log";

/** User data as a bootstrap renders it, with its join token as a secret. */
export const userData = async (c: NodeClaim): Promise<UserData> => ({
  format: "shell",
  content: `#!/bin/sh\nnode=${c.metadata.name}\ncapacity=${c.metadata.labels?.[Labels.capacityType]}\ntoken=${joinSecret}\n`,
  secrets: [joinSecret],
});

export async function providerWith(
  ec2: SdkClient,
  nodeClass: EC2NodeClass,
  types: readonly InstanceType[],
  clusterName = "prod",
  onUnavailable?: AwsCloudProviderOptions["onUnavailable"],
  reservations?: AwsCloudProviderOptions["reservations"],
): Promise<{ provider: AwsCloudProvider; store: InMemoryClusterStore }> {
  const now = () => new Date("2025-06-01T00:00:00Z");
  const store = new InMemoryClusterStore(now);
  await store.create(nodeClass);
  const provider = new AwsCloudProvider({
    store,
    clock: { now },
    ec2,
    clusterName,
    region: "us-east-1",
    instanceTypes: async () => types,
    userData,
    ...(onUnavailable && { onUnavailable }),
    ...(reservations && { reservations }),
  });
  return { provider, store };
}
