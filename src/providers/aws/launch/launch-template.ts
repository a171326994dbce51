import { createHash } from "node:crypto";
import type { CreateLaunchTemplateCommandInput } from "@aws-sdk/client-ec2";
import { parseQuantity } from "../../../resources/quantity.ts";
import { DefaultMetadataOptions, defaultBlockDeviceMappings } from "./defaults.ts";
import type { LaunchCapacityType } from "./fleet-request.ts";
import type { BlockDeviceMapping, LaunchNodeClass } from "./node-class.ts";
import type { ReservationTarget } from "./reserved-choices.ts";
import { ec2Tags, TagKeys } from "./tags.ts";

/** What makes one launch template differ from another. */
export interface LaunchTemplateSpec {
  readonly clusterName: string;
  readonly nodeClass: LaunchNodeClass;
  readonly imageId: string;
  /** The rendered user data, as the machine gets it (sent base64-encoded). */
  readonly userData: string;
  /** The resource tags (tags.ts resourceTags): on the template and on its network interfaces. */
  readonly tags: Readonly<Record<string, string>>;
  /** How the instances are bought: a reserved launch targets `reservation`. */
  readonly capacityType: LaunchCapacityType;
  readonly reservation?: ReservationTarget;
}

export interface LaunchTemplateRequest {
  readonly name: string;
  readonly input: CreateLaunchTemplateCommandInput;
}

/** Launch templates carpool names, so cleanup never touches anyone else's. */
export function launchTemplatePrefix(clusterName: string): string {
  return `carpool/${clusterName}/`;
}

/**
 * The CreateLaunchTemplate request for a spec, named by a hash of its contents as Karpenter names
 * its templates (`karpenter.k8s.aws/<hash>`): the same contents give the same template, so a
 * template is made once and shared by every launch that needs it, and a change gives a new one.
 */
export function launchTemplateRequest(spec: LaunchTemplateSpec): LaunchTemplateRequest {
  const data = launchTemplateData(spec);
  const name = `${launchTemplatePrefix(spec.clusterName)}${contentHash(data)}`;
  return {
    name,
    input: {
      LaunchTemplateName: name,
      LaunchTemplateData: data,
      TagSpecifications: [
        {
          ResourceType: "launch-template",
          Tags: ec2Tags({ ...spec.tags, [TagKeys.launchTemplateCluster]: spec.clusterName }),
        },
      ],
    },
  };
}

type LaunchTemplateData = NonNullable<CreateLaunchTemplateCommandInput["LaunchTemplateData"]>;

function launchTemplateData(spec: LaunchTemplateSpec): LaunchTemplateData {
  const { nodeClass } = spec;
  const groups = nodeClass.securityGroups.map((g) => g.id).sort();
  const metadata = { ...DefaultMetadataOptions, ...nodeClass.metadataOptions };
  const mappings = nodeClass.blockDeviceMappings ?? defaultBlockDeviceMappings(nodeClass.amiFamily);
  return {
    ImageId: spec.imageId,
    UserData: Buffer.from(spec.userData, "utf8").toString("base64"),
    ...(nodeClass.instanceProfile !== undefined && {
      IamInstanceProfile: { Name: nodeClass.instanceProfile },
    }),
    // A public address can only be asked for on an interface given in the template; otherwise the
    // groups go on the instance and the subnet's own setting decides (as Karpenter does).
    ...(nodeClass.associatePublicIPAddress === undefined
      ? { SecurityGroupIds: groups }
      : {
          NetworkInterfaces: [
            {
              DeviceIndex: 0,
              AssociatePublicIpAddress: nodeClass.associatePublicIPAddress,
              Groups: groups,
            },
          ],
        }),
    ...(mappings.length > 0 && { BlockDeviceMappings: mappings.map(blockDeviceMapping) }),
    MetadataOptions: {
      HttpEndpoint: metadata.httpEndpoint as "enabled" | "disabled",
      HttpProtocolIpv6: metadata.httpProtocolIPv6 as "enabled" | "disabled",
      HttpPutResponseHopLimit: metadata.httpPutResponseHopLimit,
      HttpTokens: metadata.httpTokens as "required" | "optional",
    },
    Monitoring: { Enabled: nodeClass.detailedMonitoring ?? false },
    ...capacityReservationData(spec),
    // CreateFleet tags instances and volumes; network interfaces only through the template.
    TagSpecifications: [{ ResourceType: "network-interface", Tags: ec2Tags(spec.tags) }],
  };
}

/**
 * Karpenter's launch templates with reserved capacity (its ReservedCapacity feature gate): a
 * reserved launch targets its one reservation and may run nowhere else (capacity reservations
 * only), in the capacity-block market for a capacity block and the interruptible-reservation
 * market for an interruptible one; on-demand and spot launches opt out of open reservations
 * (preference none), so they never take capacity a reservation holds for reserved NodeClaims.
 */
function capacityReservationData(spec: LaunchTemplateSpec): Partial<LaunchTemplateData> {
  const target = spec.capacityType === "reserved" ? spec.reservation : undefined;
  if (target === undefined)
    return { CapacityReservationSpecification: { CapacityReservationPreference: "none" } };
  const market =
    target.reservationType === "capacity-block"
      ? "capacity-block"
      : target.interruptible
        ? "interruptible-capacity-reservation"
        : undefined;
  return {
    CapacityReservationSpecification: {
      CapacityReservationPreference: "capacity-reservations-only",
      CapacityReservationTarget: { CapacityReservationId: target.id },
    },
    ...(market !== undefined && { InstanceMarketOptions: { MarketType: market } }),
  };
}

function blockDeviceMapping(mapping: BlockDeviceMapping) {
  const ebs = mapping.ebs;
  return {
    DeviceName: mapping.deviceName,
    ...(ebs !== undefined && {
      Ebs: {
        ...(ebs.volumeSize !== undefined && { VolumeSize: gibibytes(ebs.volumeSize) }),
        ...(ebs.volumeType !== undefined && {
          VolumeType: ebs.volumeType as "gp3",
        }),
        ...(ebs.iops !== undefined && { Iops: ebs.iops }),
        ...(ebs.throughput !== undefined && { Throughput: ebs.throughput }),
        ...(ebs.encrypted !== undefined && { Encrypted: ebs.encrypted }),
        ...(ebs.kmsKeyID !== undefined && { KmsKeyId: ebs.kmsKeyID }),
        ...(ebs.deleteOnTermination !== undefined && {
          DeleteOnTermination: ebs.deleteOnTermination,
        }),
        ...(ebs.snapshotID !== undefined && { SnapshotId: ebs.snapshotID }),
      },
    }),
  };
}

const nanoPerGiB = 2n ** 30n * 1_000_000_000n;

/** A volume size quantity in whole GiB, rounded up (as Karpenter converts `volumeSize`). */
export function gibibytes(volumeSize: string): number {
  const nano = parseQuantity(volumeSize).nano;
  return Number((nano + nanoPerGiB - 1n) / nanoPerGiB);
}

/** 64 bits of SHA-256 over the contents with keys sorted, so key order never renames a template. */
function contentHash(value: unknown): string {
  return createHash("sha256").update(canonicalJSON(value)).digest("hex").slice(0, 16);
}

function canonicalJSON(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJSON).join(",")}]`;
  if (value !== null && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJSON((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}
