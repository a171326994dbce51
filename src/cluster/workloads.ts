import type { LabelSelector, ObjectMeta } from "../api/meta.ts";
import type { Pod, PodTemplateSpec } from "../api/pod.ts";
import { selectorMatches } from "../scheduling/label-selector.ts";

/** A workload that asks for pods: how many, from which template. */
export interface PodSource {
  readonly kind: "Deployment" | "ReplicaSet" | "StatefulSet" | "Job";
  readonly metadata: ObjectMeta;
  readonly replicas: number;
  readonly selector: LabelSelector | undefined;
  readonly template: PodTemplateSpec;
}

/**
 * The pending pods a workload still needs. The contract names them `NAME-0`, `NAME-1`, … in the
 * workload's namespace. Pods already in the snapshot that the workload's selector matches (in its
 * namespace, not terminating) count towards its replicas, so a snapshot holding both a Deployment
 * and its running pods does not ask for them twice; the missing ones take the lowest free names.
 */
export function pendingPodsOf(source: PodSource, existing: readonly Pod[]): Pod[] {
  const namespace = source.metadata.namespace ?? "default";
  const name = source.metadata.name ?? "";
  const owned = existing.filter(
    (pod) =>
      (pod.metadata.namespace ?? "default") === namespace &&
      pod.metadata.deletionTimestamp === undefined &&
      source.selector !== undefined &&
      selectorMatches(source.selector, pod.metadata.labels ?? {}),
  );
  const taken = new Set(owned.map((pod) => pod.metadata.name));
  const pods: Pod[] = [];
  for (let index = 0; pods.length < source.replicas - owned.length; index++) {
    const podName = `${name}-${index}`;
    if (taken.has(podName)) continue;
    pods.push(podFromTemplate(source, podName, namespace));
  }
  return pods;
}

export function podFromTemplate(source: PodSource, podName: string, namespace: string): Pod {
  const template = source.template;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      ...(template.metadata ?? {}),
      name: podName,
      namespace,
      labels: { ...(template.metadata?.labels ?? {}) },
      ownerReferences: [
        {
          apiVersion: apiVersionOf[source.kind],
          kind: source.kind,
          name: source.metadata.name ?? "",
          controller: true,
        },
      ],
    },
    spec: template.spec,
  };
}

const apiVersionOf = {
  Deployment: "apps/v1",
  ReplicaSet: "apps/v1",
  StatefulSet: "apps/v1",
  Job: "batch/v1",
  DaemonSet: "apps/v1",
} as const;

/** The pod a DaemonSet would run on a node (named for the node, so each is distinct). */
export function daemonPodFor(
  daemonSet: {
    readonly metadata: ObjectMeta;
    readonly spec: { readonly template: PodTemplateSpec };
  },
  nodeName: string,
): Pod {
  const namespace = daemonSet.metadata.namespace ?? "default";
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      ...(daemonSet.spec.template.metadata ?? {}),
      name: `${daemonSet.metadata.name ?? ""}-${nodeName}`,
      namespace,
      labels: { ...(daemonSet.spec.template.metadata?.labels ?? {}) },
      ownerReferences: [
        {
          apiVersion: "apps/v1",
          kind: "DaemonSet",
          name: daemonSet.metadata.name ?? "",
          controller: true,
        },
      ],
    },
    spec: { ...daemonSet.spec.template.spec, nodeName },
  };
}
