import type { EC2NodeClass } from "../../../api/ec2nodeclass.ts";
import type { NodeClassReference } from "../../../api/nodepool.ts";
import type { NodeSelectorRequirement } from "../../../api/pod.ts";
import { NodeClassNotReadyError } from "../../../ports/cloud-provider.ts";
import type { ClusterStore } from "../../../ports/cluster-store.ts";

export const EC2NodeClassGroup = "karpenter.k8s.aws";
export const EC2NodeClassKind = "EC2NodeClass";

/**
 * The parts of a Karpenter v1 EC2NodeClass the launch path reads, by Karpenter's field names. The
 * launch path reads only what the node class controller resolved into `status` (subnets, security
 * groups, AMIs, instance profile), never the selectors, as Karpenter's does.
 */
export interface LaunchNodeClass {
  readonly name: string;
  readonly amiFamily: string | undefined;
  readonly userData: string | undefined;
  readonly tags: Readonly<Record<string, string>>;
  readonly blockDeviceMappings: readonly BlockDeviceMapping[] | undefined;
  readonly metadataOptions: MetadataOptions | undefined;
  readonly associatePublicIPAddress: boolean | undefined;
  readonly detailedMonitoring: boolean | undefined;
  readonly subnets: readonly {
    readonly id: string;
    readonly zone: string;
    readonly zoneID?: string;
  }[];
  readonly securityGroups: readonly { readonly id: string; readonly name?: string }[];
  readonly amis: readonly {
    readonly id: string;
    readonly name?: string;
    readonly requirements?: readonly NodeSelectorRequirement[];
  }[];
  readonly instanceProfile: string | undefined;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface BlockDeviceMapping {
  readonly deviceName?: string;
  readonly rootVolume?: boolean;
  readonly ebs?: {
    readonly volumeSize?: string;
    readonly volumeType?: string;
    readonly iops?: number;
    readonly throughput?: number;
    readonly encrypted?: boolean;
    readonly kmsKeyID?: string;
    readonly deleteOnTermination?: boolean;
    readonly snapshotID?: string;
  };
}

export interface MetadataOptions {
  readonly httpEndpoint?: string;
  readonly httpProtocolIPv6?: string;
  readonly httpPutResponseHopLimit?: number;
  readonly httpTokens?: string;
}

/** The fields of the EC2NodeClass type (Karpenter's names) the launch path reads. */
interface EC2NodeClassFields {
  readonly metadata: EC2NodeClass["metadata"];
  readonly spec?: {
    readonly amiFamily?: string;
    readonly userData?: string;
    readonly tags?: Record<string, string>;
    readonly blockDeviceMappings?: BlockDeviceMapping[];
    readonly metadataOptions?: MetadataOptions;
    readonly associatePublicIPAddress?: boolean;
    readonly detailedMonitoring?: boolean;
  };
  readonly status?: {
    readonly subnets?: LaunchNodeClass["subnets"];
    readonly securityGroups?: LaunchNodeClass["securityGroups"];
    readonly amis?: LaunchNodeClass["amis"];
    readonly instanceProfile?: string;
    readonly conditions?: readonly {
      readonly type: string;
      readonly status: string;
      readonly reason?: string;
    }[];
  };
}

function fieldsOf(nodeClass: EC2NodeClass): EC2NodeClassFields {
  return nodeClass;
}

/** What a launch reads of the class. */
export function launchNodeClass(nodeClass: EC2NodeClass): LaunchNodeClass {
  const { metadata, spec, status } = fieldsOf(nodeClass);
  return {
    name: metadata.name ?? "",
    amiFamily: spec?.amiFamily,
    userData: spec?.userData,
    tags: spec?.tags ?? {},
    blockDeviceMappings: spec?.blockDeviceMappings,
    metadataOptions: spec?.metadataOptions,
    associatePublicIPAddress: spec?.associatePublicIPAddress,
    detailedMonitoring: spec?.detailedMonitoring,
    subnets: status?.subnets ?? [],
    securityGroups: status?.securityGroups ?? [],
    amis: status?.amis ?? [],
    instanceProfile: status?.instanceProfile,
    annotations: metadata.annotations ?? {},
  };
}

/**
 * The EC2NodeClass a NodeClaim names, ready to launch with: it exists, is not being deleted and
 * is Ready=True (Karpenter's NodeClassNotReadyError otherwise), and its status has the subnets,
 * security groups and AMIs a launch needs.
 */
export async function readyEC2NodeClass(
  store: ClusterStore,
  ref: NodeClassReference,
): Promise<EC2NodeClass> {
  if (ref.group !== EC2NodeClassGroup || ref.kind !== EC2NodeClassKind)
    throw new NodeClassNotReadyError(
      ref,
      `the aws provider serves ${EC2NodeClassKind}.${EC2NodeClassGroup}, not ${ref.kind}.${ref.group}`,
    );
  const nodeClass = await store.get("EC2NodeClass", ref.name);
  if (nodeClass === undefined) throw new NodeClassNotReadyError(ref, "not found");
  if (nodeClass.metadata.deletionTimestamp !== undefined)
    throw new NodeClassNotReadyError(ref, "being deleted");
  const { status } = fieldsOf(nodeClass);
  const ready = status?.conditions?.find((c) => c.type === "Ready");
  if (ready?.status !== "True")
    throw new NodeClassNotReadyError(
      ref,
      ready === undefined
        ? "status.conditions has no Ready condition yet"
        : `Ready is ${ready.status}${ready.reason ? ` (${ready.reason})` : ""}`,
    );
  const missing = (["subnets", "securityGroups", "amis"] as const).filter(
    (field) => (status?.[field] ?? []).length === 0,
  );
  if (missing.length > 0)
    throw new NodeClassNotReadyError(
      ref,
      missing.map((field) => `status.${field}: none resolved`).join("; "),
    );
  return nodeClass;
}
