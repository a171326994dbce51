import type { LoadError, LoadedObject } from "./load.ts";

/**
 * The most pending pods one offline run plans for: pods given without a node and those workloads
 * ask for.
 * Measured with `carpool plan` on one Deployment (bench machine, Node 24): 10 000 replicas take
 * 4 s, 20 000 take 10 s, 100 000 take 10 minutes and 1.3 GB (the packing search grows faster than
 * the pod count). Above this a run would look like a hang, so it is refused up front instead.
 */
export const maxPlannedPods = 20_000;

/** The field that sets how many pods a workload asks for, and the apps/batch default when unset. */
function replicasOf(object: LoadedObject["object"]): { field: string; count: number } | undefined {
  switch (object.kind) {
    case "Deployment":
    case "ReplicaSet":
    case "StatefulSet":
      return { field: "spec.replicas", count: object.spec.replicas ?? 1 };
    case "Job":
      return { field: "spec.parallelism", count: object.spec.parallelism ?? 1 };
    default:
      return undefined;
  }
}

/**
 * Workloads (and the input as a whole) asking for more pending pods than `maxPlannedPods`. Pods
 * already on a node are not planned for; as a workload's running pods count towards its
 * replicas, bound pods are taken off the workloads' total (a snapshot of a large, settled
 * cluster passes; the estimate errs towards letting input through).
 */
export function replicaLimitErrors(objects: readonly LoadedObject[]): LoadError[] {
  const errors: LoadError[] = [];
  let pendingPods = 0;
  let boundPods = 0;
  let workloadPods = 0;
  let largest: { loaded: LoadedObject; field: string; count: number } | undefined;
  for (const loaded of objects) {
    if (loaded.object.kind === "Pod") {
      if (loaded.object.spec.nodeName) boundPods++;
      else pendingPods++;
      continue;
    }
    const replicas = replicasOf(loaded.object);
    if (replicas === undefined) continue;
    workloadPods += replicas.count;
    if (largest === undefined || replicas.count > largest.count) largest = { loaded, ...replicas };
    if (replicas.count > maxPlannedPods)
      errors.push(
        limitError(
          loaded,
          replicas.field,
          `${replicas.count} is above the limit of ${maxPlannedPods} pods one carpool run plans for`,
        ),
      );
  }
  const total = pendingPods + Math.max(0, workloadPods - boundPods);
  if (errors.length === 0 && total > maxPlannedPods && largest !== undefined)
    errors.push(
      limitError(
        largest.loaded,
        largest.field,
        `the input asks for ${total} pending pods in all (this workload ${largest.count}), above the limit of ${maxPlannedPods} pods one carpool run plans for`,
      ),
    );
  return errors;
}

function limitError(loaded: LoadedObject, path: string, message: string): LoadError {
  return {
    file: loaded.source.file,
    documentIndex: loaded.source.documentIndex,
    kind: loaded.object.kind,
    ...(loaded.object.metadata.name !== undefined && { name: loaded.object.metadata.name }),
    path,
    message,
  };
}
