import { type Static, Type } from "@sinclair/typebox";
import { LabelSelectorSchema, ObjectMetaSchema } from "./meta.ts";
import { PodTemplateSpecSchema } from "./pod.ts";

const replicated = <K extends string>(apiVersion: "apps/v1", kind: K) =>
  Type.Object({
    apiVersion: Type.Literal(apiVersion),
    kind: Type.Literal(kind),
    metadata: ObjectMetaSchema,
    spec: Type.Object({
      replicas: Type.Optional(Type.Integer({ minimum: 0 })),
      selector: Type.Optional(LabelSelectorSchema),
      template: PodTemplateSpecSchema,
    }),
  });

export const DeploymentSchema = replicated("apps/v1", "Deployment");
export type Deployment = Static<typeof DeploymentSchema>;
export const ReplicaSetSchema = replicated("apps/v1", "ReplicaSet");
export type ReplicaSet = Static<typeof ReplicaSetSchema>;
export const StatefulSetSchema = replicated("apps/v1", "StatefulSet");
export type StatefulSet = Static<typeof StatefulSetSchema>;

export const DaemonSetSchema = Type.Object({
  apiVersion: Type.Literal("apps/v1"),
  kind: Type.Literal("DaemonSet"),
  metadata: ObjectMetaSchema,
  spec: Type.Object({
    selector: Type.Optional(LabelSelectorSchema),
    template: PodTemplateSpecSchema,
  }),
});
export type DaemonSet = Static<typeof DaemonSetSchema>;

export const JobSchema = Type.Object({
  apiVersion: Type.Literal("batch/v1"),
  kind: Type.Literal("Job"),
  metadata: ObjectMetaSchema,
  spec: Type.Object({
    parallelism: Type.Optional(Type.Integer({ minimum: 0 })),
    completions: Type.Optional(Type.Integer({ minimum: 0 })),
    selector: Type.Optional(LabelSelectorSchema),
    template: PodTemplateSpecSchema,
  }),
});
export type Job = Static<typeof JobSchema>;
