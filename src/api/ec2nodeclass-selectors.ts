import { type Static, Type } from "@sinclair/typebox";
import {
  aliasRules,
  amiTermRules,
  capacityReservationTermRules,
  securityGroupTermRules,
  selectorTagsNotEmpty,
  subnetTermRules,
} from "./ec2nodeclass-cel.ts";

/**
 * The selector terms of a Karpenter v1 EC2NodeClass: which subnets, security groups, AMIs and
 * capacity reservations it launches with. Terms are ORed; the fields of one term are ANDed. A tag
 * value of `*` matches any value of that key.
 */
const SelectorTagsSchema = Type.Record(Type.String(), Type.String(), {
  maxProperties: 20,
  "x-kubernetes-validations": [selectorTagsNotEmpty],
});

const cel = (rules: Record<string, { rule: string; message: string }>) => Object.values(rules);

export const SubnetSelectorTermSchema = Type.Object({
  tags: Type.Optional(SelectorTagsSchema),
  id: Type.Optional(Type.String({ pattern: "subnet-[0-9a-z]+" })),
});
export type SubnetSelectorTerm = Static<typeof SubnetSelectorTermSchema>;

export const SubnetSelectorTermsSchema = Type.Array(SubnetSelectorTermSchema, {
  maxItems: 30,
  "x-kubernetes-validations": cel(subnetTermRules),
});

export const SecurityGroupSelectorTermSchema = Type.Object({
  tags: Type.Optional(SelectorTagsSchema),
  id: Type.Optional(Type.String({ pattern: "sg-[0-9a-z]+" })),
  /** The group's name field, not its Name tag. */
  name: Type.Optional(Type.String()),
});
export type SecurityGroupSelectorTerm = Static<typeof SecurityGroupSelectorTermSchema>;

export const SecurityGroupSelectorTermsSchema = Type.Array(SecurityGroupSelectorTermSchema, {
  maxItems: 30,
  "x-kubernetes-validations": cel(securityGroupTermRules),
});

export const CapacityReservationSelectorTermSchema = Type.Object({
  tags: Type.Optional(SelectorTagsSchema),
  id: Type.Optional(Type.String({ pattern: "^cr-[0-9a-z]+$" })),
  ownerID: Type.Optional(Type.String({ pattern: "^[0-9]{12}$" })),
  instanceMatchCriteria: Type.Optional(
    Type.Union([Type.Literal("open"), Type.Literal("targeted")]),
  ),
});
export type CapacityReservationSelectorTerm = Static<typeof CapacityReservationSelectorTermSchema>;

export const CapacityReservationSelectorTermsSchema = Type.Array(
  CapacityReservationSelectorTermSchema,
  { maxItems: 30, "x-kubernetes-validations": cel(capacityReservationTermRules) },
);

export const AMISelectorTermSchema = Type.Object({
  /**
   * An EKS-optimized AMI as `family@version`: `al2023@latest`, `al2023@v20240807`,
   * `bottlerocket@v1.20.3`; Windows families take only `latest`.
   */
  alias: Type.Optional(Type.String({ maxLength: 30, "x-kubernetes-validations": cel(aliasRules) })),
  tags: Type.Optional(SelectorTagsSchema),
  id: Type.Optional(Type.String({ pattern: "ami-[0-9a-z]+" })),
  /** The image's name field, not its Name tag. */
  name: Type.Optional(Type.String()),
  /** Account IDs, `self`, `amazon` or `aws-marketplace`. */
  owner: Type.Optional(Type.String()),
  /** Name or ARN of an SSM parameter holding the image ID. */
  ssmParameter: Type.Optional(Type.String()),
});
export type AMISelectorTerm = Static<typeof AMISelectorTermSchema>;

export const AMISelectorTermsSchema = Type.Array(AMISelectorTermSchema, {
  minItems: 1,
  maxItems: 30,
  "x-kubernetes-validations": cel(amiTermRules),
});
