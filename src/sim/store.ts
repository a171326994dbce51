import type { Pod } from "../api/pod.ts";
import type { PodDisruptionBudget } from "../api/policy.ts";
import { NamespacedKinds } from "../api/validate.ts";
import { podKey } from "../cluster/snapshot.ts";
import { EvictionBudgets } from "../disruption/pdb.ts";
import {
  type ClusterStore,
  ConflictError,
  NotFoundError,
  type ObjectKey,
  type StoredObject,
  TooManyRequestsError,
} from "../ports/cluster-store.ts";

type Kind = StoredObject["kind"];

/**
 * The simulator's API server: objects in memory with the semantics controllers rely on —
 * resourceVersion checked on update, finalizers holding deletion (deletionTimestamp), pod
 * bindings, and evictions that honour PodDisruptionBudgets. Reads return the stored objects,
 * which nobody mutates: every write stores a new object.
 */
export class InMemoryClusterStore implements ClusterStore {
  readonly #objects = new Map<Kind, Map<string, StoredObject>>();
  readonly #now: () => Date;
  #version = 0;
  #generated = 0;
  /** Called before an eviction the budgets allow, to check invariants. */
  onEvict: (pod: Pod) => void = () => {};
  /** Called after every write with the kind written. */
  onChange: (kind: Kind, object: StoredObject, deleted: boolean) => void = () => {};

  constructor(now: () => Date) {
    this.#now = now;
  }

  /** Bumped by every write: a cheap "did anything change?" for periodic controllers. */
  get version(): number {
    return this.#version;
  }

  listNow<K extends Kind>(kind: K): Extract<StoredObject, { kind: K }>[] {
    return [...(this.#objects.get(kind)?.values() ?? [])] as Extract<StoredObject, { kind: K }>[];
  }

  getNow<K extends Kind>(
    kind: K,
    name: string,
    namespace?: string,
  ): Extract<StoredObject, { kind: K }> | undefined {
    return this.#objects.get(kind)?.get(keyOf(kind, name, namespace)) as
      | Extract<StoredObject, { kind: K }>
      | undefined;
  }

  async list<K extends Kind>(kind: K): Promise<Extract<StoredObject, { kind: K }>[]> {
    return this.listNow(kind);
  }

  async get<K extends Kind>(kind: K, name: string, namespace?: string) {
    return this.getNow(kind, name, namespace);
  }

  async create<T extends StoredObject>(object: T): Promise<T> {
    const name = object.metadata.name || this.#generateName(object);
    const key = keyOf(object.kind, name, object.metadata.namespace);
    const byKind = this.#byKind(object.kind);
    if (byKind.has(key)) throw new ConflictError(`${key} already exists`);
    return this.#write({
      ...object,
      metadata: {
        ...object.metadata,
        name,
        creationTimestamp: object.metadata.creationTimestamp ?? this.#now().toISOString(),
      },
    });
  }

  /** `metadata.generateName` plus five characters, as the API server names; counted, so repeatable. */
  #generateName(object: StoredObject): string {
    const prefix = object.metadata.generateName;
    if (prefix === undefined) throw new Error(`${object.kind} has neither a name nor generateName`);
    return `${prefix}${(this.#generated++).toString(36).padStart(5, "0")}`;
  }

  async update<T extends StoredObject>(object: T): Promise<T> {
    const key = keyOf(object.kind, object.metadata.name ?? "", object.metadata.namespace);
    const current = this.#byKind(object.kind).get(key);
    if (current === undefined) throw new NotFoundError(key);
    if (
      object.metadata.resourceVersion !== undefined &&
      object.metadata.resourceVersion !== current.metadata.resourceVersion
    )
      throw new ConflictError(key);
    // Once deleting, an object whose last finalizer goes is gone.
    if (
      current.metadata.deletionTimestamp !== undefined &&
      (object.metadata.finalizers ?? []).length === 0
    ) {
      this.#remove(object.kind, key);
      return object;
    }
    return this.#write(object);
  }

  async delete(key: ObjectKey): Promise<void> {
    const k = keyOf(key.kind, key.name, key.namespace);
    const current = this.#byKind(key.kind).get(k);
    if (current === undefined) throw new NotFoundError(k);
    if ((current.metadata.finalizers ?? []).length === 0) {
      this.#remove(key.kind, k);
      return;
    }
    if (current.metadata.deletionTimestamp !== undefined) return;
    this.#write({
      ...current,
      metadata: { ...current.metadata, deletionTimestamp: this.#now().toISOString() },
    });
  }

  async bind(pod: Pod, nodeName: string): Promise<void> {
    const current = this.getNow(
      "Pod",
      pod.metadata.name ?? "",
      pod.metadata.namespace ?? "default",
    );
    if (current === undefined) throw new NotFoundError(podKey(pod));
    if (current.spec.nodeName) throw new ConflictError(`${podKey(pod)} is already bound`);
    this.#write({
      ...current,
      spec: { ...current.spec, nodeName },
      status: {
        ...current.status,
        phase: "Running",
        // The kubelet's acknowledgement: do-not-disrupt durations count from it.
        startTime: current.status?.startTime ?? this.#now().toISOString(),
        conditions: [{ type: "Ready", status: "True" }],
      },
    });
  }

  async evict(pod: Pod): Promise<void> {
    const current = this.getNow(
      "Pod",
      pod.metadata.name ?? "",
      pod.metadata.namespace ?? "default",
    );
    if (current === undefined) throw new NotFoundError(podKey(pod));
    const budgets = new EvictionBudgets(
      this.listNow("PodDisruptionBudget") as PodDisruptionBudget[],
      this.listNow("Pod"),
    );
    const check = budgets.check([current]);
    if (!check.ok)
      throw new TooManyRequestsError(
        `Cannot evict pod as it would violate the pod's disruption budget (${check.refusal.code})`,
      );
    this.onEvict(current);
    await this.delete({
      kind: "Pod",
      name: current.metadata.name ?? "",
      namespace: current.metadata.namespace,
    });
  }

  #byKind(kind: Kind): Map<string, StoredObject> {
    let byKind = this.#objects.get(kind);
    if (byKind === undefined) {
      byKind = new Map();
      this.#objects.set(kind, byKind);
    }
    return byKind;
  }

  #write<T extends StoredObject>(object: T): T {
    const stored = {
      ...object,
      metadata: { ...object.metadata, resourceVersion: String(++this.#version) },
    } as T;
    this.#byKind(object.kind).set(
      keyOf(object.kind, object.metadata.name ?? "", object.metadata.namespace),
      stored,
    );
    this.onChange(object.kind, stored, false);
    return stored;
  }

  #remove(kind: Kind, key: string): void {
    const object = this.#byKind(kind).get(key);
    this.#byKind(kind).delete(key);
    this.#version++;
    if (object !== undefined) this.onChange(kind, object, true);
  }
}

function keyOf(kind: Kind, name: string, namespace: string | undefined): string {
  return NamespacedKinds.has(kind) ? `${namespace ?? "default"}/${name}` : name;
}
