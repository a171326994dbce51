import type { Node } from "../api/node.ts";
import type { NodeClaim } from "../api/nodeclaim.ts";
import type { Pod, Taint } from "../api/pod.ts";
import { Labels, Taints } from "../api/wellknown.ts";
import type { InstanceType } from "../catalog/instance-type.ts";
import { addResources, parseResources, type Resources } from "../resources/resource-list.ts";
import { type HostPort, podHostPorts } from "../scheduling/host-ports.ts";
import { nodeAffinityReasons } from "../scheduling/node-affinity.ts";
import { podRequests } from "../scheduling/pod-requests.ts";
import { Requirements } from "../scheduling/requirements.ts";
import { untoleratedTaints } from "../scheduling/taints.ts";

/** Capacity that exists or is coming: a Node, or a NodeClaim launched but not yet a Node. */
export interface ExistingCapacity {
  /** `Node/NAME` or `NodeClaim/NAME`: how reasons name it. */
  readonly target: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly allocatable: Resources;
  /** What its pods (bound, daemonset, and those the solver places) request; grows as pods are placed. */
  used: Resources;
  readonly ports: (HostPort & { readonly usedBy?: string })[];
  readonly nodePool: string | undefined;
  /** Full capacity, counted against its pool's limits. */
  readonly capacity: Resources;
}

/**
 * Existing nodes (with their bound pods and the DaemonSet pods they would run but do not yet
 * show), and in-flight NodeClaims that have no Node yet, sorted by name.
 */
export function existingCapacity(
  nodes: readonly Node[],
  nodeClaims: readonly NodeClaim[],
  boundPods: readonly Pod[],
  daemonPods: readonly { readonly daemonSet: string; readonly pod: Pod }[],
  instanceTypes: ReadonlyMap<string, InstanceType>,
): ExistingCapacity[] {
  const podsByNode = new Map<string, Pod[]>();
  for (const pod of boundPods) {
    const list = podsByNode.get(pod.spec.nodeName ?? "") ?? [];
    list.push(pod);
    podsByNode.set(pod.spec.nodeName ?? "", list);
  }
  const nodeNames = new Set(nodes.map((node) => node.metadata.name));
  const fromNodes = nodes.map((node) =>
    reusedFromNode(node, podsByNode.get(node.metadata.name ?? "") ?? [], daemonPods),
  );
  const inFlight = nodeClaims
    .filter((claim) => claim.metadata.deletionTimestamp === undefined)
    .filter((claim) => !(claim.status?.nodeName && nodeNames.has(claim.status.nodeName)))
    .flatMap((claim) =>
      fromNodeClaim(
        claim,
        podsByNode.get(claim.metadata.name ?? "") ?? [],
        daemonPods,
        instanceTypes,
      ),
    );
  return [...fromNodes, ...inFlight].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
}

type DaemonPods = readonly { readonly daemonSet: string; readonly pod: Pod }[];

/**
 * A node's capacity, kept per Node object: disruption solves the same cluster once per set of
 * candidates, and most nodes hold the same pods from one solve to the next (adding up 20 000 pods'
 * requests and host ports was a third of a 1 000-node pass). Reused only while the node's pods and
 * the DaemonSet pods it would add are the same objects, in the same order; the solver grows `used`
 * and `ports` as it places pods, so every call hands out its own copy of those.
 */
const nodeCapacities = new WeakMap<
  Node,
  {
    readonly pods: readonly Pod[];
    readonly daemonPods: DaemonPods;
    readonly capacity: ExistingCapacity;
  }
>();

function reusedFromNode(
  node: Node,
  pods: readonly Pod[],
  daemonPods: DaemonPods,
): ExistingCapacity {
  const cached = nodeCapacities.get(node);
  const capacity =
    cached !== undefined &&
    samePods(cached.pods, pods) &&
    sameDaemonPods(cached.daemonPods, daemonPods)
      ? cached.capacity
      : fromNode(node, pods, daemonPods);
  if (capacity !== cached?.capacity) nodeCapacities.set(node, { pods, daemonPods, capacity });
  return { ...capacity, ports: [...capacity.ports] };
}

function samePods(a: readonly Pod[], b: readonly Pod[]): boolean {
  return a.length === b.length && a.every((pod, i) => pod === b[i]);
}

function sameDaemonPods(a: DaemonPods, b: DaemonPods): boolean {
  return (
    a.length === b.length &&
    a.every((entry, i) => entry.daemonSet === b[i]?.daemonSet && entry.pod === b[i]?.pod)
  );
}

function fromNode(
  node: Node,
  pods: readonly Pod[],
  daemonPods: readonly { daemonSet: string; pod: Pod }[],
): ExistingCapacity {
  const name = node.metadata.name ?? "";
  const labels: Record<string, string> = {
    [Labels.hostname]: name,
    ...(node.metadata.labels ?? {}),
  };
  const taints = [...(node.spec?.taints ?? [])];
  // A cordoned node carries the unschedulable taint (the node lifecycle controller adds it).
  if (node.spec?.unschedulable && !taints.some((t) => t.key === Taints.unschedulable.key))
    taints.push({ ...Taints.unschedulable });
  const allocatable = resourcesOf(node.status?.allocatable);
  return withPods(
    {
      target: `Node/${name}`,
      name,
      labels,
      taints,
      allocatable,
      capacity: node.status?.capacity ? resourcesOf(node.status.capacity) : allocatable,
      nodePool: labels[Labels.nodePool],
    },
    pods,
    daemonPods,
  );
}

function fromNodeClaim(
  claim: NodeClaim,
  pods: readonly Pod[],
  daemonPods: readonly { daemonSet: string; pod: Pod }[],
  instanceTypes: ReadonlyMap<string, InstanceType>,
): ExistingCapacity[] {
  const name = claim.metadata.name ?? "";
  const requirements = Requirements.from(claim.spec.requirements);
  const labels: Record<string, string> = {
    [Labels.hostname]: claim.status?.nodeName ?? name,
    ...requirements.labels(),
    ...(claim.metadata.labels ?? {}),
  };
  const type = instanceTypes.get(labels[Labels.instanceType] ?? "");
  const allocatable = claim.status?.allocatable
    ? resourcesOf(claim.status.allocatable)
    : type?.allocatable;
  // A claim whose size cannot be known is no capacity to count on.
  if (allocatable === undefined) return [];
  return [
    withPods(
      {
        target: `NodeClaim/${name}`,
        name,
        labels: { ...type?.labels, ...labels },
        taints: claim.spec.taints ?? [],
        allocatable,
        capacity: claim.status?.capacity
          ? resourcesOf(claim.status.capacity)
          : (type?.capacity ?? allocatable),
        nodePool: labels[Labels.nodePool],
      },
      pods,
      daemonPods,
    ),
  ];
}

/** Adds the bound pods, and the DaemonSet pods the node would run but whose pod is not in the snapshot. */
function withPods(
  base: Omit<ExistingCapacity, "used" | "ports">,
  pods: readonly Pod[],
  daemonPods: readonly { daemonSet: string; pod: Pod }[],
): ExistingCapacity {
  const present = new Set(
    pods.flatMap((pod) =>
      (pod.metadata.ownerReferences ?? []).filter((o) => o.kind === "DaemonSet").map((o) => o.name),
    ),
  );
  const missing = daemonPods
    .filter(({ daemonSet }) => !present.has(daemonSet))
    .map(({ pod }) => pod)
    .filter(
      (pod) =>
        untoleratedTaints(base.taints, pod.spec.tolerations, { preferNoScheduleBlocks: false })
          .length === 0 && nodeAffinityReasons(pod, base).length === 0,
    );
  let used: Resources = {};
  const ports: (HostPort & { usedBy?: string })[] = [];
  for (const pod of [...pods, ...missing]) {
    const requests = podRequests(pod);
    if (requests.ok) used = addResources(used, requests.requests);
    const usedBy = `${pod.metadata.namespace ?? "default"}/${pod.metadata.name ?? ""}`;
    for (const port of podHostPorts(pod)) ports.push({ ...port, usedBy });
  }
  return { ...base, used, ports };
}

const parsedLists = new WeakMap<object, Resources>();

/** A node's resource list, parsed once per object (the same nodes are read by every solve). */
export function resourcesOf(
  list: Readonly<Record<string, string | number>> | undefined,
): Resources {
  if (list === undefined) return {};
  let resources = parsedLists.get(list);
  if (resources === undefined) {
    const parsed = parseResources(list);
    resources = parsed.ok ? parsed.resources : {};
    parsedLists.set(list, resources);
  }
  return resources;
}
