import { type Static, Type } from "@sinclair/typebox";
import { ObjectMetaSchema, ResourceListSchema } from "./meta.ts";
import { NodeSelectorSchema } from "./pod.ts";

export const PersistentVolumeSchema = Type.Object({
  apiVersion: Type.Literal("v1"),
  kind: Type.Literal("PersistentVolume"),
  metadata: ObjectMetaSchema,
  spec: Type.Object({
    capacity: Type.Optional(ResourceListSchema),
    storageClassName: Type.Optional(Type.String()),
    claimRef: Type.Optional(
      Type.Object({ namespace: Type.Optional(Type.String()), name: Type.String() }),
    ),
    nodeAffinity: Type.Optional(Type.Object({ required: Type.Optional(NodeSelectorSchema) })),
  }),
});
export type PersistentVolume = Static<typeof PersistentVolumeSchema>;

export const PersistentVolumeClaimSchema = Type.Object({
  apiVersion: Type.Literal("v1"),
  kind: Type.Literal("PersistentVolumeClaim"),
  metadata: ObjectMetaSchema,
  spec: Type.Object({
    storageClassName: Type.Optional(Type.String()),
    volumeName: Type.Optional(Type.String()),
    resources: Type.Optional(Type.Object({ requests: Type.Optional(ResourceListSchema) })),
  }),
  status: Type.Optional(Type.Object({ phase: Type.Optional(Type.String()) })),
});
export type PersistentVolumeClaim = Static<typeof PersistentVolumeClaimSchema>;

export const StorageClassSchema = Type.Object({
  apiVersion: Type.Literal("storage.k8s.io/v1"),
  kind: Type.Literal("StorageClass"),
  metadata: ObjectMetaSchema,
  provisioner: Type.String(),
  volumeBindingMode: Type.Optional(
    Type.Union([Type.Literal("Immediate"), Type.Literal("WaitForFirstConsumer")]),
  ),
  allowedTopologies: Type.Optional(
    Type.Array(
      Type.Object({
        matchLabelExpressions: Type.Optional(
          Type.Array(Type.Object({ key: Type.String(), values: Type.Array(Type.String()) })),
        ),
      }),
    ),
  ),
});
export type StorageClass = Static<typeof StorageClassSchema>;
