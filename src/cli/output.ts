import { stringify } from "yaml";
import { formatLoadError, type LoadResult, loadManifests } from "../api/load.ts";

export type OutputFormat = "table" | "json" | "yaml";

/** JSON and YAML print the object and nothing else; the table is for people. */
export function printObject(value: unknown, format: OutputFormat, table: () => string): void {
  if (format === "json") process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  else if (format === "yaml") process.stdout.write(stringify(value, { lineWidth: 0 }));
  else process.stdout.write(table());
}

/**
 * Loads the manifests; warnings go to standard error. On invalid input every error is printed
 * (`FILE: KIND/NAME: field.path: reason`) and the result is undefined: the caller exits 2.
 */
export function loadOrReport(paths: readonly string[]): LoadResult | undefined {
  const loaded = loadManifests(paths);
  for (const warning of loaded.warnings)
    process.stderr.write(`warning: ${formatLoadError(warning)}\n`);
  if (loaded.errors.length === 0) return loaded;
  for (const error of loaded.errors) process.stderr.write(`${formatLoadError(error)}\n`);
  return undefined;
}

/** Exit statuses: 2 for any input or usage error, 3 for `plan --fail-unschedulable` with a pod left out. */
export const ExitCode = { ok: 0, internal: 1, invalidInput: 2, unschedulable: 3 } as const;
