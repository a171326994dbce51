import { parseAllDocuments } from "yaml";
import { duplicateObjectErrors } from "./load-duplicates.ts";
import { type ManifestFile, readManifestFiles } from "./load-files.ts";
import { replicaLimitErrors } from "./load-limits.ts";
import { defaultNodePool, type NodePool } from "./nodepool.ts";
import { duplicateFieldPaths } from "./strict-fields-duplicates.ts";
import { type KnownObject, NamespacedKinds, validateObject } from "./validate.ts";

/** Where an object came from: the file (or "-" for standard input) and its document index. */
export interface ObjectSource {
  readonly file: string;
  readonly documentIndex: number;
  /** The object's index in a `kind: List` document's items. */
  readonly listIndex?: number;
}

export interface LoadedObject {
  readonly object: KnownObject;
  readonly source: ObjectSource;
}

/** One problem, with everything needed to find it: `FILE: KIND/NAME: field.path: reason`. */
export interface LoadError {
  readonly file: string;
  readonly documentIndex?: number;
  readonly kind?: string;
  readonly name?: string;
  readonly path?: string;
  readonly message: string;
}

export interface LoadResult {
  readonly objects: readonly LoadedObject[];
  readonly errors: readonly LoadError[];
  /** Things worth knowing that do not stop the run: kinds carpool does not read, unknown fields. */
  readonly warnings: readonly LoadError[];
  /** What was left unread on purpose, such as subdirectories without `-R`. */
  readonly notes?: readonly LoadError[];
}

export interface LoadOptions {
  /** Unknown fields are errors, as with `kubectl --validate=strict`; else warnings. */
  readonly strict?: boolean;
  /** Directories are read with their subdirectories, as `kubectl -R`. */
  readonly recursive?: boolean;
  readonly readStdin?: () => string | Uint8Array;
}

/**
 * Reads manifests from files, directories (their .yaml/.yml/.json files, sorted by name) and "-"
 * (standard input), as `kubectl apply -f` does. Every problem is reported in one run; every valid
 * object is kept. Input that holds no object at all is an error: a plan of nothing is a mistake.
 */
export function loadManifests(paths: readonly string[], options: LoadOptions = {}): LoadResult {
  const read = readManifestFiles(paths, options);
  const parsed = read.files.map((file) => parseManifestText(file.text, file.name, options));
  const objects = parsed.flatMap((r) => r.objects);
  const errors = [...read.errors, ...parsed.flatMap((r) => r.errors)];
  const warnings = parsed.flatMap((r) => r.warnings);
  errors.push(...duplicateObjectErrors(objects), ...replicaLimitErrors(objects));
  const empty = objects.length === 0 && errors.length === 0;
  if (empty && !warnings.some((w) => w.path === "kind")) errors.push(noObjectsError(read.files));
  return { objects, errors, warnings, notes: read.notes };
}

function noObjectsError(files: readonly ManifestFile[]): LoadError {
  const file = files.length === 1 ? (files[0]?.name ?? "input") : "input";
  const read = files.length === 0 ? "no manifest files" : `${files.length} file(s) read`;
  return {
    file,
    message: `no objects found (${read}); carpool reads Kubernetes manifests (.yaml, .yml, .json): give files or directories with -f, -R for subdirectories, or -f - for standard input`,
  };
}

/** A YAML syntax error can repeat for every line of a garbled file: a few name the problem. */
const maxSyntaxErrorsPerFile = 10;
/** Parser messages quote the input; a quote longer than this says nothing more. */
const maxQuotedLength = 200;

/** Parses YAML (multi-document) or JSON text; `kind: List` is expanded. */
export function parseManifestText(
  text: string,
  file: string,
  options: Pick<LoadOptions, "strict"> = {},
): LoadResult {
  const json = parseJson(text);
  const parsed: ParsedYaml =
    json !== undefined
      ? { documents: [{ value: json, documentIndex: 0 }], errors: [], duplicateFields: [] }
      : parseYaml(text, file);
  const decoded = decodeObjects(
    parsed.documents.flatMap(({ value, documentIndex }) =>
      isList(value)
        ? value.items.map((object, listIndex) => ({ object, documentIndex, listIndex }))
        : [{ object: value, documentIndex }],
    ),
    file,
    options,
  );
  return {
    objects: decoded.objects,
    errors: [
      ...parsed.errors,
      ...(options.strict ? parsed.duplicateFields : []),
      ...decoded.errors,
    ],
    warnings: [...(options.strict ? [] : parsed.duplicateFields), ...decoded.warnings],
  };
}

interface ParsedYaml {
  readonly documents: readonly { readonly value: unknown; readonly documentIndex: number }[];
  readonly errors: readonly LoadError[];
  /** `duplicate field "spec.replicas"`: kubectl's warning, an error when strict. */
  readonly duplicateFields: readonly LoadError[];
}

function parseYaml(text: string, file: string): ParsedYaml {
  const documents: { value: unknown; documentIndex: number }[] = [];
  const errors: LoadError[] = [];
  const duplicateFields: LoadError[] = [];
  let syntaxErrors = 0;
  // Keys given twice are reported below, as kubectl does, rather than failing the document.
  parseAllDocuments(text, { uniqueKeys: false }).forEach((document, documentIndex) => {
    if (document.errors.length > 0) {
      for (const error of document.errors) {
        syntaxErrors++;
        if (syntaxErrors > maxSyntaxErrorsPerFile) continue;
        const line = error.linePos?.[0]?.line;
        errors.push({
          file,
          documentIndex,
          message: `${line ? `line ${line}: ` : ""}${cut(error.message.split("\n")[0] ?? "")}`,
        });
      }
      return;
    }
    const value = document.toJS();
    if (value === null || value === undefined) return;
    documents.push({ value, documentIndex });
    const identity = isList(value) ? {} : identify(value);
    for (const path of duplicateFieldPaths(document.contents))
      duplicateFields.push({
        file,
        documentIndex,
        ...identity,
        message: `duplicate field "${path}"`,
      });
  });
  if (syntaxErrors > maxSyntaxErrorsPerFile)
    errors.push({
      file,
      message: `${syntaxErrors - maxSyntaxErrorsPerFile} more YAML syntax errors not shown`,
    });
  return { documents, errors, duplicateFields };
}

function cut(message: string): string {
  return message.length > maxQuotedLength ? `${message.slice(0, maxQuotedLength)}…` : message;
}

/**
 * JSON is YAML, but the YAML parser is an order of magnitude slower on large JSON (a 5 000-pod
 * snapshot: 1 s against 50 ms): text that looks like JSON and parses as JSON takes the fast path.
 * Anything else, including broken JSON, goes to the YAML parser, whose errors carry line numbers.
 */
function parseJson(text: string): unknown {
  const first = text.trimStart()[0];
  if (first !== "{" && first !== "[") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Validates already-parsed objects, applying defaults; the library's `plan(objects)` uses it. */
export function decodeObjects(
  items: readonly {
    readonly object: unknown;
    readonly documentIndex: number;
    readonly listIndex?: number;
  }[],
  file: string,
  options: Pick<LoadOptions, "strict"> = {},
): LoadResult {
  const objects: LoadedObject[] = [];
  const errors: LoadError[] = [];
  const warnings: LoadError[] = [];
  for (const { object, documentIndex, listIndex } of items) {
    const identity = identify(object);
    const source = { file, documentIndex, ...(listIndex !== undefined && { listIndex }) };
    // An item of a List without a kind is found by its index.
    const at = (path: string) =>
      listIndex === undefined || identity.kind !== undefined
        ? path
        : `items[${listIndex}]${path ? `.${path}` : ""}`;
    const validation = validateObject(object);
    // kubectl's words: `unknown field "spec.foo"`, a warning unless validation is strict.
    for (const path of validation.unknownFields) {
      const unknown = { file, documentIndex, ...identity, message: `unknown field "${path}"` };
      (options.strict ? errors : warnings).push(unknown);
    }
    if (validation.ok) {
      objects.push({ object: withDefaults(validation.object), source });
      continue;
    }
    const target = validation.unknownKind ? warnings : errors;
    for (const error of validation.errors) {
      target.push({
        file,
        documentIndex,
        ...identity,
        path: at(error.path),
        message: error.message,
      });
    }
  }
  return { objects, errors, warnings };
}

/** `FILE: KIND/NAME: field.path: reason`, as the plan contract prints errors. */
export function formatLoadError(error: LoadError): string {
  const document =
    error.kind === undefined && error.documentIndex !== undefined
      ? `document ${error.documentIndex + 1}`
      : undefined;
  const object = error.kind !== undefined ? `${error.kind}/${error.name ?? "(unnamed)"}` : document;
  return [error.file, object, error.path || undefined, error.message]
    .filter((part) => part !== undefined)
    .join(": ");
}

function isList(value: unknown): value is { items: unknown[] } {
  return isRecord(value) && value.kind === "List" && Array.isArray(value.items);
}

function identify(object: unknown): { kind?: string; name?: string } {
  if (!isRecord(object)) return {};
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  return {
    ...(typeof object.kind === "string" && { kind: object.kind }),
    ...(typeof metadata.name === "string" && { name: metadata.name }),
  };
}

/** Defaults the API server or Karpenter would apply: pods live in "default"; NodePool defaults. */
function withDefaults(object: KnownObject): KnownObject {
  if (object.kind === "NodePool") return defaultNodePool(object as NodePool);
  if (NamespacedKinds.has(object.kind) && object.metadata.namespace === undefined) {
    return { ...object, metadata: { ...object.metadata, namespace: "default" } } as KnownObject;
  }
  return object;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
