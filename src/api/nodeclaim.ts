import { type Static, Type } from "@sinclair/typebox";
import { ConditionSchema, ObjectMetaSchema, ResourceListSchema } from "./meta.ts";
import {
  DurationOrNeverPattern,
  DurationPattern,
  NodeClassReferenceSchema,
  NodeSelectorRequirementWithMinValuesSchema,
} from "./nodepool.ts";
import { TaintSchema } from "./pod.ts";

/** karpenter.sh/v1 NodeClaim (pkg/apis/v1/nodeclaim.go, nodeclaim_status.go). */
export const NodeClaimSchema = Type.Object({
  apiVersion: Type.Literal("karpenter.sh/v1"),
  kind: Type.Literal("NodeClaim"),
  metadata: ObjectMetaSchema,
  spec: Type.Object({
    taints: Type.Optional(Type.Array(TaintSchema)),
    startupTaints: Type.Optional(Type.Array(TaintSchema)),
    requirements: Type.Array(NodeSelectorRequirementWithMinValuesSchema, { maxItems: 100 }),
    resources: Type.Optional(Type.Object({ requests: Type.Optional(ResourceListSchema) })),
    nodeClassRef: NodeClassReferenceSchema,
    expireAfter: Type.Optional(Type.String({ pattern: DurationOrNeverPattern })),
    terminationGracePeriod: Type.Optional(Type.String({ pattern: DurationPattern })),
  }),
  status: Type.Optional(
    Type.Object({
      providerID: Type.Optional(Type.String()),
      nodeName: Type.Optional(Type.String()),
      imageID: Type.Optional(Type.String()),
      capacity: Type.Optional(ResourceListSchema),
      allocatable: Type.Optional(ResourceListSchema),
      lastPodEventTime: Type.Optional(Type.String()),
      conditions: Type.Optional(Type.Array(ConditionSchema)),
    }),
  ),
});
export type NodeClaim = Static<typeof NodeClaimSchema>;
