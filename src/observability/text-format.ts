import type { DestinationStream } from "pino";

/** Fields the head of a text line shows, left out of its `key=value` tail. */
const headKeys = new Set(["time", "level", "logger", "controller", "message"]);

/**
 * A destination that turns each of pino's JSON lines into one human line, synchronously, before
 * passing it on: `2026-12-01T20:00:00.000Z INFO  provisioning created nodeclaim nodeClaim=a`.
 * The controller (or, without one, the logger name) stands where zap's console encoder puts
 * the logger name. Nothing runs in a worker thread, so a line is out before `log.info` returns.
 */
export function textDestination(sink: DestinationStream): DestinationStream {
  return {
    write(line: string): void {
      sink.write(`${formatTextLine(line)}\n`);
    },
  };
}

export function formatTextLine(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.trimEnd();
  }
  const head = [
    String(record.time ?? ""),
    String(record.level ?? "").padEnd(5),
    ...[record.controller ?? record.logger].filter((v) => v !== undefined).map(String),
    String(record.message ?? ""),
  ];
  const tail = Object.entries(record)
    .filter(([key]) => !headKeys.has(key))
    .map(([key, value]) => `${key}=${formatValue(value)}`);
  return [...head, ...tail].filter((part) => part !== "").join(" ");
}

function formatValue(value: unknown): string {
  if (typeof value === "string") return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (isSerializedError(value)) return JSON.stringify(`${value.type}: ${value.message}`);
  return JSON.stringify(value) ?? String(value);
}

/** pino's `stdSerializers.err` shape. */
function isSerializedError(value: unknown): value is { type: string; message: string } {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { type?: unknown }).type === "string" &&
    typeof (value as { message?: unknown }).message === "string" &&
    "stack" in value
  );
}
