import { type Static, Type } from "@sinclair/typebox";
import { ConditionSchema, ObjectMetaSchema, ResourceListSchema } from "./meta.ts";
import { NodeSelectorOperatorSchema, TaintSchema } from "./pod.ts";

/**
 * karpenter.sh/v1 NodePool, field for field (kubernetes-sigs/karpenter pkg/apis/v1/nodepool.go and
 * its CRD). Patterns are the CRD's; cross-field rules (CEL in the CRD) live in validate-nodepool.ts.
 */

/** Go durations restricted to s, m, h, as the CRD's patterns allow. */
export const DurationPattern = "^([0-9]+(s|m|h))+$";
export const DurationOrNeverPattern = "^(([0-9]+(s|m|h))+|Never)$";

export const NodeClassReferenceSchema = Type.Object({
  group: Type.String({ minLength: 1 }),
  kind: Type.String({ minLength: 1 }),
  name: Type.String({ minLength: 1 }),
});
export type NodeClassReference = Static<typeof NodeClassReferenceSchema>;

/** A NodeSelectorRequirement with Karpenter's minValues: how many values must stay possible. */
export const NodeSelectorRequirementWithMinValuesSchema = Type.Object({
  key: Type.String({ maxLength: 316 }),
  operator: NodeSelectorOperatorSchema,
  values: Type.Optional(Type.Array(Type.String({ maxLength: 63 }))),
  minValues: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
});
export type NodeSelectorRequirementWithMinValues = Static<
  typeof NodeSelectorRequirementWithMinValuesSchema
>;

export const DisruptionReasonSchema = Type.Union([
  Type.Literal("Underutilized"),
  Type.Literal("Empty"),
  Type.Literal("Drifted"),
]);
export type DisruptionReason = Static<typeof DisruptionReasonSchema>;

export const BudgetSchema = Type.Object({
  nodes: Type.String({ pattern: "^((100|[0-9]{1,2})%|[0-9]+)$" }),
  schedule: Type.Optional(
    Type.String({
      pattern:
        "^(@(annually|yearly|monthly|weekly|daily|midnight|hourly))|((.+)\\s(.+)\\s(.+)\\s(.+)\\s(.+))$",
    }),
  ),
  duration: Type.Optional(Type.String({ pattern: "^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$" })),
  reasons: Type.Optional(Type.Array(DisruptionReasonSchema)),
});
export type Budget = Static<typeof BudgetSchema>;

export const NodeClaimTemplateSpecSchema = Type.Object({
  taints: Type.Optional(Type.Array(TaintSchema)),
  startupTaints: Type.Optional(Type.Array(TaintSchema)),
  requirements: Type.Array(NodeSelectorRequirementWithMinValuesSchema, { maxItems: 100 }),
  nodeClassRef: NodeClassReferenceSchema,
  expireAfter: Type.Optional(Type.String({ pattern: DurationOrNeverPattern })),
  terminationGracePeriod: Type.Optional(Type.String({ pattern: DurationPattern })),
});

export const NodePoolSpecSchema = Type.Object({
  template: Type.Object({
    metadata: Type.Optional(
      Type.Object({
        labels: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 63 }))),
        annotations: Type.Optional(Type.Record(Type.String(), Type.String())),
      }),
    ),
    spec: NodeClaimTemplateSpecSchema,
  }),
  disruption: Type.Optional(
    Type.Object({
      consolidateAfter: Type.Optional(Type.String({ pattern: DurationOrNeverPattern })),
      consolidationPolicy: Type.Optional(
        Type.Union([
          Type.Literal("WhenEmpty"),
          Type.Literal("WhenEmptyOrUnderutilized"),
          Type.Literal("Balanced"),
        ]),
      ),
      budgets: Type.Optional(Type.Array(BudgetSchema, { maxItems: 50 })),
    }),
  ),
  limits: Type.Optional(ResourceListSchema),
  weight: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});

export const NodePoolSchema = Type.Object({
  apiVersion: Type.Literal("karpenter.sh/v1"),
  kind: Type.Literal("NodePool"),
  metadata: ObjectMetaSchema,
  spec: NodePoolSpecSchema,
  /** What the controller reports (nodepool_status.go): resources in use, nodes, conditions. */
  status: Type.Optional(
    Type.Object({
      resources: Type.Optional(ResourceListSchema),
      nodes: Type.Optional(Type.Integer({ minimum: 0 })),
      conditions: Type.Optional(
        Type.Array(
          Type.Object({
            ...ConditionSchema.properties,
            observedGeneration: Type.Optional(Type.Integer({ minimum: 0 })),
          }),
        ),
      ),
    }),
  ),
});
export type NodePool = Static<typeof NodePoolSchema>;

/** Karpenter's defaults (the CRD's `default:` values), applied to a new object. */
export function defaultNodePool(nodePool: NodePool): NodePool {
  const disruption = nodePool.spec.disruption ?? {};
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
        consolidateAfter: "0s",
        budgets: [{ nodes: "10%" }],
        ...disruption,
      },
    },
  };
}
