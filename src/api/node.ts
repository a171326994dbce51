import { type Static, Type } from "@sinclair/typebox";
import { ConditionSchema, ObjectMetaSchema, ResourceListSchema } from "./meta.ts";
import { TaintSchema } from "./pod.ts";

/** core/v1 Node, the fields carpool reads. */
export const NodeSchema = Type.Object({
  apiVersion: Type.Literal("v1"),
  kind: Type.Literal("Node"),
  metadata: ObjectMetaSchema,
  spec: Type.Optional(
    Type.Object({
      providerID: Type.Optional(Type.String()),
      taints: Type.Optional(Type.Array(TaintSchema)),
      unschedulable: Type.Optional(Type.Boolean()),
    }),
  ),
  status: Type.Optional(
    Type.Object({
      capacity: Type.Optional(ResourceListSchema),
      allocatable: Type.Optional(ResourceListSchema),
      conditions: Type.Optional(Type.Array(ConditionSchema)),
    }),
  ),
});
export type Node = Static<typeof NodeSchema>;
