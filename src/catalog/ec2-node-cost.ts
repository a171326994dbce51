import { tryParseQuantity } from "../resources/quantity.ts";
import { type EbsVolumeType, EbsVolumeTypes } from "./aws-node-extras-prices.ts";
import type { NodeCostModel, NodeVolume } from "./node-cost.ts";

const GiB = 1024n ** 3n;

/**
 * An EC2NodeClass's per-node extras: the EBS volumes of `spec.blockDeviceMappings` (Karpenter's
 * defaults for the AMI family when it has none) and a public IPv4 address when
 * `spec.associatePublicIPAddress` is true. Unset, the subnet's MapPublicIpOnLaunch decides, which
 * only the provider can see: `subnetsAssignPublicIPv4` is its answer, false when unknown.
 *
 * The spec is read defensively, as an unvalidated record: this is the one place to update when
 * the EC2NodeClass type gains Karpenter's exact fields.
 */
export function nodeCostModelOf(
  nodeClass: { readonly spec?: unknown },
  subnetsAssignPublicIPv4 = false,
): NodeCostModel {
  const spec = record(nodeClass.spec);
  const mappings = Array.isArray(spec.blockDeviceMappings) ? spec.blockDeviceMappings : undefined;
  const volumes =
    mappings === undefined || mappings.length === 0
      ? defaultVolumes(amiFamilyOf(spec))
      : mappings.flatMap((mapping) => volumeOf(record(record(mapping).ebs)));
  const associate = spec.associatePublicIPAddress;
  return {
    volumes,
    publicIPv4: typeof associate === "boolean" ? associate : subnetsAssignPublicIPv4,
  };
}

/** `spec.amiFamily`, else the family of the first `amiSelectorTerms[].alias` (`al2023@latest`). */
function amiFamilyOf(spec: Record<string, unknown>): string {
  if (typeof spec.amiFamily === "string") return spec.amiFamily.toLowerCase();
  const terms = Array.isArray(spec.amiSelectorTerms) ? spec.amiSelectorTerms : [];
  for (const term of terms) {
    const alias = record(term).alias;
    if (typeof alias === "string") return (alias.split("@")[0] ?? "").toLowerCase();
  }
  return "al2023";
}

const gp3 = (sizeGiB: number): NodeVolume => ({ volumeType: "gp3", sizeGiB });

/**
 * Karpenter's default block device mappings per AMI family (its docs, "blockDeviceMappings"):
 * AL2 and AL2023 one 20Gi gp3 root; Bottlerocket a 4Gi gp3 OS volume and a 20Gi gp3 data
 * volume; Windows a 50Gi gp3 root. Custom AMIs bring their own mappings, which offline planning
 * cannot see: none are counted.
 */
function defaultVolumes(family: string): NodeVolume[] {
  if (family === "bottlerocket") return [gp3(4), gp3(20)];
  if (family.startsWith("windows")) return [gp3(50)];
  if (family === "custom") return [];
  return [gp3(20)];
}

function volumeOf(ebs: Record<string, unknown>): NodeVolume[] {
  // A mapping without ebs (an instance-store or suppressed device) costs nothing.
  if (Object.keys(ebs).length === 0) return [];
  const type = ebs.volumeType;
  // EC2 takes the AMI snapshot's type when none is given; Karpenter's AMIs use gp3.
  const volumeType: EbsVolumeType =
    typeof type === "string" && (EbsVolumeTypes as readonly string[]).includes(type)
      ? (type as EbsVolumeType)
      : "gp3";
  return [
    {
      volumeType,
      sizeGiB: sizeGiBOf(ebs.volumeSize),
      ...(typeof ebs.iops === "number" && { iops: ebs.iops }),
      ...(typeof ebs.throughput === "number" && { throughputMiBps: ebs.throughput }),
    },
  ];
}

/**
 * `volumeSize` is a Kubernetes quantity ("20Gi"); EBS bills whole GiB, so a size is rounded up.
 * Without a size the volume takes its snapshot's, unknown offline: 20 GiB, the default root's.
 */
function sizeGiBOf(size: unknown): number {
  if (typeof size !== "string" && typeof size !== "number") return 20;
  const parsed = tryParseQuantity(size);
  if (!parsed.ok || parsed.quantity.nano <= 0n) return 20;
  const bytes = (parsed.quantity.nano + 999_999_999n) / 1_000_000_000n;
  return Number((bytes + GiB - 1n) / GiB);
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
