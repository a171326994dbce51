import type { CapacityBuffer, PodTemplate } from "../api/capacitybuffer.ts";
import { bufferPods } from "../api/capacitybuffer-pods.ts";
import type { InstanceTypeObject } from "../api/instancetype.ts";
import type { Node } from "../api/node.ts";
import type { NodeClaim } from "../api/nodeclaim.ts";
import type { EC2NodeClass } from "../api/nodeclass.ts";
import type { NodeOverlay } from "../api/nodeoverlay.ts";
import type { NodePool } from "../api/nodepool.ts";
import type { Pod } from "../api/pod.ts";
import type { PodDisruptionBudget } from "../api/policy.ts";
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from "../api/storage.ts";
import type { DaemonSet, Deployment, Job, ReplicaSet, StatefulSet } from "../api/workloads.ts";
import { type PodSource, pendingPodsOf } from "./workloads.ts";

/**
 * A cluster as carpool reads it from a snapshot of manifests: what runs, what waits, what may be
 * launched. Pending pods include those the workloads still need (see `pendingPodsOf`).
 */
export interface ClusterSnapshot {
  readonly nodes: readonly Node[];
  readonly nodeClaims: readonly NodeClaim[];
  readonly nodePools: readonly NodePool[];
  /** Pods with `spec.nodeName`: running where they are. */
  readonly boundPods: readonly Pod[];
  /** Pods to place, in a deterministic order (namespace/name). */
  readonly pendingPods: readonly Pod[];
  readonly daemonSets: readonly DaemonSet[];
  readonly podDisruptionBudgets: readonly PodDisruptionBudget[];
  readonly persistentVolumes: readonly PersistentVolume[];
  readonly persistentVolumeClaims: readonly PersistentVolumeClaim[];
  readonly storageClasses: readonly StorageClass[];
  readonly instanceTypes: readonly InstanceTypeObject[];
  /** Node classes drift detection compares NodeClaims against. */
  readonly nodeClasses: readonly EC2NodeClass[];
  /** Price and capacity changes to the instance types decisions see (catalog/overlay.ts). */
  readonly nodeOverlays: readonly NodeOverlay[];
  /** Spare capacity to keep; its virtual pods are among `pendingPods`. */
  readonly capacityBuffers: readonly CapacityBuffer[];
}

type SnapshotObject =
  | Node
  | NodeClaim
  | NodePool
  | EC2NodeClass
  | InstanceTypeObject
  | Pod
  | PodDisruptionBudget
  | PersistentVolume
  | PersistentVolumeClaim
  | StorageClass
  | DaemonSet
  | Deployment
  | ReplicaSet
  | StatefulSet
  | Job
  | NodeOverlay
  | CapacityBuffer
  | PodTemplate;

/**
 * Sorts validated objects into a snapshot and expands workloads into their pending pods, and
 * CapacityBuffers into virtual ones. `scalables` are workloads a buffer's scalableRef may name
 * that are not to be expanded (the controller's pods exist in its store already).
 */
export function buildSnapshot(
  objects: readonly { readonly kind: string }[],
  scalables: readonly (Deployment | ReplicaSet | StatefulSet)[] = [],
): ClusterSnapshot {
  const byKind = new Map<string, SnapshotObject[]>();
  for (const object of objects as readonly SnapshotObject[]) {
    const list = byKind.get(object.kind) ?? [];
    list.push(object);
    byKind.set(object.kind, list);
  }
  const of = <T extends SnapshotObject>(kind: T["kind"]) => (byKind.get(kind) ?? []) as T[];
  const pods = of<Pod>("Pod").filter((pod) => !isFinished(pod));
  const boundPods = pods.filter((pod) => pod.spec.nodeName);
  const workloadPods = podSources(of).flatMap((source) => pendingPodsOf(source, pods));
  const capacityBuffers = sortByName(of<CapacityBuffer>("CapacityBuffer"));
  const virtualPods = bufferPods(capacityBuffers, {
    podTemplates: of<PodTemplate>("PodTemplate"),
    scalables: [
      ...of<Deployment>("Deployment"),
      ...of<ReplicaSet>("ReplicaSet"),
      ...of<StatefulSet>("StatefulSet"),
      ...scalables,
    ],
  });
  const pendingPods = [...pods.filter(isProvisionable), ...workloadPods, ...virtualPods].sort(
    byPodKey,
  );
  return {
    nodes: sortByName(of<Node>("Node")),
    nodeClaims: sortByName(of<NodeClaim>("NodeClaim")),
    nodePools: sortByName(of<NodePool>("NodePool")),
    boundPods: boundPods.sort(byPodKey),
    pendingPods,
    daemonSets: sortByName(of<DaemonSet>("DaemonSet")),
    podDisruptionBudgets: sortByName(of<PodDisruptionBudget>("PodDisruptionBudget")),
    persistentVolumes: sortByName(of<PersistentVolume>("PersistentVolume")),
    persistentVolumeClaims: sortByName(of<PersistentVolumeClaim>("PersistentVolumeClaim")),
    storageClasses: sortByName(of<StorageClass>("StorageClass")),
    instanceTypes: sortByName(of<InstanceTypeObject>("InstanceType")),
    nodeClasses: sortByName(of<EC2NodeClass>("EC2NodeClass")),
    nodeOverlays: sortByName(of<NodeOverlay>("NodeOverlay")),
    capacityBuffers,
  };
}

function podSources(of: <T extends SnapshotObject>(kind: T["kind"]) => T[]): PodSource[] {
  const replicated = [
    ...of<Deployment>("Deployment"),
    ...of<ReplicaSet>("ReplicaSet"),
    ...of<StatefulSet>("StatefulSet"),
  ].map(
    (workload): PodSource => ({
      kind: workload.kind,
      metadata: workload.metadata,
      // apps/v1 defaults replicas to 1.
      replicas: workload.spec.replicas ?? 1,
      selector: workload.spec.selector,
      template: workload.spec.template,
    }),
  );
  const jobs = of<Job>("Job").map(
    (job): PodSource => ({
      kind: "Job",
      metadata: job.metadata,
      // batch/v1 defaults parallelism to 1.
      replicas: job.spec.parallelism ?? 1,
      selector: job.spec.selector ?? { matchLabels: job.spec.template.metadata?.labels ?? {} },
      template: job.spec.template,
    }),
  );
  return [...replicated, ...jobs].sort((a, b) => byName(a.metadata, b.metadata));
}

/**
 * Pods Karpenter provisions for (pkg/utils/pod IsProvisionable): not bound, not terminating, and
 * not owned by a DaemonSet (its pods follow the nodes; they are counted as overhead instead).
 */
function isProvisionable(pod: Pod): boolean {
  return (
    !pod.spec.nodeName &&
    pod.metadata.deletionTimestamp === undefined &&
    !(pod.metadata.ownerReferences ?? []).some((owner) => owner.kind === "DaemonSet")
  );
}

/** Succeeded and failed pods hold no resources (kube-scheduler skips them). */
function isFinished(pod: Pod): boolean {
  return pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
}

export function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? "default"}/${pod.metadata.name ?? ""}`;
}

function byPodKey(a: Pod, b: Pod): number {
  const ka = podKey(a);
  const kb = podKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

type Named = { readonly namespace?: string | undefined; readonly name?: string | undefined };

function byName(a: Named, b: Named): number {
  const ka = `${a.namespace ?? ""}/${a.name ?? ""}`;
  const kb = `${b.namespace ?? ""}/${b.name ?? ""}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function sortByName<T extends { readonly metadata: Named }>(items: T[]): T[] {
  return items.sort((a, b) => byName(a.metadata, b.metadata));
}
