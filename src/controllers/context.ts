import type { Catalog } from "../catalog/instance-type.ts";
import { withNodeOverlays } from "../catalog/overlay.ts";
import { buildSnapshot, type ClusterSnapshot } from "../cluster/snapshot.ts";
import type { Clock } from "../ports/clock.ts";
import type { CloudProvider } from "../ports/cloud-provider.ts";
import type { ClusterStore, StoredObject } from "../ports/cluster-store.ts";
import type { EventRecorder } from "../ports/event-recorder.ts";
import type { UnavailableOfferings } from "./lifecycle/unavailable-offerings.ts";

/** What every controller works with: ports only. */
export interface ControllerContext {
  readonly store: ClusterStore;
  readonly cloud: CloudProvider;
  readonly clock: Clock;
  readonly events: EventRecorder;
  /** Offerings that recently failed to launch, shared by lifecycle (writes) and provisioning (reads). */
  readonly unavailable: UnavailableOfferings;
}

/** Kinds a snapshot is built from. Workloads are left out: their pods exist in the store. */
export const snapshotKinds: readonly StoredObject["kind"][] = [
  "Node",
  "NodeClaim",
  "NodePool",
  "Pod",
  "DaemonSet",
  "PodDisruptionBudget",
  "PersistentVolume",
  "PersistentVolumeClaim",
  "StorageClass",
  "EC2NodeClass",
  "NodeOverlay",
  "CapacityBuffer",
  "PodTemplate",
];

/**
 * Workloads a CapacityBuffer's scalableRef may name: read for their pod template and replicas
 * only, never expanded into pods (their pods are in the store).
 */
export const bufferScalableKinds = ["Deployment", "ReplicaSet", "StatefulSet"] as const;

/** The cluster as the core reads it, from the store. */
export async function snapshotOf(store: ClusterStore): Promise<ClusterSnapshot> {
  const lists = await Promise.all(snapshotKinds.map((kind) => store.list(kind)));
  const scalables = await Promise.all(bufferScalableKinds.map((kind) => store.list(kind)));
  return buildSnapshot(lists.flat(), scalables.flat());
}

/**
 * The provider's instance types, with offerings that recently failed marked unavailable and, unless
 * asked not to, the NodeOverlays in the store applied for each NodePool (catalog/overlay.ts).
 */
export async function catalogOf(
  context: ControllerContext,
  options: { readonly overlays?: boolean } = {},
): Promise<Catalog> {
  const types = await context.cloud.instanceTypes();
  const now = context.clock.now().getTime();
  const catalog = { region: undefined, instanceTypes: context.unavailable.apply(types, now) };
  if (options.overlays === false) return catalog;
  const overlays = await context.store.list("NodeOverlay");
  if (overlays.length === 0) return catalog;
  return withNodeOverlays(catalog, await context.store.list("NodePool"), overlays).catalog;
}
