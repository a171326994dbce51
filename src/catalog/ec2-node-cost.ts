import type { EC2NodeClass } from "../api/ec2nodeclass.ts";
import type { BlockDevice } from "../api/ec2nodeclass-block-devices.ts";
import {
  defaultBlockDeviceMappings,
  resolvedBlockDeviceMappings,
} from "../api/ec2nodeclass-defaults.ts";
import { tryParseQuantity } from "../resources/quantity.ts";
import type { NodeCostModel, NodeVolume } from "./node-cost.ts";

const GiB = 1024n ** 3n;

/**
 * An EC2NodeClass's per-node extras: the EBS volumes it launches with — `spec.blockDeviceMappings`,
 * else Karpenter's defaults for its AMI family (`resolvedBlockDeviceMappings`, the launch path's
 * own source) — and a public IPv4 address when `spec.associatePublicIPAddress` is true. Unset, the
 * subnet's MapPublicIpOnLaunch decides, which only the provider can see: `subnetsAssignPublicIPv4`
 * is its answer, false when unknown.
 */
export function nodeCostModelOf(
  nodeClass: Pick<EC2NodeClass, "spec">,
  subnetsAssignPublicIPv4 = false,
): NodeCostModel {
  const { spec } = nodeClass;
  // Without a spec (or a class the snapshot lacks) the node still boots from Karpenter's default
  // AMI family, AL2023, and pays for its root volume.
  const mappings =
    spec === undefined ? defaultBlockDeviceMappings("AL2023") : resolvedBlockDeviceMappings(spec);
  return {
    volumes: mappings.flatMap((mapping) =>
      mapping.ebs === undefined ? [] : [volumeOf(mapping.ebs)],
    ),
    publicIPv4: spec?.associatePublicIPAddress ?? subnetsAssignPublicIPv4,
  };
}

function volumeOf(ebs: BlockDevice): NodeVolume {
  return {
    // EC2 takes the AMI snapshot's type when none is given; Karpenter's AMIs use gp3.
    volumeType: ebs.volumeType ?? "gp3",
    sizeGiB: sizeGiBOf(ebs.volumeSize),
    ...(ebs.iops !== undefined && { iops: ebs.iops }),
    ...(ebs.throughput !== undefined && { throughputMiBps: ebs.throughput }),
  };
}

/**
 * `volumeSize` is a Kubernetes quantity ("20Gi", "50G"); EBS bills whole GiB, so a size is rounded
 * up. Without a size the volume takes its snapshot's, unknown offline: 20 GiB, the default root's.
 */
function sizeGiBOf(size: string | undefined): number {
  if (size === undefined) return 20;
  const parsed = tryParseQuantity(size);
  if (!parsed.ok || parsed.quantity.nano <= 0n) return 20;
  const bytes = (parsed.quantity.nano + 999_999_999n) / 1_000_000_000n;
  return Number((bytes + GiB - 1n) / GiB);
}
