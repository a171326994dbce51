import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { it } from "node:test";
import type { RecordedEvent } from "../ports/event-recorder.ts";
import { logEvents } from "./event-log.ts";
import { createLogger } from "./log.ts";

function logged(events: RecordedEvent[]) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const passed: RecordedEvent[] = [];
  const recorder = logEvents(
    { record: (e) => passed.push(e) },
    createLogger({ level: "info", format: "json", destination }),
  );
  for (const event of events) recorder.record(event);
  return { lines, passed };
}

it("logs an event with its kind as reason and its object's kind, namespace and name", () => {
  const event = { kind: "PodEvicted", object: "Pod/default/web-1", message: "from Node/n-1" };
  const { lines, passed } = logged([event]);
  assert.deepEqual(passed, [event]);
  assert.deepEqual(
    [lines[0]?.reason, lines[0]?.kind, lines[0]?.namespace, lines[0]?.name, lines[0]?.message],
    ["PodEvicted", "Pod", "default", "web-1", "from Node/n-1"],
  );
});

it("a command's nodes are listed under objects", () => {
  const { lines } = logged([
    { kind: "DisruptionDelete", object: "Node/a,Node/b", message: "Empty: idle" },
  ]);
  assert.deepEqual(lines[0]?.objects, [
    { kind: "Node", name: "a" },
    { kind: "Node", name: "b" },
  ]);
});
