import { type Static, type TSchema, Type } from "@sinclair/typebox";
import "./date-time-format.ts";
import { ObjectMetaSchema } from "./meta.ts";
import {
  nodeClaimRequirementKeyRules,
  nodeClaimSpecImmutable,
  nodeClassRefFieldRules,
  requirementsRules,
} from "./nodepool-cel.ts";
import { TaintEffectSchema } from "./pod.ts";

/**
 * karpenter.sh/v1 NodeClaim (kubernetes-sigs/karpenter pkg/apis/v1/nodeclaim.go and
 * nodeclaim_status.go), and the parts a NodePool's template shares with it, as Karpenter's v1.14
 * CRD states them: patterns, enums, limits, defaults and CEL rules (nodepool-cel.ts).
 */

/** Go durations restricted to s, m, h, as the CRD's patterns allow. */
export const DurationPattern = "^([0-9]+(s|m|h))+$";
export const DurationOrNeverPattern = "^(([0-9]+(s|m|h))+|Never)$";

/** resource.Quantity's pattern, which the CRD gives every int-or-string quantity. */
export const QuantityPattern =
  "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";
/** A label value (validation.IsValidLabelValue's regular expression; the length is apart). */
export const LabelValuePattern = "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$";
/** A qualified name (validation.IsQualifiedName's regular expression; lengths are apart). */
export const QualifiedNamePattern =
  "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(\\/))?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$";

/** A resource list as the CRD has it: integers or quantity strings. */
export const QuantityMapSchema = Type.Record(
  Type.String(),
  Type.Union([Type.Integer(), Type.String()], { pattern: QuantityPattern }),
);

/** A string field that carries CEL rules (a TypeBox option the CRD generator passes on). */
const celString = (rules: readonly { rule: string; message: string }[], options = {}) =>
  Type.String({ ...options, "x-kubernetes-validations": rules });

export const NodeClassReferenceSchema = Type.Object({
  group: celString([nodeClassRefFieldRules.group], { pattern: "^[^/]*$" }),
  kind: celString([nodeClassRefFieldRules.kind]),
  name: celString([nodeClassRefFieldRules.name]),
});
export type NodeClassReference = Static<typeof NodeClassReferenceSchema>;

/**
 * core/v1's NodeSelectorOperator and Karpenter's Gte and Lte (v1.9+): a Karpenter requirement's
 * operators only. A pod's node affinity keeps core/v1's six (pod.ts).
 */
export const KarpenterOperatorSchema = Type.Union([
  Type.Literal("Gte"),
  Type.Literal("Lte"),
  Type.Literal("In"),
  Type.Literal("NotIn"),
  Type.Literal("Exists"),
  Type.Literal("DoesNotExist"),
  Type.Literal("Gt"),
  Type.Literal("Lt"),
]);
export type KarpenterOperator = Static<typeof KarpenterOperatorSchema>;

/** A NodeSelectorRequirement with Karpenter's minValues: how many values must stay possible. */
export function requirementSchema(keyRules: readonly { rule: string; message: string }[]) {
  return Type.Object({
    key: celString(keyRules, { maxLength: 316, pattern: QualifiedNamePattern }),
    operator: KarpenterOperatorSchema,
    // Karpenter's CRD puts maxLength and the pattern on the list, where the API server reads no
    // string keyword: a long value is not refused by the schema (the key's domain rules are).
    values: Type.Optional(
      Type.Array(Type.String(), {
        maxLength: 63,
        pattern: LabelValuePattern,
        "x-kubernetes-list-type": "atomic",
      }),
    ),
    minValues: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  });
}

export const NodeSelectorRequirementWithMinValuesSchema = requirementSchema(
  nodeClaimRequirementKeyRules,
);
export type NodeSelectorRequirementWithMinValues = Static<
  typeof NodeSelectorRequirementWithMinValuesSchema
>;

/** The requirements list, with the rules across its items; `keyRules` differ per kind. */
export function requirementsSchema<T extends TSchema>(item: T, options: object = {}) {
  return Type.Array(item, {
    maxItems: 100,
    ...options,
    "x-kubernetes-validations": Object.values(requirementsRules),
  });
}

/** core/v1 Taint with the patterns Karpenter's CRD adds to key and value. */
export const KarpenterTaintSchema = Type.Object({
  key: Type.String({ minLength: 1, pattern: QualifiedNamePattern }),
  value: Type.Optional(Type.String({ pattern: QualifiedNamePattern })),
  effect: TaintEffectSchema,
  timeAdded: Type.Optional(Type.String({ format: "date-time" })),
});

/**
 * operatorpkg's status.Condition (metav1.Condition) with the CRD's limits on each field. Karpenter's
 * CRD also requires reason, message and lastTransitionTime, which carpool's controllers always
 * write (so a cluster with Karpenter's own CRDs takes their status); they stay optional here so that
 * hand-written snapshots given to the offline commands need not carry them.
 */
export const KarpenterConditionSchema = Type.Object({
  type: Type.String({
    maxLength: 316,
    pattern:
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$",
  }),
  status: Type.String({ enum: ["True", "False", "Unknown"] }),
  observedGeneration: Type.Optional(Type.Integer({ minimum: 0, format: "int64" })),
  lastTransitionTime: Type.Optional(Type.String({ format: "date-time" })),
  reason: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 1024,
      pattern: "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$",
    }),
  ),
  message: Type.Optional(Type.String({ maxLength: 32768 })),
});
export type KarpenterCondition = Static<typeof KarpenterConditionSchema>;

/** NodeClaim's lists are replaced whole by a merge (+listType=atomic in nodeclaim.go). */
const atomic = { "x-kubernetes-list-type": "atomic" } as const;

export const NodeClaimSpecSchema = Type.Object(
  {
    taints: Type.Optional(Type.Array(KarpenterTaintSchema, atomic)),
    startupTaints: Type.Optional(Type.Array(KarpenterTaintSchema, atomic)),
    requirements: requirementsSchema(NodeSelectorRequirementWithMinValuesSchema, atomic),
    resources: Type.Optional(Type.Object({ requests: Type.Optional(QuantityMapSchema) })),
    nodeClassRef: NodeClassReferenceSchema,
    terminationGracePeriod: Type.Optional(Type.String({ pattern: DurationPattern })),
    expireAfter: Type.Optional(Type.String({ pattern: DurationOrNeverPattern, default: "720h" })),
  },
  { "x-kubernetes-validations": [nodeClaimSpecImmutable] },
);
export type NodeClaimSpec = Static<typeof NodeClaimSpecSchema>;

export const NodeClaimSchema = Type.Object({
  apiVersion: Type.Literal("karpenter.sh/v1"),
  kind: Type.Literal("NodeClaim"),
  metadata: ObjectMetaSchema,
  spec: NodeClaimSpecSchema,
  status: Type.Optional(
    Type.Object({
      nodeName: Type.Optional(Type.String()),
      providerID: Type.Optional(Type.String()),
      imageID: Type.Optional(Type.String()),
      capacity: Type.Optional(QuantityMapSchema),
      allocatable: Type.Optional(QuantityMapSchema),
      conditions: Type.Optional(Type.Array(KarpenterConditionSchema)),
      lastPodEventTime: Type.Optional(Type.String({ format: "date-time" })),
    }),
  ),
});
export type NodeClaim = Static<typeof NodeClaimSchema>;
