import {
  type ClusterStore,
  ConflictError,
  NotFoundError,
  TooManyRequestsError,
} from "../ports/cluster-store.ts";
import type { CarpoolMetrics } from "./metrics.ts";

/**
 * Counts eviction requests by the API's answer, as Karpenter's
 * `karpenter_pods_eviction_requests_total{code}`: 200 accepted, 429 refused by a
 * PodDisruptionBudget, 404 pod gone, 409 conflict; another failure counts under its error's name.
 * Every call goes through unchanged and errors are re-thrown.
 */
export function instrumentClusterStore(store: ClusterStore, metrics: CarpoolMetrics): ClusterStore {
  return {
    list: (kind) => store.list(kind),
    get: (kind, name, namespace) => store.get(kind, name, namespace),
    create: (object) => store.create(object),
    update: (object) => store.update(object),
    delete: (key) => store.delete(key),
    bind: (pod, nodeName) => store.bind(pod, nodeName),
    async evict(pod) {
      try {
        await store.evict(pod);
        metrics.podEvictionRequests.inc({ code: "200" });
      } catch (error) {
        metrics.podEvictionRequests.inc({ code: evictionCode(error) });
        throw error;
      }
    },
  };
}

function evictionCode(error: unknown): string {
  if (error instanceof TooManyRequestsError) return "429";
  if (error instanceof NotFoundError) return "404";
  if (error instanceof ConflictError) return "409";
  return error instanceof Error ? error.name : "unknown";
}
