import type { Container, Pod } from "../api/pod.ts";
import {
  addResources,
  maxResources,
  parseResources,
  type Resources,
} from "../resources/resource-list.ts";

export type PodRequestsResult =
  | { readonly ok: true; readonly requests: Resources }
  | {
      readonly ok: false;
      readonly errors: readonly { readonly path: string; readonly message: string }[];
    };

const requestsCache = new WeakMap<Pod, PodRequestsResult>();

/**
 * What a pod asks of a node, as kube-scheduler's NodeResourcesFit counts it
 * (component-helpers/resource PodRequests):
 * - the sum of the regular containers' requests and of every sidecar (an init container with
 *   restartPolicy Always, KEP-753), since sidecars run alongside them;
 * - at least, for each ordinary init container, its request plus the sidecars started before it;
 * - plus spec.overhead; plus one of the node's `pods`.
 * A container with limits but no request for a resource requests its limit (API-server defaulting).
 */
export function podRequests(pod: Pod): PodRequestsResult {
  let result = requestsCache.get(pod);
  if (result === undefined) {
    result = computePodRequests(pod);
    requestsCache.set(pod, result);
  }
  return result;
}

function computePodRequests(pod: Pod): PodRequestsResult {
  const errors: { path: string; message: string }[] = [];
  const requestsOf = (container: Container, path: string) =>
    containerRequests(container, path, errors);

  let running: Resources = {};
  pod.spec.containers.forEach((container, i) => {
    running = addResources(running, requestsOf(container, `spec.containers[${i}]`));
  });
  let sidecars: Resources = {};
  let initPeak: Resources = {};
  (pod.spec.initContainers ?? []).forEach((container, i) => {
    const requests = requestsOf(container, `spec.initContainers[${i}]`);
    if (container.restartPolicy === "Always") {
      sidecars = addResources(sidecars, requests);
      initPeak = maxResources(initPeak, sidecars);
    } else {
      initPeak = maxResources(initPeak, addResources(sidecars, requests));
    }
  });
  let requests = maxResources(addResources(running, sidecars), initPeak);
  const overhead = parseResources(pod.spec.overhead);
  if (overhead.ok) requests = addResources(requests, overhead.resources);
  else
    errors.push(
      ...overhead.errors.map((e) => ({ path: `spec.overhead.${e.resource}`, message: e.message })),
    );
  requests = addResources(requests, { pods: 1 });
  return errors.length === 0 ? { ok: true, requests } : { ok: false, errors };
}

function containerRequests(
  container: Container,
  path: string,
  errors: { path: string; message: string }[],
): Resources {
  const declared = {
    ...(container.resources?.limits ?? {}),
    ...(container.resources?.requests ?? {}),
  };
  const parsed = parseResources(declared);
  if (parsed.ok) return parsed.resources;
  for (const error of parsed.errors) {
    const field =
      container.resources?.requests?.[error.resource] !== undefined ? "requests" : "limits";
    errors.push({ path: `${path}.resources.${field}.${error.resource}`, message: error.message });
  }
  return {};
}
