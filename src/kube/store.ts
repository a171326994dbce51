import { isDeepStrictEqual } from "node:util";
import type { Pod } from "../api/pod.ts";
import {
  type ClusterStore,
  ConflictError,
  NotFoundError,
  type ObjectKey,
  type StoredObject,
  TooManyRequestsError,
} from "../ports/cluster-store.ts";
import { ApiError } from "./api-error.ts";
import { Informer, type InformerHandlers } from "./informer.ts";
import { collectionPath, objectPath, type Resource, resourceOf } from "./resources.ts";
import type { KubeRest } from "./rest.ts";

type Kind = StoredObject["kind"];

/**
 * The ClusterStore over a real API server. Reads come from informer caches (list + watch per
 * kind), as controller-runtime's client reads do; writes go to the server with optimistic
 * concurrency (a stale resourceVersion is a ConflictError) and are taken into the cache at once,
 * so a controller reads its own writes. Status goes through the `/status` subresource where the
 * kind has one: an update that changes both spec and status is two writes, object then status.
 */
export class KubeClusterStore implements ClusterStore {
  readonly #rest: KubeRest;
  readonly #informers = new Map<Kind, Informer>();

  constructor(rest: KubeRest, kinds: readonly Kind[], handlers: InformerHandlers) {
    this.#rest = rest;
    for (const kind of kinds)
      this.#informers.set(kind, new Informer(rest, resourceOf(kind), handlers));
  }

  start(): void {
    for (const informer of this.#informers.values()) informer.start();
  }

  stop(): void {
    for (const informer of this.#informers.values()) informer.stop();
  }

  /** Resolves once every cache has been filled by its first list. */
  async synced(): Promise<void> {
    await Promise.all([...this.#informers.values()].map((i) => i.whenSynced()));
  }

  get isSynced(): boolean {
    return [...this.#informers.values()].every((i) => i.synced);
  }

  /** Every cache synced and kept current: none is refused by the server (RBAC). */
  get isHealthy(): boolean {
    return [...this.#informers.values()].every((i) => i.healthy);
  }

  /** What the server refuses to let carpool read, kind by kind. */
  refusals(): string[] {
    return [...this.#informers.values()].flatMap((i) =>
      i.refused === undefined ? [] : [i.refused],
    );
  }

  /** Whether the server serves the kind (false while its CRD is not installed). */
  serves(kind: Kind): boolean {
    return this.#informers.get(kind)?.served ?? false;
  }

  /** The cached object now, without waiting (for event and metric labels). */
  peek(kind: Kind, name: string, namespace?: string): StoredObject | undefined {
    return this.#informers.get(kind)?.get(name, namespace ?? "default");
  }

  /** A kind the store was not asked to watch (another provider's node class) lists as empty. */
  async list<K extends Kind>(kind: K): Promise<Extract<StoredObject, { kind: K }>[]> {
    return (this.#informers.get(kind)?.list() ?? []) as Extract<StoredObject, { kind: K }>[];
  }

  async get<K extends Kind>(
    kind: K,
    name: string,
    namespace?: string,
  ): Promise<Extract<StoredObject, { kind: K }> | undefined> {
    return this.#informers.get(kind)?.get(name, namespace ?? "default") as
      | Extract<StoredObject, { kind: K }>
      | undefined;
  }

  async create<T extends StoredObject>(object: T): Promise<T> {
    const resource = resourceOf(object.kind);
    const { status, ...rest } = object as T & { status?: unknown };
    const separateStatus = resource.statusSubresource && resource.statusOnCreate !== true;
    const created = await this.#write<T>(
      "POST",
      collectionPath(resource, this.#namespace(resource, object)),
      { ...(separateStatus ? rest : object), apiVersion: resource.apiVersion, kind: resource.kind },
      describe(object),
    );
    // Most kinds with a status subresource drop status on create; it is written next.
    const written =
      status !== undefined && separateStatus
        ? await this.#write<T>(
            "PUT",
            `${objectPath(resource, created.metadata.name ?? "", created.metadata.namespace)}/status`,
            { ...created, status },
            describe(object),
          )
        : created;
    this.#informers.get(object.kind)?.observe(written);
    return written;
  }

  async update<T extends StoredObject>(object: T): Promise<T> {
    const resource = resourceOf(object.kind);
    const path = objectPath(resource, object.metadata.name ?? "", object.metadata.namespace);
    const cached = this.#informers
      .get(object.kind)
      ?.get(object.metadata.name ?? "", object.metadata.namespace);
    const { status, ...main } = object as T & { status?: unknown };
    const { status: cachedStatus, ...cachedMain } = (cached ?? {}) as T & { status?: unknown };
    const mainChanged =
      !resource.statusSubresource || cached === undefined || !isDeepStrictEqual(main, cachedMain);
    const statusChanged =
      resource.statusSubresource &&
      (cached === undefined || !isDeepStrictEqual(status, cachedStatus));
    let written = (cached ?? object) as T;
    if (mainChanged) written = await this.#write<T>("PUT", path, object, describe(object));
    if (statusChanged && status !== undefined) {
      if (this.#deleted(written)) return written;
      written = await this.#write<T>(
        "PUT",
        `${path}/status`,
        { ...written, status },
        describe(object),
      );
    }
    if (this.#deleted(written)) this.#informers.get(object.kind)?.observe(written, true);
    else this.#informers.get(object.kind)?.observe(written);
    return written;
  }

  async delete(key: ObjectKey): Promise<void> {
    const resource = resourceOf(key.kind);
    let answer: StoredObject | { kind: "Status" };
    try {
      answer = await this.#rest.request("DELETE", objectPath(resource, key.name, key.namespace), {
        body: { apiVersion: "v1", kind: "DeleteOptions", propagationPolicy: "Background" },
      });
    } catch (error) {
      throw mapError(error, describe(key));
    }
    // The object back means finalizers hold it (now marked deleting); a Status means it is gone.
    const informer = this.#informers.get(key.kind);
    if (answer?.kind === resource.kind) informer?.observe(answer as StoredObject);
    else {
      const cached = informer?.get(key.name, key.namespace);
      if (cached !== undefined) informer?.observe(cached, true);
    }
  }

  /** The pods/binding subresource; kube-scheduler binds in a real cluster, so this is rarely used. */
  async bind(pod: Pod, nodeName: string): Promise<void> {
    const namespace = pod.metadata.namespace ?? "default";
    try {
      await this.#rest.request(
        "POST",
        `${objectPath(resourceOf("Pod"), pod.metadata.name ?? "", namespace)}/binding`,
        {
          body: {
            apiVersion: "v1",
            kind: "Binding",
            metadata: { name: pod.metadata.name, namespace },
            target: { apiVersion: "v1", kind: "Node", name: nodeName },
          },
        },
      );
    } catch (error) {
      throw mapError(error, describe(pod));
    }
  }

  /** The policy/v1 Eviction subresource: the API server checks PodDisruptionBudgets (429). */
  async evict(pod: Pod): Promise<void> {
    const namespace = pod.metadata.namespace ?? "default";
    try {
      await this.#rest.request(
        "POST",
        `${objectPath(resourceOf("Pod"), pod.metadata.name ?? "", namespace)}/eviction`,
        {
          body: {
            apiVersion: "policy/v1",
            kind: "Eviction",
            metadata: { name: pod.metadata.name, namespace },
          },
        },
      );
    } catch (error) {
      throw mapError(error, describe(pod));
    }
  }

  async #write<T>(method: "POST" | "PUT", path: string, body: unknown, what: string): Promise<T> {
    try {
      return await this.#rest.request<T>(method, path, { body });
    } catch (error) {
      throw mapError(error, what);
    }
  }

  /** An object whose last finalizer went while it was being deleted: the server removed it. */
  #deleted(object: StoredObject): boolean {
    return (
      object.metadata.deletionTimestamp !== undefined &&
      (object.metadata.finalizers ?? []).length === 0
    );
  }

  #namespace(resource: Resource, object: StoredObject): string | undefined {
    return resource.namespaced ? (object.metadata.namespace ?? "default") : undefined;
  }
}

function describe(object: ObjectKey | StoredObject): string {
  const { kind } = object;
  const name =
    "metadata" in object ? object.metadata.name || object.metadata.generateName : object.name;
  const namespace = "metadata" in object ? object.metadata.namespace : object.namespace;
  return namespace === undefined ? `${kind}/${name}` : `${kind}/${namespace}/${name}`;
}

/** The ports' typed errors for the answers controllers act on; anything else as it came. */
function mapError(error: unknown, what: string): unknown {
  if (!(error instanceof ApiError)) return error;
  if (error.status === 409) return new ConflictError(what);
  if (error.status === 404) return new NotFoundError(what);
  if (error.status === 429) return new TooManyRequestsError(error.message);
  return error;
}
