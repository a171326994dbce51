import { type Static, Type } from "@sinclair/typebox";
import {
  ConditionSchema,
  LabelSelectorSchema,
  ObjectMetaSchema,
  ResourceListSchema,
} from "./meta.ts";

export const TaintEffectSchema = Type.Union([
  Type.Literal("NoSchedule"),
  Type.Literal("PreferNoSchedule"),
  Type.Literal("NoExecute"),
]);
export type TaintEffect = Static<typeof TaintEffectSchema>;

/** core/v1 Taint. */
export const TaintSchema = Type.Object({
  key: Type.String(),
  value: Type.Optional(Type.String()),
  effect: TaintEffectSchema,
  timeAdded: Type.Optional(Type.String()),
});
export type Taint = Static<typeof TaintSchema>;

/**
 * core/v1 TolerationOperator as the API server accepts it: "" (read as Equal), Equal, Exists,
 * and Lt / Gt (the TaintTolerationComparisonOperators feature: integer thresholds).
 */
export const TolerationOperatorSchema = Type.Union([
  Type.Literal("Equal"),
  Type.Literal("Exists"),
  Type.Literal("Lt"),
  Type.Literal("Gt"),
  Type.Literal(""),
]);
export type TolerationOperator = Static<typeof TolerationOperatorSchema>;

/** core/v1 Toleration. An empty effect matches every effect; operator defaults to Equal. */
export const TolerationSchema = Type.Object({
  key: Type.Optional(Type.String()),
  operator: Type.Optional(TolerationOperatorSchema),
  value: Type.Optional(Type.String()),
  effect: Type.Optional(Type.Union([TaintEffectSchema, Type.Literal("")])),
  tolerationSeconds: Type.Optional(Type.Integer()),
});
export type Toleration = Static<typeof TolerationSchema>;

export const NodeSelectorOperatorSchema = Type.Union([
  Type.Literal("In"),
  Type.Literal("NotIn"),
  Type.Literal("Exists"),
  Type.Literal("DoesNotExist"),
  Type.Literal("Gt"),
  Type.Literal("Lt"),
]);
export type NodeSelectorOperator = Static<typeof NodeSelectorOperatorSchema>;

/** core/v1 NodeSelectorRequirement. */
export const NodeSelectorRequirementSchema = Type.Object({
  key: Type.String(),
  operator: NodeSelectorOperatorSchema,
  values: Type.Optional(Type.Array(Type.String())),
});
export type NodeSelectorRequirement = Static<typeof NodeSelectorRequirementSchema>;

/** core/v1 NodeSelectorTerm: expressions and fields are ANDed. */
export const NodeSelectorTermSchema = Type.Object({
  matchExpressions: Type.Optional(Type.Array(NodeSelectorRequirementSchema)),
  matchFields: Type.Optional(Type.Array(NodeSelectorRequirementSchema)),
});
export type NodeSelectorTerm = Static<typeof NodeSelectorTermSchema>;

/** core/v1 NodeSelector: terms are ORed. */
export const NodeSelectorSchema = Type.Object({
  nodeSelectorTerms: Type.Array(NodeSelectorTermSchema),
});
export type NodeSelector = Static<typeof NodeSelectorSchema>;

export const PreferredSchedulingTermSchema = Type.Object({
  weight: Type.Integer(),
  preference: NodeSelectorTermSchema,
});
export type PreferredSchedulingTerm = Static<typeof PreferredSchedulingTermSchema>;

export const NodeAffinitySchema = Type.Object({
  requiredDuringSchedulingIgnoredDuringExecution: Type.Optional(NodeSelectorSchema),
  preferredDuringSchedulingIgnoredDuringExecution: Type.Optional(
    Type.Array(PreferredSchedulingTermSchema),
  ),
});
export type NodeAffinity = Static<typeof NodeAffinitySchema>;

/** core/v1 PodAffinityTerm. Empty namespaces and no namespaceSelector mean the pod's own namespace. */
export const PodAffinityTermSchema = Type.Object({
  labelSelector: Type.Optional(LabelSelectorSchema),
  namespaces: Type.Optional(Type.Array(Type.String())),
  namespaceSelector: Type.Optional(LabelSelectorSchema),
  topologyKey: Type.String(),
  matchLabelKeys: Type.Optional(Type.Array(Type.String())),
  mismatchLabelKeys: Type.Optional(Type.Array(Type.String())),
});
export type PodAffinityTerm = Static<typeof PodAffinityTermSchema>;

export const WeightedPodAffinityTermSchema = Type.Object({
  weight: Type.Integer(),
  podAffinityTerm: PodAffinityTermSchema,
});
export type WeightedPodAffinityTerm = Static<typeof WeightedPodAffinityTermSchema>;

export const PodAffinitySchema = Type.Object({
  requiredDuringSchedulingIgnoredDuringExecution: Type.Optional(Type.Array(PodAffinityTermSchema)),
  preferredDuringSchedulingIgnoredDuringExecution: Type.Optional(
    Type.Array(WeightedPodAffinityTermSchema),
  ),
});
export type PodAffinity = Static<typeof PodAffinitySchema>;

export const AffinitySchema = Type.Object({
  nodeAffinity: Type.Optional(NodeAffinitySchema),
  podAffinity: Type.Optional(PodAffinitySchema),
  podAntiAffinity: Type.Optional(PodAffinitySchema),
});
export type Affinity = Static<typeof AffinitySchema>;

/** core/v1 TopologySpreadConstraint. */
export const TopologySpreadConstraintSchema = Type.Object({
  maxSkew: Type.Integer(),
  topologyKey: Type.String(),
  whenUnsatisfiable: Type.Union([Type.Literal("DoNotSchedule"), Type.Literal("ScheduleAnyway")]),
  labelSelector: Type.Optional(LabelSelectorSchema),
  minDomains: Type.Optional(Type.Integer()),
  nodeAffinityPolicy: Type.Optional(Type.Union([Type.Literal("Honor"), Type.Literal("Ignore")])),
  nodeTaintsPolicy: Type.Optional(Type.Union([Type.Literal("Honor"), Type.Literal("Ignore")])),
  matchLabelKeys: Type.Optional(Type.Array(Type.String())),
});
export type TopologySpreadConstraint = Static<typeof TopologySpreadConstraintSchema>;

export const ContainerPortSchema = Type.Object({
  name: Type.Optional(Type.String()),
  containerPort: Type.Integer(),
  hostPort: Type.Optional(Type.Integer()),
  hostIP: Type.Optional(Type.String()),
  protocol: Type.Optional(
    Type.Union([Type.Literal("TCP"), Type.Literal("UDP"), Type.Literal("SCTP")]),
  ),
});
export type ContainerPort = Static<typeof ContainerPortSchema>;

export const ResourceRequirementsSchema = Type.Object({
  requests: Type.Optional(ResourceListSchema),
  limits: Type.Optional(ResourceListSchema),
});
export type ResourceRequirements = Static<typeof ResourceRequirementsSchema>;

export const ContainerSchema = Type.Object({
  name: Type.String(),
  image: Type.Optional(Type.String()),
  resources: Type.Optional(ResourceRequirementsSchema),
  ports: Type.Optional(Type.Array(ContainerPortSchema)),
  /** "Always" on an init container makes it a sidecar (KEP-753). */
  restartPolicy: Type.Optional(Type.String()),
});
export type Container = Static<typeof ContainerSchema>;

export const VolumeSchema = Type.Object({
  name: Type.String(),
  persistentVolumeClaim: Type.Optional(
    Type.Object({ claimName: Type.String(), readOnly: Type.Optional(Type.Boolean()) }),
  ),
  ephemeral: Type.Optional(
    Type.Object({
      volumeClaimTemplate: Type.Optional(
        Type.Object({
          metadata: Type.Optional(ObjectMetaSchema),
          spec: Type.Object({
            storageClassName: Type.Optional(Type.String()),
            resources: Type.Optional(ResourceRequirementsSchema),
          }),
        }),
      ),
    }),
  ),
});
export type Volume = Static<typeof VolumeSchema>;

export const PodSpecSchema = Type.Object({
  nodeName: Type.Optional(Type.String()),
  nodeSelector: Type.Optional(Type.Record(Type.String(), Type.String())),
  affinity: Type.Optional(AffinitySchema),
  tolerations: Type.Optional(Type.Array(TolerationSchema)),
  topologySpreadConstraints: Type.Optional(Type.Array(TopologySpreadConstraintSchema)),
  containers: Type.Array(ContainerSchema),
  initContainers: Type.Optional(Type.Array(ContainerSchema)),
  overhead: Type.Optional(ResourceListSchema),
  volumes: Type.Optional(Type.Array(VolumeSchema)),
  priority: Type.Optional(Type.Integer()),
  priorityClassName: Type.Optional(Type.String()),
  schedulerName: Type.Optional(Type.String()),
  terminationGracePeriodSeconds: Type.Optional(Type.Integer()),
  hostNetwork: Type.Optional(Type.Boolean()),
  restartPolicy: Type.Optional(Type.String()),
});
export type PodSpec = Static<typeof PodSpecSchema>;

export const PodStatusSchema = Type.Object({
  phase: Type.Optional(Type.String()),
  conditions: Type.Optional(Type.Array(ConditionSchema)),
  nominatedNodeName: Type.Optional(Type.String()),
  /** When the kubelet acknowledged the pod (RFC 3339); karpenter.sh/do-not-disrupt durations count from it. */
  startTime: Type.Optional(Type.String()),
});

export const PodSchema = Type.Object({
  apiVersion: Type.Literal("v1"),
  kind: Type.Literal("Pod"),
  metadata: ObjectMetaSchema,
  spec: PodSpecSchema,
  status: Type.Optional(PodStatusSchema),
});
export type Pod = Static<typeof PodSchema>;

/** core/v1 PodTemplateSpec, as workloads carry it. */
export const PodTemplateSpecSchema = Type.Object({
  metadata: Type.Optional(ObjectMetaSchema),
  spec: PodSpecSchema,
});
export type PodTemplateSpec = Static<typeof PodTemplateSpecSchema>;
