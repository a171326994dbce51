import { type DestinationStream, type Logger, pino } from "pino";
import { parseObjectRef } from "./object-ref.ts";
import { textDestination } from "./text-format.ts";

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFormat = "json" | "text";

export interface LoggerOptions {
  readonly level: LogLevel;
  readonly format: LogFormat;
  /** Where lines go; stdout (written synchronously, so nothing is lost on a crash) when absent. */
  readonly destination?: NodeJS.WritableStream;
  /** The `logger` field of every line, as Karpenter's `"logger":"controller"`. */
  readonly name?: string;
}

/**
 * Fields that may hold credentials or bootstrap secrets (tokens in user data, cloud keys, HTTP
 * auth headers), at the top level or one object down; pino overwrites them before a line is
 * built, so neither format ever sees them.
 */
export const RedactedPaths: readonly string[] = [
  "token",
  "*.token",
  "bearerToken",
  "*.bearerToken",
  "password",
  "*.password",
  "secret",
  "*.secret",
  "secretAccessKey",
  "*.secretAccessKey",
  "sessionToken",
  "*.sessionToken",
  "userData",
  "*.userData",
  "spec.userData",
  "*.spec.userData",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "headers.cookie",
  "*.headers.cookie",
];

export const Redacted = "[REDACTED]";

/**
 * A pino logger whose JSON lines look like Karpenter's (zap's production encoder):
 * `{"level":"INFO","time":"2026-…Z","logger":"controller",…,"message":"…"}`, errors under
 * `error`. `text` renders the same records one human line each, for a terminal.
 */
export function createLogger(options: LoggerOptions): Logger {
  const sink: DestinationStream = options.destination ?? pino.destination({ dest: 1, sync: true });
  return pino(
    {
      level: options.level,
      messageKey: "message",
      errorKey: "error",
      base: { logger: options.name ?? "controller" },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Karpenter's zap config encodes levels in capitals (CapitalLevelEncoder).
      formatters: { level: (label) => ({ level: label.toUpperCase() }) },
      redact: { paths: [...RedactedPaths], censor: Redacted },
    },
    options.format === "text" ? textDestination(sink) : sink,
  );
}

/** Anything with Kubernetes object metadata. */
export interface ObjectLike {
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
}

export interface ObjectFields {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/**
 * The log fields naming an object: `log.info(objectFields(claim), "launched")`. Takes the object
 * itself or a reference as events write it (`Kind/name`, `Kind/namespace/name`).
 */
export function objectFields(object: ObjectLike | string): ObjectFields {
  const ref =
    typeof object === "string"
      ? parseObjectRef(object)
      : {
          kind: object.kind ?? "",
          namespace: object.metadata?.namespace,
          name: object.metadata?.name ?? "",
        };
  return ref.namespace === undefined || ref.namespace === ""
    ? { kind: ref.kind, name: ref.name }
    : { kind: ref.kind, namespace: ref.namespace, name: ref.name };
}
