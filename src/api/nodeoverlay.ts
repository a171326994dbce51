import { type Static, Type } from "@sinclair/typebox";
import type { CelRule } from "./ec2nodeclass-cel.ts";
import { ConditionSchema, ObjectMetaSchema } from "./meta.ts";
import { KarpenterOperatorSchema } from "./nodeclaim.ts";

/**
 * karpenter.sh/v1alpha1 NodeOverlay, field for field (kubernetes-sigs/karpenter
 * pkg/apis/v1alpha1/nodeoverlay.go and the CRD karpenter.sh_nodeoverlays.yaml): a price or an
 * extended-resource capacity that the scheduling simulation sees on the instance types its
 * requirements select. Alpha in Karpenter, as here. The CEL rules are carried into the CRD and
 * checked by carpool with the same messages (nodeoverlay-rules.ts).
 */

/** The CRD's rules on `spec.requirements`, in its order. */
export const requirementsRules = {
  notInValues: {
    rule: "self.all(x, x.operator == 'NotIn' ? x.values.size() != 0 : true)",
    message: "requirements with operator 'NotIn' must have a value defined",
  },
  inValues: {
    rule: "self.all(x, x.operator == 'In' ? x.values.size() != 0 : true)",
    message: "requirements with operator 'In' must have a value defined",
  },
  integerValue: {
    rule: "self.all(x, (x.operator == 'Gt' || x.operator == 'Lt' || x.operator == 'Gte' || x.operator == 'Lte') ? (x.values.size() == 1 && int(x.values[0]) >= 0) : true)",
    message:
      "requirements operator 'Gt', 'Lt', 'Gte' or 'Lte' must have a single positive integer value",
  },
} as const satisfies Record<string, CelRule>;

/** Standard resources an overlay may not touch: `capacity` only adds extended resources. */
export const RestrictedCapacityResources = ["cpu", "memory", "ephemeral-storage", "pods"] as const;

export const capacityRule: CelRule = {
  rule: "self.all(x, !(x in ['cpu', 'memory', 'ephemeral-storage', 'pods']))",
  message: "invalid resource restricted",
};

export const priceExclusiveRule: CelRule = {
  rule: "!has(self.price) || !has(self.priceAdjustment)",
  message: "cannot set both 'price' and 'priceAdjustment'",
};

/** The CRD's key rules: Karpenter's restricted label domains. */
export const requirementKeyRules = [
  {
    rule: 'self in ["karpenter.sh/capacity-type", "karpenter.sh/nodepool"] || !self.find("^([^/]+)").endsWith("karpenter.sh")',
    message: 'label domain "karpenter.sh" is restricted',
  },
  {
    rule: 'self != "kubernetes.io/hostname"',
    message: 'label "kubernetes.io/hostname" is restricted',
  },
] as const satisfies readonly CelRule[];

/** A signed amount (`+0.5`, `-.01`), a rise in percent (`+10%`), or a cut of at most 100 % (`-15%`). */
export const PriceAdjustmentPattern =
  "^(([+-]{1}(\\d*\\.?\\d+))|(\\+{1}\\d*\\.?\\d+%)|(^(-\\d{1,2}(\\.\\d+)?%)$)|(-100%))$";
/** An absolute price: an unsigned decimal. */
export const PricePattern = "^\\d+(\\.\\d+)?$";

export const NodeOverlayRequirementSchema = Type.Object({
  key: Type.String({
    maxLength: 316,
    pattern:
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(\\/))?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$",
    "x-kubernetes-validations": requirementKeyRules,
  }),
  // Karpenter's Gte and Lte besides core/v1's six, as its NodePools take them.
  operator: KarpenterOperatorSchema,
  values: Type.Optional(
    Type.Array(
      Type.String({ maxLength: 63, pattern: "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$" }),
    ),
  ),
});
export type NodeOverlayRequirement = Static<typeof NodeOverlayRequirementSchema>;

export const NodeOverlaySpecSchema = Type.Object(
  {
    requirements: Type.Array(NodeOverlayRequirementSchema, {
      maxItems: 100,
      "x-kubernetes-validations": Object.values(requirementsRules),
    }),
    priceAdjustment: Type.Optional(Type.String({ pattern: PriceAdjustmentPattern })),
    price: Type.Optional(Type.String({ pattern: PricePattern })),
    capacity: Type.Optional(
      Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), {
        "x-kubernetes-validations": [capacityRule],
      }),
    ),
    // Absent is weight 0: below every overlay that sets one.
    weight: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  },
  { "x-kubernetes-validations": [priceExclusiveRule] },
);
export type NodeOverlaySpec = Static<typeof NodeOverlaySpecSchema>;

export const NodeOverlaySchema = Type.Object({
  apiVersion: Type.Literal("karpenter.sh/v1alpha1"),
  kind: Type.Literal("NodeOverlay"),
  metadata: ObjectMetaSchema,
  spec: NodeOverlaySpecSchema,
  status: Type.Optional(Type.Object({ conditions: Type.Optional(Type.Array(ConditionSchema)) })),
});
export type NodeOverlay = Static<typeof NodeOverlaySchema>;

/** Karpenter's one condition of its own; Ready follows it. */
export const ValidationSucceeded = "ValidationSucceeded";
