import type { TSchema } from "@sinclair/typebox";
import { ConditionSchema, LabelSelectorSchema, ObjectMetaSchema } from "./meta.ts";
import { NodeSchema } from "./node.ts";
import {
  AffinitySchema,
  ContainerPortSchema,
  ContainerSchema,
  NodeAffinitySchema,
  NodeSelectorRequirementSchema,
  NodeSelectorSchema,
  NodeSelectorTermSchema,
  PodAffinitySchema,
  PodAffinityTermSchema,
  PodSchema,
  PodSpecSchema,
  PodTemplateSpecSchema,
  PreferredSchedulingTermSchema,
  ResourceRequirementsSchema,
  TaintSchema,
  TolerationSchema,
  TopologySpreadConstraintSchema,
  VolumeSchema,
  WeightedPodAffinityTermSchema,
} from "./pod.ts";
import { PodDisruptionBudgetSchema } from "./policy.ts";
import {
  PersistentVolumeClaimSchema,
  PersistentVolumeSchema,
  StorageClassSchema,
} from "./storage.ts";
import type { UnreadFields } from "./strict-fields.ts";
import {
  DaemonSetSchema,
  DeploymentSchema,
  JobSchema,
  ReplicaSetSchema,
  StatefulSetSchema,
} from "./workloads.ts";

/**
 * The fields of the Kubernetes types (core/v1, apps/v1, batch/v1, policy/v1, storage.k8s.io/v1,
 * as of Kubernetes 1.36, the dev cluster's) that carpool's schemas leave out: a manifest using
 * them is valid, so strict field validation must not call them unknown. Karpenter's and carpool's
 * own kinds have complete schemas (their CRDs are generated from them) and need no entry here.
 * test/e2e/input-validation.test.ts checks every entry against the API server's OpenAPI.
 */
const unreadByLocation: readonly UnreadLocation[] = [
  [
    ObjectMetaSchema,
    "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
    ["selfLink", "deletionGracePeriodSeconds", "managedFields"],
  ],
  [
    at(ObjectMetaSchema, "ownerReferences[]"),
    "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference",
    ["blockOwnerDeletion"],
  ],
  // core/v1 NodeCondition and PodCondition, and metav1.Condition, beyond the shared fields.
  [
    ConditionSchema,
    "io.k8s.api.core.v1.NodeCondition io.k8s.api.core.v1.PodCondition io.k8s.apimachinery.pkg.apis.meta.v1.Condition",
    ["lastHeartbeatTime", "lastProbeTime", "observedGeneration"],
  ],
  [
    PodSpecSchema,
    "io.k8s.api.core.v1.PodSpec",
    [
      "activeDeadlineSeconds",
      "automountServiceAccountToken",
      "dnsConfig",
      "dnsPolicy",
      "enableServiceLinks",
      "ephemeralContainers",
      "hostAliases",
      "hostIPC",
      "hostPID",
      "hostUsers",
      "hostname",
      "hostnameOverride",
      "imagePullSecrets",
      "os",
      "preemptionPolicy",
      "readinessGates",
      "resourceClaims",
      "resources",
      "runtimeClassName",
      "schedulingGates",
      "schedulingGroup",
      "securityContext",
      "serviceAccount",
      "serviceAccountName",
      "setHostnameAsFQDN",
      "shareProcessNamespace",
      "subdomain",
    ],
  ],
  [
    ContainerSchema,
    "io.k8s.api.core.v1.Container",
    [
      "args",
      "command",
      "env",
      "envFrom",
      "imagePullPolicy",
      "lifecycle",
      "livenessProbe",
      "readinessProbe",
      "resizePolicy",
      "restartPolicyRules",
      "securityContext",
      "startupProbe",
      "stdin",
      "stdinOnce",
      "terminationMessagePath",
      "terminationMessagePolicy",
      "tty",
      "volumeDevices",
      "volumeMounts",
      "workingDir",
    ],
  ],
  [ResourceRequirementsSchema, "io.k8s.api.core.v1.ResourceRequirements", ["claims"]],
  [
    VolumeSchema,
    "io.k8s.api.core.v1.Volume",
    [
      "awsElasticBlockStore",
      "azureDisk",
      "azureFile",
      "cephfs",
      "cinder",
      "configMap",
      "csi",
      "downwardAPI",
      "emptyDir",
      "fc",
      "flexVolume",
      "flocker",
      "gcePersistentDisk",
      "gitRepo",
      "glusterfs",
      "hostPath",
      "image",
      "iscsi",
      "nfs",
      "photonPersistentDisk",
      "portworxVolume",
      "projected",
      "quobyte",
      "rbd",
      "scaleIO",
      "secret",
      "storageos",
      "vsphereVolume",
    ],
  ],
  [
    at(VolumeSchema, "ephemeral.volumeClaimTemplate.spec"),
    "io.k8s.api.core.v1.PersistentVolumeClaimSpec",
    persistentVolumeClaimSpecFields(),
  ],
  [
    at(PodSchema, "status"),
    "io.k8s.api.core.v1.PodStatus",
    [
      "allocatedResources",
      "containerStatuses",
      "ephemeralContainerStatuses",
      "extendedResourceClaimStatus",
      "hostIP",
      "hostIPs",
      "initContainerStatuses",
      "message",
      "nodeAllocatableResourceClaimStatuses",
      "observedGeneration",
      "podIP",
      "podIPs",
      "qosClass",
      "reason",
      "resize",
      "resourceClaimStatuses",
      "resources",
      "startTime",
    ],
  ],
  [
    at(NodeSchema, "spec"),
    "io.k8s.api.core.v1.NodeSpec",
    ["configSource", "externalID", "podCIDR", "podCIDRs"],
  ],
  [
    at(NodeSchema, "status"),
    "io.k8s.api.core.v1.NodeStatus",
    [
      "addresses",
      "config",
      "daemonEndpoints",
      "declaredFeatures",
      "features",
      "images",
      "nodeInfo",
      "phase",
      "runtimeHandlers",
      "volumesAttached",
      "volumesInUse",
    ],
  ],
  ...workloadFields(DeploymentSchema, "io.k8s.api.apps.v1.Deployment", [
    "minReadySeconds",
    "paused",
    "progressDeadlineSeconds",
    "revisionHistoryLimit",
    "strategy",
  ]),
  ...workloadFields(ReplicaSetSchema, "io.k8s.api.apps.v1.ReplicaSet", ["minReadySeconds"]),
  ...workloadFields(StatefulSetSchema, "io.k8s.api.apps.v1.StatefulSet", [
    "minReadySeconds",
    "ordinals",
    "persistentVolumeClaimRetentionPolicy",
    "podManagementPolicy",
    "revisionHistoryLimit",
    "serviceName",
    "updateStrategy",
    "volumeClaimTemplates",
  ]),
  ...workloadFields(DaemonSetSchema, "io.k8s.api.apps.v1.DaemonSet", [
    "minReadySeconds",
    "revisionHistoryLimit",
    "updateStrategy",
  ]),
  ...workloadFields(JobSchema, "io.k8s.api.batch.v1.Job", [
    "activeDeadlineSeconds",
    "backoffLimit",
    "backoffLimitPerIndex",
    "completionMode",
    "managedBy",
    "manualSelector",
    "maxFailedIndexes",
    "podFailurePolicy",
    "podReplacementPolicy",
    "successPolicy",
    "suspend",
    "ttlSecondsAfterFinished",
  ]),
  [
    at(PodDisruptionBudgetSchema, "status"),
    "io.k8s.api.policy.v1.PodDisruptionBudgetStatus",
    ["conditions", "disruptedPods"],
  ],
  [
    at(PersistentVolumeSchema, "spec"),
    "io.k8s.api.core.v1.PersistentVolumeSpec",
    [
      "accessModes",
      "awsElasticBlockStore",
      "azureDisk",
      "azureFile",
      "cephfs",
      "cinder",
      "csi",
      "fc",
      "flexVolume",
      "flocker",
      "gcePersistentDisk",
      "glusterfs",
      "hostPath",
      "iscsi",
      "local",
      "mountOptions",
      "nfs",
      "persistentVolumeReclaimPolicy",
      "photonPersistentDisk",
      "portworxVolume",
      "quobyte",
      "rbd",
      "scaleIO",
      "storageos",
      "volumeAttributesClassName",
      "volumeMode",
      "vsphereVolume",
    ],
  ],
  [
    at(PersistentVolumeSchema, "spec.claimRef"),
    "io.k8s.api.core.v1.ObjectReference",
    ["apiVersion", "fieldPath", "kind", "resourceVersion", "uid"],
  ],
  [at(PersistentVolumeSchema, ""), "io.k8s.api.core.v1.PersistentVolume", ["status"]],
  [
    at(PersistentVolumeClaimSchema, "spec"),
    "io.k8s.api.core.v1.PersistentVolumeClaimSpec",
    persistentVolumeClaimSpecFields(),
  ],
  [
    at(PersistentVolumeClaimSchema, "spec.resources"),
    "io.k8s.api.core.v1.VolumeResourceRequirements",
    ["limits"],
  ],
  [
    at(PersistentVolumeClaimSchema, "status"),
    "io.k8s.api.core.v1.PersistentVolumeClaimStatus",
    [
      "accessModes",
      "allocatedResourceStatuses",
      "allocatedResources",
      "capacity",
      "conditions",
      "currentVolumeAttributesClassName",
      "modifyVolumeStatus",
    ],
  ],
  [
    StorageClassSchema,
    "io.k8s.api.storage.v1.StorageClass",
    ["allowVolumeExpansion", "mountOptions", "parameters", "reclaimPolicy"],
  ],
  // Modelled in full: listed so the API server test checks carpool's schema has every field.
  [PodSchema, "io.k8s.api.core.v1.Pod", []],
  [NodeSchema, "io.k8s.api.core.v1.Node", []],
  [PersistentVolumeClaimSchema, "io.k8s.api.core.v1.PersistentVolumeClaim", []],
  [PodDisruptionBudgetSchema, "io.k8s.api.policy.v1.PodDisruptionBudget", []],
  [at(PodDisruptionBudgetSchema, "spec"), "io.k8s.api.policy.v1.PodDisruptionBudgetSpec", []],
  [PodTemplateSpecSchema, "io.k8s.api.core.v1.PodTemplateSpec", []],
  [AffinitySchema, "io.k8s.api.core.v1.Affinity", []],
  [NodeAffinitySchema, "io.k8s.api.core.v1.NodeAffinity", []],
  [NodeSelectorSchema, "io.k8s.api.core.v1.NodeSelector", []],
  [NodeSelectorTermSchema, "io.k8s.api.core.v1.NodeSelectorTerm", []],
  [NodeSelectorRequirementSchema, "io.k8s.api.core.v1.NodeSelectorRequirement", []],
  [PreferredSchedulingTermSchema, "io.k8s.api.core.v1.PreferredSchedulingTerm", []],
  [PodAffinitySchema, "io.k8s.api.core.v1.PodAffinity io.k8s.api.core.v1.PodAntiAffinity", []],
  [PodAffinityTermSchema, "io.k8s.api.core.v1.PodAffinityTerm", []],
  [WeightedPodAffinityTermSchema, "io.k8s.api.core.v1.WeightedPodAffinityTerm", []],
  [TopologySpreadConstraintSchema, "io.k8s.api.core.v1.TopologySpreadConstraint", []],
  [TolerationSchema, "io.k8s.api.core.v1.Toleration", []],
  [TaintSchema, "io.k8s.api.core.v1.Taint", []],
  [ContainerPortSchema, "io.k8s.api.core.v1.ContainerPort", []],
  [LabelSelectorSchema, "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector", []],
  [
    at(LabelSelectorSchema, "matchExpressions[]"),
    "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement",
    [],
  ],
];

/**
 * One place in carpool's schemas: the Kubernetes type(s) it stands for, by OpenAPI name
 * (space-separated when one schema serves several), and the fields of those carpool does not read.
 */
export type UnreadLocation = readonly [schema: TSchema, openApi: string, unread: readonly string[]];

export const KubernetesUnreadLocations: readonly UnreadLocation[] = unreadByLocation;

export const KubernetesUnreadFields: UnreadFields = mergeLocations(unreadByLocation);

function persistentVolumeClaimSpecFields(): string[] {
  return [
    "accessModes",
    "dataSource",
    "dataSourceRef",
    "selector",
    "volumeAttributesClassName",
    "volumeMode",
    "volumeName",
  ];
}

/** A workload's spec fields beyond replicas, selector and template; its status is the server's. */
function workloadFields(schema: TSchema, openApi: string, specFields: string[]): UnreadLocation[] {
  return [
    [at(schema, "spec"), `${openApi}Spec`, specFields],
    [schema, openApi, ["status"]],
  ];
}

/** The schema at `path` (`spec.template`, `[]` for a list's items) inside `schema`. */
function at(schema: TSchema, path: string): TSchema {
  let current = schema;
  for (const part of path.split(".").filter((p) => p !== "")) {
    const name = part.replace(/\[\]$/, "");
    const next = current.properties?.[name] as TSchema | undefined;
    if (next === undefined) throw new Error(`strict fields: no ${path} in the schema`);
    current = part.endsWith("[]") ? (next.items as TSchema) : next;
  }
  return current;
}

function mergeLocations(locations: readonly UnreadLocation[]): UnreadFields {
  const merged = new Map<object, Set<string>>();
  for (const [schema, , fields] of locations) {
    const properties = schema.properties as object;
    const set = merged.get(properties) ?? new Set<string>();
    for (const field of fields) set.add(field);
    merged.set(properties, set);
  }
  return merged;
}
