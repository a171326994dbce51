import type { Resources } from "../resources/resource-list.ts";
import type { Reason } from "./reasons.ts";

/**
 * kube-scheduler's NodeResourcesFit filter: for every resource the pod requests (a zero request
 * is ignored), what is used plus the request must not exceed allocatable; a resource the node
 * does not have counts as zero. The `pods` count is checked the same way ("Too many pods").
 * Reports every short resource.
 */
export function resourceFit(
  requests: Resources,
  allocatable: Resources,
  used: Resources,
): Reason[] {
  const reasons: Reason[] = [];
  for (const resource of Object.keys(requests).sort()) {
    const requested = requests[resource] ?? 0;
    if (requested <= 0) continue;
    const capacity = allocatable[resource] ?? 0;
    const available = capacity - (used[resource] ?? 0);
    if (requested > available) {
      reasons.push({ code: "insufficient_resource", resource, requested, available, capacity });
    }
  }
  return reasons;
}

/** Boolean form for hot loops: does the pod fit in what is left? */
export function fitsResources(
  requests: Resources,
  allocatable: Resources,
  used: Resources,
): boolean {
  for (const resource in requests) {
    const requested = requests[resource] ?? 0;
    if (requested > 0 && requested > (allocatable[resource] ?? 0) - (used[resource] ?? 0))
      return false;
  }
  return true;
}
