import { type Static, Type } from "@sinclair/typebox";
import type { CelRule } from "./ec2nodeclass-cel.ts";
import { ConditionSchema, ObjectMetaSchema, ResourceListSchema } from "./meta.ts";
import { PodTemplateSpecSchema } from "./pod.ts";

/**
 * autoscaling.x-k8s.io/v1alpha1 CapacityBuffer, the SIG Autoscaling API for spare capacity, as
 * Karpenter reads it (kubernetes-sigs/karpenter pkg/apis/autoscaling/v1alpha1/capacitybuffer.go,
 * a copy of cluster-autoscaler's types): a chunk's shape from a PodTemplate (`podTemplateRef`) or
 * a workload (`scalableRef`), and how many chunks (`replicas`, `percentage`, `limits`). Karpenter
 * turns the chunks into virtual pending pods that only exist inside its scheduling simulation.
 */

export const specRules = {
  podTemplateNeedsCount: {
    rule: "!has(self.podTemplateRef) || has(self.replicas) || has(self.limits)",
    message: "If podTemplateRef is set, replicas or limits must also be set",
  },
  oneRef: {
    rule: "!(has(self.podTemplateRef) && has(self.scalableRef))",
    message: "You must define either PodTemplateRef or ScalableRef, but not both",
  },
} as const satisfies Record<string, CelRule>;

/** The only strategy there is: placeholder pods that make the autoscaler add capacity. */
export const ActiveCapacityStrategy = "buffer.x-k8s.io/active-capacity";

const LocalObjectRefSchema = Type.Object({ name: Type.String({ minLength: 1 }) });

export const ScalableRefSchema = Type.Object({
  apiGroup: Type.Optional(Type.String()),
  kind: Type.String({ minLength: 1 }),
  name: Type.String({ minLength: 1 }),
});
export type ScalableRef = Static<typeof ScalableRefSchema>;

export const CapacityBufferSpecSchema = Type.Object(
  {
    provisioningStrategy: Type.Optional(Type.String({ default: ActiveCapacityStrategy })),
    podTemplateRef: Type.Optional(LocalObjectRefSchema),
    scalableRef: Type.Optional(ScalableRefSchema),
    replicas: Type.Optional(Type.Integer({ minimum: 0 })),
    percentage: Type.Optional(Type.Integer({ minimum: 0 })),
    limits: Type.Optional(ResourceListSchema),
  },
  { "x-kubernetes-validations": Object.values(specRules) },
);
export type CapacityBufferSpec = Static<typeof CapacityBufferSpecSchema>;

export const CapacityBufferSchema = Type.Object({
  apiVersion: Type.Literal("autoscaling.x-k8s.io/v1alpha1"),
  kind: Type.Literal("CapacityBuffer"),
  metadata: ObjectMetaSchema,
  spec: CapacityBufferSpecSchema,
  status: Type.Optional(
    Type.Object({
      podTemplateRef: Type.Optional(LocalObjectRefSchema),
      replicas: Type.Optional(Type.Integer()),
      podTemplateGeneration: Type.Optional(Type.Integer()),
      conditions: Type.Optional(Type.Array(ConditionSchema)),
      provisioningStrategy: Type.Optional(Type.String()),
    }),
  ),
});
export type CapacityBuffer = Static<typeof CapacityBufferSchema>;

/** core/v1 PodTemplate: what a buffer's `podTemplateRef` names, in the buffer's namespace. */
export const PodTemplateSchema = Type.Object({
  apiVersion: Type.Literal("v1"),
  kind: Type.Literal("PodTemplate"),
  metadata: ObjectMetaSchema,
  template: PodTemplateSpecSchema,
});
export type PodTemplate = Static<typeof PodTemplateSchema>;

/** The conditions Karpenter writes on a buffer (constants.go). */
export const BufferConditions = {
  readyForProvisioning: "ReadyForProvisioning",
  provisioning: "Provisioning",
} as const;

/** Marks of a virtual pod (constants.go): the annotation that makes it one, the buffer's name. */
export const VirtualPodAnnotation = "karpenter.sh/capacity-buffer-fake-pod";
export const BufferNameLabel = "karpenter.sh/capacity-buffer-name";
/** Stamped on virtual pods so they read as the least valuable work there is. */
export const VirtualPodPriority = -1000;
