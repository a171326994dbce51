import type { Instance } from "@aws-sdk/client-ec2";
import type { NodeClaim } from "../../../api/nodeclaim.ts";
import { Annotations } from "../../../api/wellknown.ts";
import { NodeClassHashVersionAnnotation } from "./instance-claim.ts";
import type { LaunchNodeClass } from "./node-class.ts";

/** Karpenter's AWS drift reasons (pkg/cloudprovider/drift.go), checked in this order. */
export const DriftReasons = {
  ami: "AMIDrift",
  subnet: "SubnetDrift",
  securityGroup: "SecurityGroupDrift",
  nodeClass: "NodeClassDrift",
} as const;

export type DriftReason = (typeof DriftReasons)[keyof typeof DriftReasons];

/**
 * Why a running instance no longer matches its class, as Karpenter's isNodeClassDrifted: its
 * image is not among `status.amis`, its subnet not among `status.subnets`, its security groups
 * not exactly `status.securityGroups`, or the claim's spec hash differs from the class's (only
 * when both carry the same hash version: a new carpool hashing differently is not a change).
 * A status field not resolved yet is no evidence of drift.
 */
export function instanceDrift(
  claim: NodeClaim,
  instance: Instance,
  nodeClass: LaunchNodeClass,
): DriftReason | undefined {
  if (
    nodeClass.amis.length > 0 &&
    instance.ImageId !== undefined &&
    !nodeClass.amis.some((ami) => ami.id === instance.ImageId)
  )
    return DriftReasons.ami;
  if (
    nodeClass.subnets.length > 0 &&
    instance.SubnetId !== undefined &&
    !nodeClass.subnets.some((subnet) => subnet.id === instance.SubnetId)
  )
    return DriftReasons.subnet;
  if (nodeClass.securityGroups.length > 0) {
    const want = new Set(nodeClass.securityGroups.map((g) => g.id));
    const have = new Set((instance.SecurityGroups ?? []).flatMap((g) => g.GroupId ?? []));
    if (want.size !== have.size || [...want].some((id) => !have.has(id)))
      return DriftReasons.securityGroup;
  }
  return staticDrift(claim, nodeClass);
}

function staticDrift(claim: NodeClaim, nodeClass: LaunchNodeClass): DriftReason | undefined {
  const claimHash = claim.metadata.annotations?.[Annotations.nodeClassHash];
  const classHash = nodeClass.annotations[Annotations.nodeClassHash];
  if (claimHash === undefined || classHash === undefined) return undefined;
  const claimVersion = claim.metadata.annotations?.[NodeClassHashVersionAnnotation];
  const classVersion = nodeClass.annotations[NodeClassHashVersionAnnotation];
  if (claimVersion !== classVersion) return undefined;
  return claimHash === classHash ? undefined : DriftReasons.nodeClass;
}
