import { TomlDate } from "smol-toml";

/**
 * TOML v1.0.0 documents as carpool writes them for Bottlerocket. Integers are bigints and floats
 * numbers, as smol-toml reads them with `integersAsBigInt`, so a user's `1.0` stays a float and
 * `1` an integer when their settings are written back.
 */
export type TomlValue = string | bigint | number | boolean | TomlDate | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

export function isTomlTable(value: unknown): value is TomlTable {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof TomlDate)
  );
}

const bareKey = /^[A-Za-z0-9_-]+$/;

/** A bare key when TOML allows one (A-Za-z0-9_-), else a quoted key: `"karpenter.sh/nodepool"`. */
export function tomlKey(key: string): string {
  return bareKey.test(key) ? key : tomlString(key);
}

const escapes: Readonly<Record<string, string>> = {
  "\b": "\\b",
  "\t": "\\t",
  "\n": "\\n",
  "\f": "\\f",
  "\r": "\\r",
  '"': '\\"',
  "\\": "\\\\",
};

/**
 * A basic string: `"` and `\` escaped, control characters (U+0000–U+001F, U+007F, which TOML does
 * not allow raw) as their short escape or `\uXXXX`; everything else as it is, in UTF-8.
 */
export function tomlString(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it escapes
  const escaped = text.replace(/[\u0000-\u001f\u007f"\\]/g, (char) => {
    return escapes[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
  return `"${escaped}"`;
}

function tomlFloat(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Number.POSITIVE_INFINITY) return "inf";
  if (value === Number.NEGATIVE_INFINITY) return "-inf";
  if (Object.is(value, -0)) return "-0.0";
  const text = String(value);
  // A float needs a fraction or an exponent, or it would be read back as an integer.
  return /^-?\d+$/.test(text) ? `${text}.0` : text;
}

/** A value on the right of `=`: tables inside arrays become inline tables. */
export function tomlInline(value: TomlValue): string {
  if (typeof value === "string") return tomlString(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") return tomlFloat(value);
  if (typeof value === "boolean") return String(value);
  if (value instanceof TomlDate) return value.toISOString();
  if (Array.isArray(value)) return `[${value.map(tomlInline).join(", ")}]`;
  const entries = Object.entries(value).map(
    ([key, item]) => `${tomlKey(key)} = ${tomlInline(item)}`,
  );
  return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
}

function isArrayOfTables(value: TomlValue): value is TomlTable[] {
  return Array.isArray(value) && value.length > 0 && value.every(isTomlTable);
}

/**
 * The document: each table's own keys first, then its sub-tables as `[a.b]` sections and its arrays
 * of tables as `[[a.b]]`, so every key lands in the table it belongs to and no table is defined
 * twice (TOML v1.0.0 "Table", "Array of Tables").
 */
export function writeToml(document: TomlTable): string {
  const lines: string[] = [];
  writeTable(lines, [], document, false);
  return `${lines.join("\n")}\n`;
}

function writeTable(lines: string[], path: string[], table: TomlTable, arrayItem: boolean): void {
  const entries = Object.entries(table);
  const simple = entries.filter(([, value]) => !isTomlTable(value) && !isArrayOfTables(value));
  const header = path.map(tomlKey).join(".");
  // A table with only sub-tables needs no header of its own; an empty one does, to exist at all.
  if (path.length > 0 && (arrayItem || simple.length > 0 || entries.length === 0)) {
    if (lines.length > 0) lines.push("");
    lines.push(arrayItem ? `[[${header}]]` : `[${header}]`);
  }
  for (const [key, value] of simple) lines.push(`${tomlKey(key)} = ${tomlInline(value)}`);
  for (const [key, value] of entries) {
    if (isTomlTable(value)) writeTable(lines, [...path, key], value, false);
    else if (isArrayOfTables(value))
      for (const item of value) writeTable(lines, [...path, key], item, true);
  }
}
