import { type Static, Type } from "@sinclair/typebox";
import { BlockDeviceMappingsSchema } from "./ec2nodeclass-block-devices.ts";
import {
  AMIFamilies,
  emptyInstanceProfile,
  emptyRole,
  restrictedTagRules,
  specRules,
} from "./ec2nodeclass-cel.ts";
import { KubeletConfigurationSchema } from "./ec2nodeclass-kubelet.ts";
import {
  AMISelectorTermsSchema,
  CapacityReservationSelectorTermsSchema,
  SecurityGroupSelectorTermsSchema,
  SubnetSelectorTermsSchema,
} from "./ec2nodeclass-selectors.ts";
import { ConditionSchema, ObjectMetaSchema } from "./meta.ts";
import { NodeSelectorRequirementSchema } from "./pod.ts";

/**
 * karpenter.k8s.aws/v1 EC2NodeClass, field for field as Karpenter's AWS provider (v1.x) defines it:
 * what the aws provider launches with (selectors, AMI family, IAM role or instance profile,
 * volumes, IMDS, kubelet settings) and, in status, what its node class controller resolved them to.
 * The CEL rules of Karpenter's CRD ride on the schemas (ec2nodeclass-cel.ts) and are checked by
 * carpool too (ec2nodeclass-rules.ts); defaults are in ec2nodeclass-defaults.ts.
 */

export const AMIFamilySchema = Type.Union(AMIFamilies.map((family) => Type.Literal(family)));

const enabledOrDisabled = (fallback: "enabled" | "disabled") =>
  Type.Union([Type.Literal("enabled"), Type.Literal("disabled")], { default: fallback });

/** IMDS settings of the launch template. Karpenter defaults: enabled, IPv6 disabled, 1 hop, IMDSv2. */
export const MetadataOptionsSchema = Type.Object(
  {
    httpEndpoint: Type.Optional(enabledOrDisabled("enabled")),
    httpProtocolIPv6: Type.Optional(enabledOrDisabled("disabled")),
    httpPutResponseHopLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 64, default: 1 })),
    httpTokens: Type.Optional(
      Type.Union([Type.Literal("required"), Type.Literal("optional")], { default: "required" }),
    ),
  },
  {
    default: {
      httpEndpoint: "enabled",
      httpProtocolIPv6: "disabled",
      httpPutResponseHopLimit: 1,
      httpTokens: "required",
    },
  },
);
export type MetadataOptions = Static<typeof MetadataOptionsSchema>;

export const EC2NodeClassSpecSchema = Type.Object(
  {
    subnetSelectorTerms: SubnetSelectorTermsSchema,
    securityGroupSelectorTerms: SecurityGroupSelectorTermsSchema,
    capacityReservationSelectorTerms: Type.Optional(CapacityReservationSelectorTermsSchema),
    associatePublicIPAddress: Type.Optional(Type.Boolean()),
    /** IPv4 prefixes assigned to the primary network interface. */
    ipPrefixCount: Type.Optional(Type.Integer({ minimum: 0 })),
    amiSelectorTerms: AMISelectorTermsSchema,
    /** Required unless an alias names the family; with an alias, its family or Custom. */
    amiFamily: Type.Optional(AMIFamilySchema),
    /** Merged with what carpool's bootstrap renders, in the AMI family's format. */
    userData: Type.Optional(Type.String()),
    /** The IAM role nodes use; Karpenter (here the aws provider) manages its instance profile. */
    role: Type.Optional(Type.String({ "x-kubernetes-validations": [emptyRole] })),
    /** An existing instance profile; exclusive with role. */
    instanceProfile: Type.Optional(
      Type.String({ "x-kubernetes-validations": [emptyInstanceProfile] }),
    ),
    /** Tags on instances, volumes, launch templates (not the keys Karpenter sets itself). */
    tags: Type.Optional(
      Type.Record(Type.String(), Type.String(), {
        "x-kubernetes-validations": Object.values(restrictedTagRules),
      }),
    ),
    kubelet: Type.Optional(KubeletConfigurationSchema),
    blockDeviceMappings: Type.Optional(BlockDeviceMappingsSchema),
    /** RAID0: the instance store NVMe disks in one array for containerd and the kubelet. */
    instanceStorePolicy: Type.Optional(Type.Union([Type.Literal("RAID0")])),
    detailedMonitoring: Type.Optional(Type.Boolean()),
    metadataOptions: Type.Optional(MetadataOptionsSchema),
    enclaveOptions: Type.Optional(Type.Object({ enabled: Type.Optional(Type.Boolean()) })),
    /** EC2 Fleet's reserved Context field. */
    context: Type.Optional(Type.String()),
  },
  { "x-kubernetes-validations": specRules() },
);
export type EC2NodeClassSpec = Static<typeof EC2NodeClassSpecSchema>;

export const SubnetStatusSchema = Type.Object({
  id: Type.String(),
  zone: Type.String(),
  zoneID: Type.Optional(Type.String()),
});
export type SubnetStatus = Static<typeof SubnetStatusSchema>;

export const SecurityGroupStatusSchema = Type.Object({
  id: Type.String(),
  name: Type.Optional(Type.String()),
});
export type SecurityGroupStatus = Static<typeof SecurityGroupStatusSchema>;

/** An AMI the selectors resolve to, with the requirements an instance type must meet to use it. */
export const AMIStatusSchema = Type.Object({
  id: Type.String(),
  deprecated: Type.Optional(Type.Boolean()),
  name: Type.Optional(Type.String()),
  requirements: Type.Array(NodeSelectorRequirementSchema),
});
export type AMIStatus = Static<typeof AMIStatusSchema>;

export const CapacityReservationStatusSchema = Type.Object({
  availabilityZone: Type.String(),
  endTime: Type.Optional(Type.String()),
  id: Type.String({ pattern: "^cr-[0-9a-z]+$" }),
  instanceMatchCriteria: Type.Union([Type.Literal("open"), Type.Literal("targeted")]),
  instanceType: Type.String(),
  ownerID: Type.String({ pattern: "^[0-9]{12}$" }),
  reservationType: Type.Optional(
    Type.Union([Type.Literal("default"), Type.Literal("capacity-block")], { default: "default" }),
  ),
  state: Type.Optional(
    Type.Union([Type.Literal("active"), Type.Literal("expiring")], { default: "active" }),
  ),
});
export type CapacityReservationStatus = Static<typeof CapacityReservationStatusSchema>;

/** The condition types of an EC2NodeClass; Ready is True when all the others are. */
export const EC2NodeClassConditionTypes = [
  "SubnetsReady",
  "SecurityGroupsReady",
  "AMIsReady",
  "InstanceProfileReady",
  "CapacityReservationsReady",
  "ValidationSucceeded",
  "Ready",
] as const;
export type EC2NodeClassConditionType = (typeof EC2NodeClassConditionTypes)[number];

export const EC2NodeClassStatusSchema = Type.Object({
  subnets: Type.Optional(Type.Array(SubnetStatusSchema)),
  securityGroups: Type.Optional(Type.Array(SecurityGroupStatusSchema)),
  capacityReservations: Type.Optional(Type.Array(CapacityReservationStatusSchema)),
  amis: Type.Optional(Type.Array(AMIStatusSchema)),
  /** The instance profile of spec.role (or spec.instanceProfile itself). */
  instanceProfile: Type.Optional(Type.String()),
  conditions: Type.Optional(
    Type.Array(
      Type.Object({
        ...ConditionSchema.properties,
        observedGeneration: Type.Optional(Type.Integer({ minimum: 0 })),
      }),
    ),
  ),
});
export type EC2NodeClassStatus = Static<typeof EC2NodeClassStatusSchema>;

export const EC2NodeClassSchema = Type.Object({
  apiVersion: Type.Literal("karpenter.k8s.aws/v1"),
  kind: Type.Literal("EC2NodeClass"),
  metadata: ObjectMetaSchema,
  // Optional as in Karpenter's CRD (spec is omitempty); when given, its selectors are required.
  spec: Type.Optional(EC2NodeClassSpecSchema),
  status: Type.Optional(EC2NodeClassStatusSchema),
});
export type EC2NodeClass = Static<typeof EC2NodeClassSchema>;
