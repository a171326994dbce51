import type { Node } from "../api/node.ts";
import type { NodeClaim } from "../api/nodeclaim.ts";
import type { NodePool } from "../api/nodepool.ts";
import type { Pod } from "../api/pod.ts";
import { Labels } from "../api/wellknown.ts";
import type { Catalog } from "../catalog/instance-type.ts";
import type { NodeExtrasOf } from "../catalog/node-class-extras.ts";
import { addResources, formatResources, parseResources } from "../resources/resource-list.ts";
import type { PendingPod } from "./pending-pod.ts";
import type { PlannedNodeClaim } from "./plan.ts";
import { NodesResource } from "./pool-limits.ts";
import { staticClaim } from "./static-claim.ts";
import { staticReplicas } from "./static-pool.ts";

/** A node a static pool's controller would launch, and the claim standing for it in the solve. */
export interface StaticLaunch {
  readonly planned: PlannedNodeClaim;
  /** An in-flight NodeClaim of the planned type: pending pods may be placed on it as on any. */
  readonly claim: NodeClaim;
}

/**
 * The nodes the static NodePool controller would launch for a snapshot that lacks them: for each
 * static pool, spec.replicas (capped by limits.nodes) less the nodes and claims it already has.
 * `carpool plan` counts them, since Karpenter launches them whatever the pods want — a pending
 * pod that fits one of them runs there, and is not told it has nowhere to go.
 */
export function staticLaunches(
  nodePools: readonly NodePool[],
  existing: { readonly nodes: readonly Node[]; readonly nodeClaims: readonly NodeClaim[] },
  catalog: Catalog,
  daemonPods: readonly Pod[],
  extrasOf?: NodeExtrasOf,
): StaticLaunch[] {
  const launches: StaticLaunch[] = [];
  for (const nodePool of nodePools) {
    const replicas = staticReplicas(nodePool);
    if (replicas === undefined) continue;
    const name = nodePool.metadata.name ?? "";
    const mine = (o: { metadata: { labels?: Record<string, string> } }) =>
      o.metadata.labels?.[Labels.nodePool] === name;
    // A snapshot may hold a pool's nodes, its claims, or both for the same machines.
    const have = Math.max(
      existing.nodes.filter(mine).length,
      existing.nodeClaims.filter(mine).length,
    );
    const limits = parseResources(nodePool.spec.limits);
    const nodeLimit = (limits.ok ? limits.resources[NodesResource] : undefined) ?? replicas;
    const missing = Math.min(replicas, nodeLimit) - have;
    if (missing <= 0) continue;
    const shape = staticClaim(nodePool, catalog, extrasOf, daemonPods);
    if (shape === undefined) continue;
    for (let i = 0; i < missing; i++) {
      const planned = { ...shape, name: `${name}-${i}` };
      launches.push({ planned, claim: standIn(nodePool, planned) });
    }
  }
  return launches;
}

function standIn(nodePool: NodePool, planned: PlannedNodeClaim): NodeClaim {
  return {
    apiVersion: "karpenter.sh/v1",
    kind: "NodeClaim",
    metadata: {
      name: planned.name,
      labels: { ...planned.labels, [Labels.hostname]: planned.name },
    },
    spec: {
      ...(planned.taints.length > 0 && { taints: [...planned.taints] }),
      nodeClassRef: nodePool.spec.template.spec.nodeClassRef,
      requirements: [],
    },
  };
}

/** The planned static node with the pending pods the solve placed there, and their requests. */
export function launchedWith(
  planned: PlannedNodeClaim,
  pods: readonly PendingPod[],
): PlannedNodeClaim {
  const overhead = parseResources(planned.requests);
  let requests = overhead.ok ? overhead.resources : {};
  for (const pod of pods) requests = addResources(requests, pod.requests);
  return {
    ...planned,
    pods: pods.map((pod) => pod.key).sort(),
    requests: formatResources(requests),
  };
}
