import { type OutputFormat, printObject } from "./output.ts";

/**
 * The `-o` formats as kubectl has them: `table` for people, `wide` the same table with more
 * columns, `name` one `kind/name` line per object (for `xargs` and shell loops), `json` and
 * `yaml` the whole result. What a command lists under `name` is its own (see its --help).
 */
export type Output = OutputFormat | "wide" | "name";

export interface Views {
  /** The table; `wide` asks for the extra columns. */
  readonly table: (wide: boolean) => string;
  /** `kind/name` lines, lower-case kinds as `kubectl get -o name` prints them. */
  readonly names: () => readonly string[];
}

export function printOutput(value: unknown, format: Output, views: Views): void {
  if (format === "name") {
    const names = views.names();
    process.stdout.write(names.length === 0 ? "" : `${names.join("\n")}\n`);
    return;
  }
  const wide = format === "wide";
  printObject(value, wide ? "table" : format, () => views.table(wide));
}
