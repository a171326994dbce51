import { type Static, Type } from "@sinclair/typebox";
import { ObjectMetaSchema } from "./meta.ts";
import {
  DurationOrNeverPattern,
  DurationPattern,
  KarpenterConditionSchema,
  KarpenterTaintSchema,
  LabelValuePattern,
  NodeClassReferenceSchema,
  QuantityMapSchema,
  requirementSchema,
  requirementsSchema,
} from "./nodeclaim.ts";
import {
  budgetsRule,
  consolidationThresholdRule,
  nodeClassRefTransitionRules,
  nodePoolRequirementKeyRules,
  staticNodePoolRules,
  templateLabelRules,
} from "./nodepool-cel.ts";

/**
 * karpenter.sh/v1 NodePool, field for field as Karpenter v1.14's CRD has it
 * (kubernetes-sigs/karpenter pkg/apis/v1/nodepool.go, nodepool_status.go and
 * pkg/apis/crds/karpenter.sh_nodepools.yaml): patterns, enums, limits, defaults, and the CEL rules
 * of nodepool-cel.ts, which carpool's own validation evaluates too (nodepool-cel-errors.ts).
 */

export {
  DurationOrNeverPattern,
  DurationPattern,
  type NodeClassReference,
  NodeClassReferenceSchema,
  type NodeSelectorRequirementWithMinValues,
  NodeSelectorRequirementWithMinValuesSchema,
} from "./nodeclaim.ts";

/** A template requirement: a NodeClaim's, but its key may not be karpenter.sh/nodepool. */
export const NodePoolRequirementSchema = requirementSchema(nodePoolRequirementKeyRules);

export const DisruptionReasonSchema = Type.Union([
  Type.Literal("Underutilized"),
  Type.Literal("Empty"),
  Type.Literal("Drifted"),
]);
export type DisruptionReason = Static<typeof DisruptionReasonSchema>;

export const BudgetSchema = Type.Object({
  nodes: Type.String({ pattern: "^((100|[0-9]{1,2})%|[0-9]+)$", default: "10%" }),
  schedule: Type.Optional(
    Type.String({
      pattern:
        "^(@(annually|yearly|monthly|weekly|daily|midnight|hourly))|((.+)\\s(.+)\\s(.+)\\s(.+)\\s(.+))$",
    }),
  ),
  duration: Type.Optional(Type.String({ pattern: "^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$" })),
  reasons: Type.Optional(Type.Array(DisruptionReasonSchema, { maxItems: 50 })),
});
export type Budget = Static<typeof BudgetSchema>;

export const ConsolidationPolicySchema = Type.Union(
  [Type.Literal("WhenEmpty"), Type.Literal("WhenEmptyOrUnderutilized"), Type.Literal("Balanced")],
  { default: "WhenEmptyOrUnderutilized" },
);
export type ConsolidationPolicy = Static<typeof ConsolidationPolicySchema>;

export const DisruptionSchema = Type.Object(
  {
    consolidateAfter: Type.String({ pattern: DurationOrNeverPattern }),
    consolidationPolicy: Type.Optional(ConsolidationPolicySchema),
    /** Balanced only: a move is approved when its score ≥ 1/threshold; Karpenter's default is 2. */
    consolidationThreshold: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 3, format: "int32" }),
    ),
    budgets: Type.Optional(
      Type.Array(BudgetSchema, {
        maxItems: 50,
        default: [{ nodes: "10%" }],
        "x-kubernetes-validations": [budgetsRule],
      }),
    ),
  },
  { default: { consolidateAfter: "0s" }, "x-kubernetes-validations": [consolidationThresholdRule] },
);
export type Disruption = Static<typeof DisruptionSchema>;

export const NodeClaimTemplateSpecSchema = Type.Object({
  taints: Type.Optional(Type.Array(KarpenterTaintSchema)),
  startupTaints: Type.Optional(Type.Array(KarpenterTaintSchema)),
  requirements: requirementsSchema(NodePoolRequirementSchema),
  nodeClassRef: Type.Object(NodeClassReferenceSchema.properties, {
    "x-kubernetes-validations": Object.values(nodeClassRefTransitionRules),
  }),
  expireAfter: Type.Optional(Type.String({ pattern: DurationOrNeverPattern, default: "720h" })),
  terminationGracePeriod: Type.Optional(Type.String({ pattern: DurationPattern })),
});

export const NodePoolSpecSchema = Type.Object(
  {
    template: Type.Object({
      metadata: Type.Optional(
        Type.Object({
          labels: Type.Optional(
            Type.Record(Type.String(), Type.String({ maxLength: 63, pattern: LabelValuePattern }), {
              maxProperties: 100,
              "x-kubernetes-validations": Object.values(templateLabelRules),
            }),
          ),
          annotations: Type.Optional(Type.Record(Type.String(), Type.String())),
        }),
      ),
      spec: NodeClaimTemplateSpecSchema,
    }),
    disruption: Type.Optional(DisruptionSchema),
    /** Resource ceilings; a static NodePool may set `nodes` only. */
    limits: Type.Optional(QuantityMapSchema),
    weight: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, format: "int32" })),
    /** A static NodePool (alpha): keep this many nodes, whatever the pods ask. */
    replicas: Type.Optional(Type.Integer({ minimum: 0, format: "int64" })),
  },
  { "x-kubernetes-validations": Object.values(staticNodePoolRules) },
);
export type NodePoolSpec = Static<typeof NodePoolSpecSchema>;

/** What the controller reports (nodepool_status.go): resources in use, nodes, conditions. */
export const NodePoolStatusSchema = Type.Object({
  resources: Type.Optional(QuantityMapSchema),
  nodes: Type.Optional(Type.Integer({ default: 0, format: "int64" })),
  nodeClassObservedGeneration: Type.Optional(Type.Integer({ format: "int64" })),
  conditions: Type.Optional(Type.Array(KarpenterConditionSchema)),
});
export type NodePoolStatus = Static<typeof NodePoolStatusSchema>;

export const NodePoolSchema = Type.Object({
  apiVersion: Type.Literal("karpenter.sh/v1"),
  kind: Type.Literal("NodePool"),
  metadata: ObjectMetaSchema,
  spec: NodePoolSpecSchema,
  status: Type.Optional(NodePoolStatusSchema),
});
export type NodePool = Static<typeof NodePoolSchema>;

/** A static NodePool keeps spec.replicas nodes and does not scale with pods. */
export function isStaticNodePool(nodePool: NodePool): boolean {
  return nodePool.spec.replicas !== undefined;
}

/**
 * Karpenter's defaults (the CRD's `default:` values), applied to a new object as the API server
 * would: a missing disruption is `{consolidateAfter: 0s}`, then its policy and budgets default.
 */
export function defaultNodePool(nodePool: NodePool): NodePool {
  const disruption = nodePool.spec.disruption ?? { consolidateAfter: "0s" };
  return {
    ...nodePool,
    spec: {
      ...nodePool.spec,
      template: {
        ...nodePool.spec.template,
        spec: { expireAfter: "720h", ...nodePool.spec.template.spec },
      },
      disruption: {
        consolidationPolicy: "WhenEmptyOrUnderutilized",
        budgets: [{ nodes: "10%" }],
        ...disruption,
      },
    },
  };
}
