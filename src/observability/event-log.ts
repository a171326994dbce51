import type { Logger } from "pino";
import type { EventRecorder, RecordedEvent } from "../ports/event-recorder.ts";
import { objectFields } from "./log.ts";
import { parseObjectRefs } from "./object-ref.ts";

/**
 * Logs every recorded event at info, then passes it on: `reason` is the event's kind (as a
 * Kubernetes Event's reason), the object's kind/namespace/name are fields, the message is the
 * line. A command naming several nodes lists them under `objects`.
 */
export function logEvents(recorder: EventRecorder, logger: Logger): EventRecorder {
  return {
    record(event: RecordedEvent): void {
      logger.info({ reason: event.kind, ...eventObjects(event.object) }, event.message);
      recorder.record(event);
    },
  };
}

function eventObjects(object: string): object {
  const fields = parseObjectRefs(object).map((ref) =>
    objectFields({ kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace } }),
  );
  return fields.length === 1 ? (fields[0] ?? {}) : { objects: fields };
}
