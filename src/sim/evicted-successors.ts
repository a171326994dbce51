import type { Pod } from "../api/pod.ts";
import { podKey } from "../cluster/snapshot.ts";

/**
 * Which evicted pod a newly bound pod stands in for. An evicted pod is gone for good; its
 * controller (ReplicaSet, Job) makes a new pod with a new name — a StatefulSet reuses the name —
 * so "where did the evicted pods go" is answered per owner: each pod of an owner bound after an
 * eviction takes the place of the owner's oldest evicted pod not yet replaced. A change to the
 * owner's replicas forgets its evictions, as the new count, not the evictions, decides its pods.
 */
export class EvictedSuccessors {
  readonly #evicted = new Map<string, string[]>();

  evicted(pod: Pod): void {
    const owner = ownerKey(pod);
    if (owner === undefined) return;
    this.#evicted.set(owner, [...(this.#evicted.get(owner) ?? []), podKey(pod)]);
  }

  /** The evicted pod (namespace/name) that `pod`, just bound, replaces, if any. */
  bound(pod: Pod): string | undefined {
    const owner = ownerKey(pod);
    const queue = owner === undefined ? undefined : this.#evicted.get(owner);
    return queue?.shift();
  }

  /** The owner's replica count changed: its evictions are no longer what its new pods answer. */
  rescaled(kind: string, namespace: string, name: string): void {
    this.#evicted.delete(`${kind}/${namespace}/${name}`);
  }
}

function ownerKey(pod: Pod): string | undefined {
  const owner = pod.metadata.ownerReferences?.[0];
  if (owner === undefined) return undefined;
  return `${owner.kind}/${pod.metadata.namespace ?? "default"}/${owner.name}`;
}
