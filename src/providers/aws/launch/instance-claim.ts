import type { Instance } from "@aws-sdk/client-ec2";
import type { NodeClaim } from "../../../api/nodeclaim.ts";
import { Annotations, CapacityTypes, Labels } from "../../../api/wellknown.ts";
import type { InstanceType } from "../../../catalog/instance-type.ts";
import { formatResources } from "../../../resources/resource-list.ts";
import { Requirements } from "../../../scheduling/requirements.ts";
import { type OfferingChoice, offeringLabels } from "../../offering-choice.ts";
import { awsProviderID } from "../provider-id.ts";
import { EC2NodeClassGroup, EC2NodeClassKind, type LaunchNodeClass } from "./node-class.ts";
import { TagKeys, tagRecord } from "./tags.ts";

/** The class's hash version annotation, copied with the hash (Karpenter's static drift). */
export const NodeClassHashVersionAnnotation = "karpenter.k8s.aws/ec2nodeclass-hash-version";

/**
 * The claim as launched: its labels, its single-value requirements and the offering's labels
 * (the type's `karpenter.k8s.aws/instance-*` among them, the zone ID, and for a reserved launch
 * the reservation's ID, type and interruptibility, as Karpenter labels a reserved NodeClaim); `aws:///<zone>/<id>`; capacity and
 * allocatable from the type; the class's hash annotations as they were at launch, which static
 * drift compares against later, and the AMI booted (`status.imageID`).
 */
export function launchedClaim(
  claim: NodeClaim,
  choice: OfferingChoice,
  instanceId: string,
  imageId: string,
  nodeClass: LaunchNodeClass,
): NodeClaim {
  const hashes = Object.fromEntries(
    [Annotations.nodeClassHash, NodeClassHashVersionAnnotation].flatMap((key) => {
      const value = nodeClass.annotations[key];
      return value === undefined ? [] : [[key, value]];
    }),
  );
  return {
    ...claim,
    metadata: {
      ...claim.metadata,
      labels: {
        ...claim.metadata.labels,
        ...Requirements.from(claim.spec.requirements).labels(),
        ...offeringLabels(choice),
        ...choice.offering.labels,
      },
      annotations: { ...claim.metadata.annotations, ...hashes },
    },
    status: {
      ...claim.status,
      providerID: awsProviderID(choice.offering.zone, instanceId),
      imageID: imageId,
      capacity: formatResources(choice.instanceType.capacity),
      allocatable: formatResources(choice.instanceType.allocatable),
    },
  };
}

/**
 * A carpool-tagged instance as the NodeClaim get and list report (what garbage collection reads):
 * named by its `karpenter.sh/nodeclaim` tag, labelled with its type (and the type's labels when
 * the catalog knows it), zone, capacity type (spot by InstanceLifecycle; reserved when it runs
 * in a capacity reservation, with the reservation's ID and type, as Karpenter's NewInstance) and
 * pool.
 */
export function instanceClaim(instance: Instance, types: readonly InstanceType[]): NodeClaim {
  const tags = tagRecord(instance.Tags);
  const zone = instance.Placement?.AvailabilityZone ?? "";
  const typeName = instance.InstanceType ?? "";
  const type = types.find((t) => t.name === typeName);
  const reservation = instance.CapacityReservationId;
  const where = {
    [Labels.instanceType]: typeName,
    [Labels.zone]: zone,
    [Labels.capacityType]:
      instance.InstanceLifecycle === "spot"
        ? CapacityTypes.spot
        : reservation
          ? CapacityTypes.reserved
          : CapacityTypes.onDemand,
    ...(reservation && {
      [Labels.awsCapacityReservationID]: reservation,
      [Labels.awsCapacityReservationType]:
        instance.InstanceLifecycle === "capacity-block" ? "capacity-block" : "default",
    }),
    ...(tags[TagKeys.nodePool] !== undefined && { [Labels.nodePool]: tags[TagKeys.nodePool] }),
  };
  return {
    apiVersion: "karpenter.sh/v1",
    kind: "NodeClaim",
    metadata: {
      name: tags[TagKeys.nodeClaim] ?? "",
      labels: { ...type?.labels, ...where },
      ...(instance.LaunchTime !== undefined && {
        creationTimestamp: new Date(instance.LaunchTime).toISOString(),
      }),
    },
    spec: {
      nodeClassRef: {
        group: EC2NodeClassGroup,
        kind: EC2NodeClassKind,
        name: tags[TagKeys.nodeClass] ?? "",
      },
      requirements: Requirements.fromLabels(where).toNodeSelectorRequirements(),
    },
    status: {
      providerID: awsProviderID(zone, instance.InstanceId ?? ""),
      ...(instance.ImageId !== undefined && { imageID: instance.ImageId }),
      ...(type && {
        capacity: formatResources(type.capacity),
        allocatable: formatResources(type.allocatable),
      }),
    },
  };
}
