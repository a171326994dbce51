import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import type { FieldError } from "../api/field-errors.ts";
import { validateObject } from "../api/validate.ts";
import type { StoredObject } from "../ports/cluster-store.ts";
import { ApiError, apiErrorOf, isGone } from "./api-error.ts";
import { isNewer } from "./resource-version.ts";
import { collectionPath, type Resource } from "./resources.ts";
import type { KubeRest } from "./rest.ts";

/** What the informer tells its owner. */
export interface InformerHandlers {
  /** An object was added, changed or deleted (relists included). */
  readonly onChange: (object: StoredObject, deleted: boolean) => void;
  /** An object the server holds that carpool cannot use; reported once per resourceVersion. */
  readonly onInvalid: (object: RawObject, errors: readonly FieldError[]) => void;
  /** A list or watch failed; the informer retries on its own. */
  readonly onError: (error: unknown, what: string) => void;
}

export interface RawObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly resourceVersion?: string;
    readonly uid?: string;
  };
}

interface WatchEvent {
  readonly type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  readonly object: RawObject & {
    readonly code?: number;
    readonly reason?: string;
    readonly message?: string;
  };
}

const PageSize = 500;
const MinBackoffMs = 1000;
const MaxBackoffMs = 30_000;
/** Server-side watch timeout, randomised between 5 and 10 minutes as client-go's reflector does. */
const MinWatchSeconds = 300;

/**
 * client-go's reflector for one kind: list (in pages), then watch from the list's
 * resourceVersion with bookmarks, into an in-memory cache. A watch that ends is resumed from the
 * last resourceVersion seen; one that is too old (410 Gone) is replaced by a fresh list, which
 * reports objects deleted meanwhile. Errors back off exponentially (1 s to 30 s). A kind the
 * server does not serve (its CRD is not installed) is an empty cache that is looked for again.
 * Objects are validated as carpool's loader validates manifests; invalid ones stay out of the
 * cache and are reported.
 */
export class Informer {
  readonly resource: Resource;
  readonly #rest: KubeRest;
  readonly #handlers: InformerHandlers;
  readonly #items = new Map<string, StoredObject>();
  /** Keys of objects the server holds but carpool could not read, with the version reported. */
  readonly #invalid = new Map<string, string | undefined>();
  #resourceVersion: string | undefined;
  #synced = false;
  #served = true;
  /** Why the server refuses this kind to carpool (401/403), while it does. */
  #refused: string | undefined;
  /** A watch has been opened since the first list: the cache is being kept current. */
  #watched = false;
  #stopped = false;
  #abort: AbortController | undefined;
  #backoffMs = MinBackoffMs;
  #syncWaiters: (() => void)[] = [];
  #sleepTimer: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;

  constructor(rest: KubeRest, resource: Resource, handlers: InformerHandlers) {
    this.#rest = rest;
    this.resource = resource;
    this.#handlers = handlers;
  }

  get synced(): boolean {
    return this.#synced;
  }

  /**
   * Synced, and not refused: a cache the server will not let carpool list or watch cannot be kept
   * current, and controllers must not act on what it held.
   */
  get healthy(): boolean {
    return (this.#watched || !this.#served) && this.#refused === undefined;
  }

  /** Why the server refuses to let carpool read this kind, if it does. */
  get refused(): string | undefined {
    return this.#refused;
  }

  /** False while the server does not serve this kind (a CRD not installed). */
  get served(): boolean {
    return this.#served;
  }

  whenSynced(): Promise<void> {
    if (this.#synced) return Promise.resolve();
    return new Promise((resolve) => this.#syncWaiters.push(resolve));
  }

  start(): void {
    void this.#run();
  }

  stop(): void {
    this.#stopped = true;
    this.#abort?.abort();
    clearTimeout(this.#sleepTimer);
    this.#wake?.();
  }

  list(): StoredObject[] {
    return [...this.#items.values()];
  }

  get(name: string, namespace?: string): StoredObject | undefined {
    return this.#items.get(this.#key(name, namespace));
  }

  /**
   * What the controller itself just wrote (or learnt was deleted): the cache takes it at once, so
   * the next read sees it, unless a newer version has already arrived by the watch.
   */
  observe(object: StoredObject, deleted = false): void {
    const key = this.#key(object.metadata.name ?? "", object.metadata.namespace);
    if (deleted) {
      if (this.#items.delete(key)) this.#handlers.onChange(object, true);
      return;
    }
    const current = this.#items.get(key);
    if (
      current !== undefined &&
      !isNewer(object.metadata.resourceVersion, current.metadata.resourceVersion)
    )
      return;
    this.#items.set(key, object);
    this.#handlers.onChange(object, false);
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      try {
        if (this.#resourceVersion === undefined) await this.#list();
        await this.#watch();
        this.#backoffMs = MinBackoffMs;
      } catch (error) {
        if (this.#stopped) return;
        if (isGone(error)) {
          this.#resourceVersion = undefined;
          continue;
        }
        if (error instanceof ApiError && (error.status === 401 || error.status === 403))
          this.#refused = error.message;
        if (error instanceof ApiError && error.status === 404) {
          this.#unserved();
          await this.#sleep(MaxBackoffMs);
          continue;
        }
        this.#handlers.onError(
          error,
          `${this.resource.plural}: ${this.#resourceVersion === undefined ? "list" : "watch"}`,
        );
        await this.#sleep(this.#backoffMs * (0.8 + Math.random() * 0.4));
        this.#backoffMs = Math.min(this.#backoffMs * 2, MaxBackoffMs);
      }
    }
  }

  async #list(): Promise<void> {
    const seen = new Map<string, StoredObject>();
    let continueToken: string | undefined;
    let resourceVersion: string | undefined;
    do {
      const page = await this.#rest.request<{
        metadata: { resourceVersion?: string; continue?: string };
        items: RawObject[];
      }>("GET", collectionPath(this.resource), {
        query: { limit: PageSize, continue: continueToken },
      });
      for (const item of page.items) {
        // Items of a list carry no apiVersion and kind of their own.
        const object = this.#admit({
          ...item,
          apiVersion: this.resource.apiVersion,
          kind: this.resource.kind,
        });
        if (object !== undefined) seen.set(this.#keyOf(object), object);
      }
      continueToken = page.metadata.continue || undefined;
      resourceVersion = page.metadata.resourceVersion;
    } while (continueToken !== undefined);
    for (const [key, object] of this.#items)
      if (!seen.has(key)) {
        this.#items.delete(key);
        this.#handlers.onChange(object, true);
      }
    for (const [key, object] of seen) {
      const current = this.#items.get(key);
      if (current?.metadata.resourceVersion === object.metadata.resourceVersion) continue;
      this.#items.set(key, object);
      this.#handlers.onChange(object, false);
    }
    this.#served = true;
    this.#resourceVersion = resourceVersion;
    this.#markSynced();
  }

  async #watch(): Promise<void> {
    // Stopped while a list was under way: no new watch (it would hold the process for minutes).
    if (this.#stopped) return;
    const abort = new AbortController();
    this.#abort = abort;
    const timeoutSeconds = Math.floor(MinWatchSeconds * (1 + Math.random()));
    // A connection that goes silent (no bookmark for far longer than the server sends them) is
    // dropped and watched again, as client-go's own staleness guard does.
    let idle: NodeJS.Timeout | undefined;
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => abort.abort(), (timeoutSeconds + 30) * 1000);
      idle.unref();
    };
    touch();
    try {
      const response = await this.#rest.open("GET", collectionPath(this.resource), {
        query: {
          watch: 1,
          resourceVersion: this.#resourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds,
        },
        signal: abort.signal,
      });
      if (response.status !== 200) {
        throw apiErrorOf(response.status, await response.text(), `watch ${this.resource.plural}`);
      }
      this.#refused = undefined;
      this.#watched = true;
      if (response.body === null) return;
      const body = Readable.fromWeb(response.body as never);
      const lines = createInterface({ input: body, crlfDelay: Number.POSITIVE_INFINITY });
      for await (const line of lines) {
        touch();
        if (line.trim() === "") continue;
        this.#event(JSON.parse(line) as WatchEvent);
      }
    } catch (error) {
      if (abort.signal.aborted && !this.#stopped) return;
      throw error;
    } finally {
      clearTimeout(idle);
    }
  }

  #event(event: WatchEvent): void {
    const { type, object } = event;
    if (type === "ERROR") {
      throw new ApiError(
        `watch ${this.resource.plural}: ${object.message ?? "error"}`,
        object.code ?? 500,
        object.reason ?? "",
        undefined,
      );
    }
    this.#resourceVersion = object.metadata?.resourceVersion ?? this.#resourceVersion;
    if (type === "BOOKMARK") return;
    if (type === "DELETED") {
      const key = this.#key(object.metadata?.name ?? "", object.metadata?.namespace);
      this.#invalid.delete(key);
      const current = this.#items.get(key);
      if (current === undefined) return;
      this.#items.delete(key);
      this.#handlers.onChange({ ...current, ...object } as StoredObject, true);
      return;
    }
    const admitted = this.#admit(object);
    const key = this.#key(object.metadata?.name ?? "", object.metadata?.namespace);
    if (admitted === undefined) {
      // What was usable and is not now leaves the cache: controllers must not act on stale spec.
      const current = this.#items.get(key);
      if (current !== undefined) {
        this.#items.delete(key);
        this.#handlers.onChange(current, true);
      }
      return;
    }
    const current = this.#items.get(key);
    if (
      current !== undefined &&
      !isNewer(admitted.metadata.resourceVersion, current.metadata.resourceVersion)
    )
      return;
    this.#items.set(key, admitted);
    this.#handlers.onChange(admitted, false);
  }

  /** The object if carpool can read it; otherwise it is reported (once per version) and left out. */
  #admit(object: RawObject): StoredObject | undefined {
    const key = this.#key(object.metadata?.name ?? "", object.metadata?.namespace);
    const validation = validateObject(object);
    if (validation.ok) {
      this.#invalid.delete(key);
      return validation.object;
    }
    const version = object.metadata?.resourceVersion;
    if (!this.#invalid.has(key) || this.#invalid.get(key) !== version) {
      this.#invalid.set(key, version);
      this.#handlers.onInvalid(object, validation.errors);
    }
    return undefined;
  }

  #unserved(): void {
    if (this.#served)
      this.#handlers.onError(
        new Error(
          `the server does not serve ${this.resource.apiVersion} ${this.resource.plural}; is its CRD installed?`,
        ),
        this.resource.plural,
      );
    this.#served = false;
    for (const object of this.#items.values()) this.#handlers.onChange(object, true);
    this.#items.clear();
    this.#resourceVersion = undefined;
    this.#markSynced();
  }

  #markSynced(): void {
    this.#synced = true;
    for (const resolve of this.#syncWaiters.splice(0)) resolve();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
      this.#sleepTimer = setTimeout(resolve, ms);
    });
  }

  #keyOf(object: StoredObject): string {
    return this.#key(object.metadata.name ?? "", object.metadata.namespace);
  }

  #key(name: string, namespace: string | undefined): string {
    return this.resource.namespaced ? `${namespace ?? ""}/${name}` : name;
  }
}
