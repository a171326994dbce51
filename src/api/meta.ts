import { type Static, Type } from "@sinclair/typebox";

/** Kubernetes ObjectMeta, the fields carpool reads. Unknown fields are kept, not rejected. */
export const ObjectMetaSchema = Type.Object({
  name: Type.Optional(Type.String()),
  generateName: Type.Optional(Type.String()),
  namespace: Type.Optional(Type.String()),
  uid: Type.Optional(Type.String()),
  resourceVersion: Type.Optional(Type.String()),
  generation: Type.Optional(Type.Integer()),
  creationTimestamp: Type.Optional(Type.String()),
  deletionTimestamp: Type.Optional(Type.String()),
  labels: Type.Optional(Type.Record(Type.String(), Type.String())),
  annotations: Type.Optional(Type.Record(Type.String(), Type.String())),
  finalizers: Type.Optional(Type.Array(Type.String())),
  ownerReferences: Type.Optional(
    Type.Array(
      Type.Object({
        apiVersion: Type.String(),
        kind: Type.String(),
        name: Type.String(),
        uid: Type.Optional(Type.String()),
        controller: Type.Optional(Type.Boolean()),
      }),
    ),
  ),
});
export type ObjectMeta = Static<typeof ObjectMetaSchema>;

export const LabelSelectorOperatorSchema = Type.Union([
  Type.Literal("In"),
  Type.Literal("NotIn"),
  Type.Literal("Exists"),
  Type.Literal("DoesNotExist"),
]);

/** metav1.LabelSelector: matchLabels and matchExpressions are ANDed. */
export const LabelSelectorSchema = Type.Object({
  matchLabels: Type.Optional(Type.Record(Type.String(), Type.String())),
  matchExpressions: Type.Optional(
    Type.Array(
      Type.Object({
        key: Type.String(),
        operator: LabelSelectorOperatorSchema,
        values: Type.Optional(Type.Array(Type.String())),
      }),
    ),
  ),
});
export type LabelSelector = Static<typeof LabelSelectorSchema>;

/** A resource list as written in manifests: resource name → quantity text (or a number). */
export const ResourceListSchema = Type.Record(
  Type.String(),
  Type.Union([Type.String(), Type.Number()]),
);
export type ResourceListText = Static<typeof ResourceListSchema>;

/** The fields every object carpool reads has. */
export const TypeMetaSchema = Type.Object({
  apiVersion: Type.String(),
  kind: Type.String(),
});

/** A status condition (metav1.Condition and the core/v1 condition types share these fields). */
export const ConditionSchema = Type.Object({
  type: Type.String(),
  status: Type.String(),
  reason: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  lastTransitionTime: Type.Optional(Type.String()),
});
export type Condition = Static<typeof ConditionSchema>;
