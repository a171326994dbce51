import type { NodeClaim } from "../../../api/nodeclaim.ts";
import { Labels } from "../../../api/wellknown.ts";

/** Tag keys of karpenter-provider-aws (pkg/apis/v1/labels.go), which carpool writes the same. */
export const TagKeys = {
  nodePool: Labels.nodePool,
  nodeClaim: "karpenter.sh/nodeclaim",
  nodeClass: Labels.nodeClassAws,
  eksClusterName: "eks:eks-cluster-name",
  /** On launch templates: which cluster's they are, for cleanup (Karpenter's LT cluster tag). */
  launchTemplateCluster: "karpenter.k8s.aws/cluster",
  name: "Name",
} as const;

export function clusterOwnedTag(clusterName: string): string {
  return `kubernetes.io/cluster/${clusterName}`;
}

/**
 * Tags every launched resource carries: the class's `spec.tags`, then the ones Karpenter writes
 * over them (utils.GetTags), so a user's tag cannot hide whose instance it is.
 */
export function resourceTags(
  classTags: Readonly<Record<string, string>>,
  nodeClassName: string,
  nodePool: string,
  clusterName: string,
): Record<string, string> {
  return {
    ...classTags,
    [clusterOwnedTag(clusterName)]: "owned",
    [TagKeys.nodePool]: nodePool,
    [TagKeys.eksClusterName]: clusterName,
    [TagKeys.nodeClass]: nodeClassName,
  };
}

/**
 * The instance's own tags: the resource tags plus the claim's name. Karpenter writes `Name` (the
 * Node's name) only after registration, from its tagging controller; carpool has none, so the
 * claim's name stands for it at launch, unless the class tags a Name itself.
 */
export function instanceTags(
  resource: Readonly<Record<string, string>>,
  claim: NodeClaim,
  classTags: Readonly<Record<string, string>>,
): Record<string, string> {
  const name = claim.metadata.name ?? "";
  return {
    ...resource,
    [TagKeys.nodeClaim]: name,
    [TagKeys.name]: classTags[TagKeys.name] ?? name,
  };
}

/** `{ Key, Value }` pairs in key order, as the EC2 API takes tags. */
export function ec2Tags(tags: Readonly<Record<string, string>>): { Key: string; Value: string }[] {
  return Object.keys(tags)
    .sort()
    .map((Key) => ({ Key, Value: tags[Key] ?? "" }));
}

/** The tags of an EC2 resource as a record. */
export function tagRecord(
  tags: readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined,
): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) record[tag.Key] = tag.Value ?? "";
  return record;
}
