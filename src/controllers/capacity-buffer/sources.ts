import type { BufferSources } from "../../api/capacitybuffer-pods.ts";
import { bufferPods } from "../../api/capacitybuffer-pods.ts";
import type { Pod } from "../../api/pod.ts";
import type { ClusterStore } from "../../ports/cluster-store.ts";
import { bufferScalableKinds } from "../context.ts";

/** What the store's CapacityBuffers may reference: PodTemplates and the scalable workloads. */
export async function bufferSources(store: ClusterStore): Promise<BufferSources> {
  const [podTemplates, ...scalables] = await Promise.all([
    store.list("PodTemplate"),
    ...bufferScalableKinds.map((kind) => store.list(kind)),
  ]);
  return { podTemplates, scalables: scalables.flat() };
}

/**
 * The virtual pods of the store's buffers: pending pods that exist only for provisioning's
 * simulation (Karpenter's appendVirtualPods), never written to the API server.
 */
export async function virtualPendingPods(store: ClusterStore): Promise<Pod[]> {
  const buffers = await store.list("CapacityBuffer");
  if (buffers.length === 0) return [];
  return bufferPods(buffers, await bufferSources(store));
}
