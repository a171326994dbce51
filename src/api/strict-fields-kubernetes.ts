import type { TSchema } from "@sinclair/typebox";
import { ConditionSchema, ObjectMetaSchema } from "./meta.ts";
import { NodeSchema } from "./node.ts";
import {
  ContainerSchema,
  PodSchema,
  PodSpecSchema,
  ResourceRequirementsSchema,
  VolumeSchema,
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
 * as of Kubernetes 1.34) that carpool's schemas leave out: a manifest using them is valid, so
 * strict field validation must not call them unknown. Karpenter's and carpool's own kinds have
 * complete schemas (their CRDs are generated from them) and need no entry here.
 */
const unreadByLocation: readonly [TSchema, readonly string[]][] = [
  [ObjectMetaSchema, ["selfLink", "deletionGracePeriodSeconds", "managedFields"]],
  [at(ObjectMetaSchema, "ownerReferences[]"), ["blockOwnerDeletion"]],
  // core/v1 NodeCondition and PodCondition, and metav1.Condition, beyond the shared fields.
  [ConditionSchema, ["lastHeartbeatTime", "lastProbeTime", "observedGeneration"]],
  [
    PodSpecSchema,
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
      "securityContext",
      "serviceAccount",
      "serviceAccountName",
      "setHostnameAsFQDN",
      "shareProcessNamespace",
      "subdomain",
      "workloadRef",
    ],
  ],
  [
    ContainerSchema,
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
  [ResourceRequirementsSchema, ["claims"]],
  [
    VolumeSchema,
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
  [at(VolumeSchema, "ephemeral.volumeClaimTemplate.spec"), persistentVolumeClaimSpecFields()],
  [
    at(PodSchema, "status"),
    [
      "allocatedResources",
      "containerStatuses",
      "ephemeralContainerStatuses",
      "extendedResourceClaimStatus",
      "hostIP",
      "hostIPs",
      "initContainerStatuses",
      "message",
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
  [at(NodeSchema, "spec"), ["configSource", "externalID", "podCIDR", "podCIDRs"]],
  [
    at(NodeSchema, "status"),
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
  ...workloadFields(DeploymentSchema, [
    "minReadySeconds",
    "paused",
    "progressDeadlineSeconds",
    "revisionHistoryLimit",
    "strategy",
  ]),
  ...workloadFields(ReplicaSetSchema, ["minReadySeconds"]),
  ...workloadFields(StatefulSetSchema, [
    "minReadySeconds",
    "ordinals",
    "persistentVolumeClaimRetentionPolicy",
    "podManagementPolicy",
    "revisionHistoryLimit",
    "serviceName",
    "updateStrategy",
    "volumeClaimTemplates",
  ]),
  ...workloadFields(DaemonSetSchema, ["minReadySeconds", "revisionHistoryLimit", "updateStrategy"]),
  ...workloadFields(JobSchema, [
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
  [at(PodDisruptionBudgetSchema, "status"), ["conditions", "disruptedPods"]],
  [
    at(PersistentVolumeSchema, "spec"),
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
    ["apiVersion", "fieldPath", "kind", "resourceVersion", "uid"],
  ],
  [at(PersistentVolumeSchema, ""), ["status"]],
  [at(PersistentVolumeClaimSchema, "spec"), persistentVolumeClaimSpecFields()],
  [at(PersistentVolumeClaimSchema, "spec.resources"), ["limits"]],
  [
    at(PersistentVolumeClaimSchema, "status"),
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
  [StorageClassSchema, ["allowVolumeExpansion", "mountOptions", "parameters", "reclaimPolicy"]],
];

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
function workloadFields(schema: TSchema, specFields: string[]): [TSchema, readonly string[]][] {
  return [
    [at(schema, "spec"), specFields],
    [schema, ["status"]],
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

function mergeLocations(locations: readonly [TSchema, readonly string[]][]): UnreadFields {
  const merged = new Map<object, Set<string>>();
  for (const [schema, fields] of locations) {
    const properties = schema.properties as object;
    const set = merged.get(properties) ?? new Set<string>();
    for (const field of fields) set.add(field);
    merged.set(properties, set);
  }
  return merged;
}
