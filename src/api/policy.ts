import { type Static, Type } from "@sinclair/typebox";
import { LabelSelectorSchema, ObjectMetaSchema } from "./meta.ts";

/** An int-or-string such as PodDisruptionBudget's minAvailable: 2 or "50%". */
export const IntOrPercentSchema = Type.Union([
  Type.Integer({ minimum: 0 }),
  Type.String({ pattern: "^[0-9]+%$" }),
]);

export const PodDisruptionBudgetSchema = Type.Object({
  apiVersion: Type.Literal("policy/v1"),
  kind: Type.Literal("PodDisruptionBudget"),
  metadata: ObjectMetaSchema,
  spec: Type.Object({
    minAvailable: Type.Optional(IntOrPercentSchema),
    maxUnavailable: Type.Optional(IntOrPercentSchema),
    selector: Type.Optional(LabelSelectorSchema),
    unhealthyPodEvictionPolicy: Type.Optional(
      Type.Union([Type.Literal("IfHealthyBudget"), Type.Literal("AlwaysAllow")]),
    ),
  }),
  /** What the disruption controller last computed; the API server's eviction check reads it. */
  status: Type.Optional(
    Type.Object({
      observedGeneration: Type.Optional(Type.Integer()),
      disruptionsAllowed: Type.Optional(Type.Integer({ minimum: 0 })),
      currentHealthy: Type.Optional(Type.Integer({ minimum: 0 })),
      desiredHealthy: Type.Optional(Type.Integer({ minimum: 0 })),
      expectedPods: Type.Optional(Type.Integer({ minimum: 0 })),
    }),
  ),
});
export type PodDisruptionBudget = Static<typeof PodDisruptionBudgetSchema>;
