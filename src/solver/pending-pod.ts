import type { Pod } from "../api/pod.ts";
import type { Resources } from "../resources/resource-list.ts";
import { type HostPort, podHostPorts } from "../scheduling/host-ports.ts";
import { podRequirements } from "../scheduling/node-affinity.ts";
import { podRequests } from "../scheduling/pod-requests.ts";
import type { Reason } from "../scheduling/reasons.ts";
import { Requirements } from "../scheduling/requirements.ts";
import {
  type VolumeCatalog,
  type VolumeTopology,
  volumeTopology,
} from "../scheduling/volume-topology.ts";
import { effectivePod, type Preferences } from "./relaxation.ts";

/** A pod to place, with what every attempt needs computed once. */
export interface PendingPod {
  readonly pod: Pod;
  /** namespace/name */
  readonly key: string;
  readonly requests: Resources;
  readonly ports: readonly HostPort[];
  readonly volumes: readonly VolumeTopology[];
  /** Volume problems that make the pod unschedulable wherever it goes. */
  readonly volumeReasons: readonly Reason[];
}

/** The pod at one relaxation level: the pod every predicate sees, and its node requirements. */
export interface Attempt {
  readonly pending: PendingPod;
  readonly pod: Pod;
  readonly requirements: Requirements;
}

export function pendingPod(pod: Pod, volumes: VolumeCatalog): PendingPod {
  const requests = podRequests(pod);
  const topology = volumeTopology(pod, volumes);
  return {
    pod,
    key: `${pod.metadata.namespace ?? "default"}/${pod.metadata.name ?? ""}`,
    // Quantities were validated when the manifests were loaded.
    requests: requests.ok ? requests.requests : { pods: 1 },
    ports: podHostPorts(pod),
    volumes: topology.ok ? topology.topologies : [],
    volumeReasons: topology.ok ? [] : topology.reasons,
  };
}

/**
 * The node requirements of the pod at a relaxation level: its nodeSelector and first required
 * term, and (as Karpenter's volume topology does) the first term of each volume's topology.
 */
export function attemptAt(pending: PendingPod, preferences: Preferences): Attempt {
  const pod = effectivePod(pending.pod, preferences);
  const volumeRequirements = pending.volumes.flatMap((volume) => volume.terms[0] ?? []);
  return {
    pending,
    pod,
    requirements: podRequirements(pod).intersect(Requirements.from(volumeRequirements)),
  };
}

/** Karpenter sorts pods by cpu, then memory, largest first; names break ties so the order is total. */
export function comparePending(a: PendingPod, b: PendingPod): number {
  return (
    (b.requests.cpu ?? 0) - (a.requests.cpu ?? 0) ||
    (b.requests.memory ?? 0) - (a.requests.memory ?? 0) ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  );
}
