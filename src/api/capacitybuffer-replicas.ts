import {
  addResources,
  maxResources,
  parseResources,
  type Resources,
} from "../resources/resource-list.ts";
import type { CapacityBuffer } from "./capacitybuffer.ts";
import type { PodSpec } from "./pod.ts";

/**
 * How many chunks a buffer asks for, as Karpenter's capacitybuffer controller computes them
 * (pkg/controllers/capacitybuffer controller.go computeReplicas, helpers.go), following Cluster
 * Autoscaler: `replicas` and `percentage` (of the scalableRef's replicas, rounded up, at least 1)
 * combine by the larger; `limits` caps that, or alone gives as many chunks as fit in it (per
 * resource both name, floor(limit / request), the least of them). Nothing set is zero chunks.
 */
export function bufferReplicas(
  buffer: CapacityBuffer,
  podSpec: PodSpec,
  scalableReplicas: number | undefined,
): number {
  const { spec } = buffer;
  const candidates: number[] = [];
  if (spec.percentage !== undefined && scalableReplicas !== undefined && scalableReplicas > 0)
    candidates.push(percentageReplicas(scalableReplicas, spec.percentage));
  if (spec.replicas !== undefined) candidates.push(spec.replicas);
  const desired = candidates.length > 0 ? Math.max(...candidates) : 0;
  const limited = spec.limits === undefined ? undefined : limitReplicas(spec.limits, podSpec);
  if (limited === undefined) return desired;
  return candidates.length > 0 ? Math.min(desired, limited) : limited;
}

/** ceil(replicas × percentage / 100), and at least one chunk when any percentage is asked for. */
export function percentageReplicas(scalableReplicas: number, percentage: number): number {
  const chunks = Math.ceil((scalableReplicas * percentage) / 100);
  return chunks < 1 && percentage > 0 ? 1 : chunks;
}

function limitReplicas(
  limits: Readonly<Record<string, string | number>>,
  podSpec: PodSpec,
): number | undefined {
  const parsed = parseResources(limits);
  if (!parsed.ok) return undefined;
  const requests = specRequests(podSpec);
  let least: number | undefined;
  for (const [resource, limit] of Object.entries(parsed.resources)) {
    const request = requests[resource];
    if (request === undefined || request === 0) continue;
    const chunks = Math.floor(limit / request);
    least = least === undefined ? chunks : Math.min(least, chunks);
  }
  return least;
}

/** A pod spec's requests: its containers summed, at least its largest init container, plus overhead. */
function specRequests(podSpec: PodSpec): Resources {
  const of = (requests: Readonly<Record<string, string | number>> | undefined): Resources => {
    const parsed = parseResources(requests);
    return parsed.ok ? parsed.resources : {};
  };
  let total: Resources = {};
  for (const container of podSpec.containers)
    total = addResources(total, of(container.resources?.requests));
  for (const container of podSpec.initContainers ?? [])
    total = maxResources(total, of(container.resources?.requests));
  return addResources(total, of(podSpec.overhead));
}
