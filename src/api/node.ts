import { type Static, Type } from "@sinclair/typebox";
import { ObjectMetaSchema, ResourceListSchema } from "./meta.ts";
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
      conditions: Type.Optional(
        Type.Array(
          Type.Object({
            type: Type.String(),
            status: Type.String(),
            reason: Type.Optional(Type.String()),
            lastTransitionTime: Type.Optional(Type.String()),
          }),
        ),
      ),
    }),
  ),
});
export type Node = Static<typeof NodeSchema>;
