import type { StoredObject } from "../ports/cluster-store.ts";

/** Where a kind lives on the API server. */
export interface Resource {
  readonly kind: StoredObject["kind"];
  readonly apiVersion: string;
  /** The plural resource name in URLs (`nodeclaims`). */
  readonly plural: string;
  readonly namespaced: boolean;
  /** Status is written through the `/status` subresource, and ignored by writes to the object. */
  readonly statusSubresource: boolean;
  /** The server keeps status given on create (Nodes: "allow all fields, including status"). */
  readonly statusOnCreate?: boolean;
}

const table: readonly Resource[] = [
  { kind: "Pod", apiVersion: "v1", plural: "pods", namespaced: true, statusSubresource: true },
  {
    kind: "Node",
    apiVersion: "v1",
    plural: "nodes",
    namespaced: false,
    statusSubresource: true,
    statusOnCreate: true,
  },
  {
    kind: "PersistentVolume",
    apiVersion: "v1",
    plural: "persistentvolumes",
    namespaced: false,
    statusSubresource: true,
  },
  {
    kind: "PersistentVolumeClaim",
    apiVersion: "v1",
    plural: "persistentvolumeclaims",
    namespaced: true,
    statusSubresource: true,
  },
  {
    kind: "Deployment",
    apiVersion: "apps/v1",
    plural: "deployments",
    namespaced: true,
    statusSubresource: true,
  },
  {
    kind: "ReplicaSet",
    apiVersion: "apps/v1",
    plural: "replicasets",
    namespaced: true,
    statusSubresource: true,
  },
  {
    kind: "StatefulSet",
    apiVersion: "apps/v1",
    plural: "statefulsets",
    namespaced: true,
    statusSubresource: true,
  },
  {
    kind: "DaemonSet",
    apiVersion: "apps/v1",
    plural: "daemonsets",
    namespaced: true,
    statusSubresource: true,
  },
  {
    kind: "Job",
    apiVersion: "batch/v1",
    plural: "jobs",
    namespaced: true,
    statusSubresource: true,
  },
  {
    kind: "PodDisruptionBudget",
    apiVersion: "policy/v1",
    plural: "poddisruptionbudgets",
    namespaced: true,
    statusSubresource: true,
  },
  {
    kind: "StorageClass",
    apiVersion: "storage.k8s.io/v1",
    plural: "storageclasses",
    namespaced: false,
    statusSubresource: false,
  },
  {
    kind: "NodePool",
    apiVersion: "karpenter.sh/v1",
    plural: "nodepools",
    namespaced: false,
    statusSubresource: true,
  },
  {
    kind: "NodeClaim",
    apiVersion: "karpenter.sh/v1",
    plural: "nodeclaims",
    namespaced: false,
    statusSubresource: true,
  },
  {
    kind: "EC2NodeClass",
    apiVersion: "karpenter.k8s.aws/v1",
    plural: "ec2nodeclasses",
    namespaced: false,
    statusSubresource: true,
  },
  {
    kind: "KwokNodeClass",
    apiVersion: "carpool.dev/v1alpha1",
    plural: "kwoknodeclasses",
    namespaced: false,
    statusSubresource: true,
  },
  {
    kind: "StaticNodeClass",
    apiVersion: "carpool.dev/v1alpha1",
    plural: "staticnodeclasses",
    namespaced: false,
    statusSubresource: true,
  },
  {
    kind: "ExecNodeClass",
    apiVersion: "carpool.dev/v1alpha1",
    plural: "execnodeclasses",
    namespaced: false,
    statusSubresource: true,
  },
  {
    kind: "InstanceType",
    apiVersion: "carpool.dev/v1alpha1",
    plural: "instancetypes",
    namespaced: false,
    statusSubresource: false,
  },
  {
    kind: "NodeOverlay",
    apiVersion: "karpenter.sh/v1alpha1",
    plural: "nodeoverlays",
    namespaced: false,
    statusSubresource: true,
  },
  {
    kind: "CapacityBuffer",
    apiVersion: "autoscaling.x-k8s.io/v1alpha1",
    plural: "capacitybuffers",
    namespaced: true,
    statusSubresource: true,
  },
  {
    kind: "PodTemplate",
    apiVersion: "v1",
    plural: "podtemplates",
    namespaced: true,
    statusSubresource: false,
  },
];

const byKind = new Map(table.map((r) => [r.kind, r]));

export function resourceOf(kind: StoredObject["kind"]): Resource {
  const resource = byKind.get(kind);
  if (resource === undefined) throw new Error(`no API resource known for kind ${kind}`);
  return resource;
}

/** Every kind the controller can read and write. */
export function knownResources(): readonly Resource[] {
  return table;
}

/** `/api/v1` or `/apis/GROUP/VERSION`. */
export function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/** The collection's path: in one namespace, or across all when `namespace` is undefined. */
export function collectionPath(resource: Resource, namespace?: string): string {
  const base = groupVersionPath(resource.apiVersion);
  return resource.namespaced && namespace !== undefined
    ? `${base}/namespaces/${encodeURIComponent(namespace)}/${resource.plural}`
    : `${base}/${resource.plural}`;
}

export function objectPath(resource: Resource, name: string, namespace?: string): string {
  return `${collectionPath(resource, resource.namespaced ? (namespace ?? "default") : undefined)}/${encodeURIComponent(name)}`;
}
