import type { StoredObject } from "../ports/cluster-store.ts";
import type { EventRecorder, RecordedEvent } from "../ports/event-recorder.ts";
import { microTime } from "./micro-time.ts";
import { resourceOf } from "./resources.ts";
import type { KubeRest } from "./rest.ts";

/** Decisions that mean something did not go as asked: Warning events, as Karpenter types them. */
const WarningReasons: ReadonlySet<string> = new Set([
  "PodUnschedulable",
  "InsufficientCapacity",
  "LaunchFailed",
  "RegistrationTimeout",
  "DisruptionAborted",
  "InvalidObject",
  "NodePoolNotReady",
  "SpotInterrupted",
]);
/** An identical event (same object, reason and message) is not sent again within this window. */
const DedupeMs = 10 * 60_000;
const MaxQueued = 1000;

export interface KubeEventRecorderOptions {
  readonly rest: KubeRest;
  /** The object an event is about, from the cache, for its uid and apiVersion. */
  readonly lookup: (
    kind: StoredObject["kind"],
    name: string,
    namespace?: string,
  ) => StoredObject | undefined;
  readonly reportingInstance: string;
  readonly now: () => Date;
  readonly onError: (error: unknown, event: RecordedEvent) => void;
}

/**
 * Controller decisions as `events.k8s.io/v1` Events on the objects they concern (`Pod/ns/name`,
 * `NodeClaim/name`, several `Node/a,Node/b` at once), sent in the background in order; a failing
 * send is reported, never thrown into the controller. Decisions about things that are not API
 * objects (a cloud instance) are not sent.
 */
export class KubeEventRecorder implements EventRecorder {
  readonly #options: KubeEventRecorderOptions;
  readonly #recent = new Map<string, number>();
  #queue: Promise<void> = Promise.resolve();
  #queued = 0;
  #sequence = 0;

  constructor(options: KubeEventRecorderOptions) {
    this.#options = options;
  }

  record(event: RecordedEvent): void {
    for (const target of event.object.split(",")) {
      const [kind, ...rest] = target.split("/");
      let resource: ReturnType<typeof resourceOf>;
      try {
        resource = resourceOf(kind as StoredObject["kind"]);
      } catch {
        continue;
      }
      const [namespace, name] = resource.namespaced
        ? [rest[0], rest.slice(1).join("/")]
        : [undefined, rest.join("/")];
      if (name === undefined || name === "") continue;
      const now = this.#options.now();
      const key = `${target}\u0000${event.kind}\u0000${event.message}`;
      const last = this.#recent.get(key);
      if (last !== undefined && now.getTime() - last < DedupeMs) continue;
      this.#recent.set(key, now.getTime());
      if (this.#recent.size > 10_000) this.#forgetOld(now.getTime());
      if (this.#queued >= MaxQueued) continue;
      this.#queued++;
      const object = this.#options.lookup(resource.kind, name, namespace);
      const body = {
        apiVersion: "events.k8s.io/v1",
        kind: "Event",
        // Named as client-go names events: the object's name and the time in hex nanoseconds.
        metadata: {
          name: `${name.slice(0, 200)}.${(BigInt(now.getTime()) * 1_000_000n + BigInt(this.#sequence++ % 1_000_000)).toString(16)}`,
          namespace: namespace ?? "default",
        },
        eventTime: microTime(now),
        reportingController: "carpool.dev/controller",
        reportingInstance: this.#options.reportingInstance,
        action: event.kind,
        reason: event.kind,
        type: WarningReasons.has(event.kind) ? "Warning" : "Normal",
        note: event.message.slice(0, 1024),
        regarding: {
          apiVersion: resource.apiVersion,
          kind: resource.kind,
          name,
          ...(namespace !== undefined && { namespace }),
          ...(object?.metadata.uid !== undefined && { uid: object.metadata.uid }),
          ...(object?.metadata.resourceVersion !== undefined && {
            resourceVersion: object.metadata.resourceVersion,
          }),
        },
      };
      this.#queue = this.#queue.then(async () => {
        try {
          await this.#options.rest.request(
            "POST",
            `/apis/events.k8s.io/v1/namespaces/${encodeURIComponent(body.metadata.namespace)}/events`,
            { body },
          );
        } catch (error) {
          this.#options.onError(error, event);
        } finally {
          this.#queued--;
        }
      });
    }
  }

  /** Resolves when every event recorded so far has been sent (or has failed). */
  flush(): Promise<void> {
    return this.#queue;
  }

  #forgetOld(nowMs: number): void {
    for (const [key, at] of this.#recent) if (nowMs - at >= DedupeMs) this.#recent.delete(key);
  }
}
