import { stringify } from "yaml";
import { formatLoadError, type LoadResult, loadManifests } from "../api/load.ts";
import { escapeForTerminal } from "../render/terminal-text.ts";

export type OutputFormat = "table" | "json" | "yaml";

/** JSON and YAML print the object and nothing else; the table is for people. */
export function printObject(value: unknown, format: OutputFormat, table: () => string): void {
  if (format === "json") process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  else if (format === "yaml") process.stdout.write(stringify(value, { lineWidth: 0 }));
  else process.stdout.write(table());
}

export interface LoadFlags {
  /** `--strict`: unknown fields are errors (kubectl --validate=strict), not warnings. */
  readonly strict?: boolean;
  /** `-R, --recursive`: read directories' subdirectories too. */
  readonly recursive?: boolean;
}

/**
 * Loads the manifests; warnings go to standard error. On invalid input every error is printed
 * (`FILE: KIND/NAME: field.path: reason`) and the result is undefined: the caller exits 2.
 */
export function loadOrReport(
  paths: readonly string[] | undefined,
  flags: LoadFlags = {},
): LoadResult | undefined {
  if (paths === undefined || paths.length === 0) {
    // `carpool plan < snapshot.yaml` reads nothing, as `kubectl apply` would: say how to.
    const piped = process.stdin.isTTY ? "" : "; standard input is read only with -f -";
    printDiagnostic(
      `error: no manifests given: pass -f FILE or -f DIRECTORY (-R for subdirectories)${piped}`,
    );
    return undefined;
  }
  const loaded = loadManifests(paths, flags);
  for (const note of loaded.notes ?? []) printDiagnostic(`note: ${formatLoadError(note)}`);
  for (const warning of loaded.warnings) printDiagnostic(`warning: ${formatLoadError(warning)}`);
  if (loaded.errors.length === 0) return loaded;
  for (const error of loaded.errors) printDiagnostic(formatLoadError(error));
  return undefined;
}

/** A line quoting input can be megabytes long (a minified file's one line): this much is enough. */
const maxLineLength = 1000;

/**
 * One diagnostic line on standard error, its input-derived text made safe for a terminal and cut
 * to a readable length. Commands printing errors that quote input should use it too.
 */
export function printDiagnostic(line: string): void {
  const shown =
    line.length > maxLineLength
      ? `${line.slice(0, maxLineLength)}… (${line.length - maxLineLength} more characters)`
      : line;
  process.stderr.write(`${escapeForTerminal(shown)}\n`);
}

/** Exit statuses: 2 for any input or usage error, 3 for `plan --fail-unschedulable` with a pod left out. */
export const ExitCode = { ok: 0, internal: 1, invalidInput: 2, unschedulable: 3 } as const;
