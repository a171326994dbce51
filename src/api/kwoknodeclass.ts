import { type Static, Type } from "@sinclair/typebox";
import { ConditionSchema, ObjectMetaSchema } from "./meta.ts";

/**
 * carpool.dev/v1alpha1 KwokNodeClass: the node class of NodePools whose nodes are Kubernetes Node
 * objects only, made by the kwok provider and kept alive by kwok (Karpenter's KWOKNodeClass). It
 * has nothing to configure yet, so its spec is empty and a field in it is refused rather than
 * silently ignored. `status.conditions` carries Ready.
 */
export const KwokNodeClassSchema = Type.Object({
  apiVersion: Type.Literal("carpool.dev/v1alpha1"),
  kind: Type.Literal("KwokNodeClass"),
  metadata: ObjectMetaSchema,
  spec: Type.Optional(Type.Object({}, { additionalProperties: false })),
  status: Type.Optional(
    Type.Object({
      conditions: Type.Optional(Type.Array(ConditionSchema)),
    }),
  ),
});
export type KwokNodeClass = Static<typeof KwokNodeClassSchema>;
