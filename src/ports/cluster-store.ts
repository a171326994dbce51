import type { Pod } from "../api/pod.ts";
import type { KnownObject } from "../api/validate.ts";

/** Objects the store holds, by kind. */
export type StoredObject = KnownObject;

export interface ObjectKey {
  readonly kind: StoredObject["kind"];
  readonly namespace?: string | undefined;
  readonly name: string;
}

/**
 * The cluster's API as controllers use it (Kubernetes semantics where they matter here): every
 * write bumps `metadata.resourceVersion`; an update whose resourceVersion is stale is a
 * ConflictError; deleting an object with finalizers only sets `deletionTimestamp`, and it goes
 * when the last finalizer is removed. Evictions go through PodDisruptionBudgets.
 */
export interface ClusterStore {
  list<K extends StoredObject["kind"]>(kind: K): Promise<Extract<StoredObject, { kind: K }>[]>;
  get<K extends StoredObject["kind"]>(
    kind: K,
    name: string,
    namespace?: string,
  ): Promise<Extract<StoredObject, { kind: K }> | undefined>;
  create<T extends StoredObject>(object: T): Promise<T>;
  update<T extends StoredObject>(object: T): Promise<T>;
  delete(key: ObjectKey): Promise<void>;
  /** Binds a pending pod to a node (the pods/binding subresource). */
  bind(pod: Pod, nodeName: string): Promise<void>;
  /** Asks to evict a pod (the pods/eviction subresource); TooManyRequestsError when a PDB refuses. */
  evict(pod: Pod): Promise<void>;
}

export class ConflictError extends Error {
  constructor(key: string) {
    super(`${key} was modified; read it again`);
    this.name = "ConflictError";
  }
}

export class NotFoundError extends Error {
  constructor(key: string) {
    super(`${key} not found`);
    this.name = "NotFoundError";
  }
}

/** HTTP 429 from the eviction API: a PodDisruptionBudget does not allow it now. */
export class TooManyRequestsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TooManyRequestsError";
  }
}
