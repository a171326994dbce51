import type { SimulationEvent } from "../result.ts";

/** One row of the event log as the report shows it, with what the filters match on. */
export interface EventRow {
  readonly t: string;
  readonly reason: string;
  /** The objects the event is about, as the data names them (`Pod/shop/web-0`, `Node/n-1`). */
  readonly objects: readonly NamedObject[];
  readonly message: string;
  /** Every object the row concerns — its own, those its message names, and their aliases. */
  readonly related: readonly string[];
  /** For an evicted pod that came back under its own name: where it was scheduled next. */
  readonly rescheduled?: { readonly t: string; readonly message: string };
}

export interface NamedObject {
  readonly name: string;
  /** The same machine under its other name: a NodeClaim's Node, or a Node's NodeClaim. */
  readonly alias?: string;
}

export interface ReasonCount {
  readonly reason: string;
  readonly count: number;
}

/**
 * `Kind/name`, `Kind/namespace/name` or `Instance/<providerID>` inside a message, as the simulator
 * writes references; punctuation that ends a clause is not part of the name.
 */
const REFERENCE = /\b[A-Z][A-Za-z]*\/[A-Za-z0-9][-A-Za-z0-9_.:/]*/g;

export function eventRows(events: readonly SimulationEvent[]): EventRow[] {
  const aliases = machineAliases(events);
  const nextScheduled = scheduledAfter(events);
  return events.map((event, index) => {
    const objects = splitObjects(event.object).map((name) => {
      const alias = aliases.get(name);
      return alias === undefined ? { name } : { name, alias };
    });
    const mentioned = references(event.message);
    const related = new Set<string>();
    for (const name of [...objects.map((o) => o.name), ...mentioned]) {
      related.add(name);
      const alias = aliases.get(name);
      if (alias !== undefined) related.add(alias);
    }
    const row: EventRow = {
      t: event.t,
      reason: event.kind,
      objects,
      message: withoutStutter(event.message),
      related: [...related],
    };
    const rescheduled = event.kind === "PodEvicted" ? nextScheduled.get(index) : undefined;
    return rescheduled === undefined
      ? row
      : { ...row, rescheduled: { t: rescheduled.t, message: rescheduled.message } };
  });
}

/** Reasons in order of first appearance, which follows the run's story (apply, launch, ...). */
export function reasonCounts(rows: readonly EventRow[]): ReasonCount[] {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.reason, (counts.get(row.reason) ?? 0) + 1);
  return [...counts].map(([reason, count]) => ({ reason, count }));
}

/**
 * A disruption names every node it takes, comma-separated; Kubernetes names cannot hold commas,
 * so splitting there never cuts a name.
 */
export function splitObjects(object: string): string[] {
  return object
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
}

function references(message: string): string[] {
  return [...message.matchAll(REFERENCE)].map((m) => m[0].replace(/[.:/]+$/, ""));
}

/**
 * Disruption speaks of Nodes, the lifecycle of NodeClaims; the registration event ties the two
 * names of one machine together, so a reader following either sees both.
 */
function machineAliases(events: readonly SimulationEvent[]): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const event of events) {
    if (event.kind !== "NodeRegistered" || !event.object.startsWith("NodeClaim/")) continue;
    const node = references(event.message).find((name) => name.startsWith("Node/"));
    if (node === undefined) continue;
    aliases.set(event.object, node);
    aliases.set(node, event.object);
  }
  return aliases;
}

/** For each PodEvicted event, the first later Scheduled event of the same pod. */
function scheduledAfter(events: readonly SimulationEvent[]): Map<number, SimulationEvent> {
  const waiting = new Map<string, number[]>();
  const found = new Map<number, SimulationEvent>();
  events.forEach((event, index) => {
    if (event.kind === "PodEvicted") {
      waiting.set(event.object, [...(waiting.get(event.object) ?? []), index]);
    } else if (event.kind === "Scheduled") {
      for (const evicted of waiting.get(event.object) ?? []) found.set(evicted, event);
      waiting.delete(event.object);
    }
  });
  return found;
}

/**
 * Disruption messages lead with the method and the method's own reason often repeats it
 * (`Underutilized: underutilized: 12 pods fit ...`); the reader needs it once.
 */
export function withoutStutter(message: string): string {
  const match = /^([^:]+): ([^:]+): /.exec(message);
  if (match === null || match[1]?.trim().toLowerCase() !== match[2]?.trim().toLowerCase())
    return message;
  return `${match[1]}: ${message.slice(match[0].length)}`;
}
