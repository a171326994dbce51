import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import type { LoadError } from "./load.ts";

/** One input file's text, named as the user gave it ("-" for standard input). */
export interface ManifestFile {
  readonly name: string;
  readonly text: string;
}

export interface ReadFiles {
  readonly files: readonly ManifestFile[];
  readonly errors: readonly LoadError[];
  /** Subdirectories holding manifests that were not read (no `-R`). */
  readonly notes: readonly LoadError[];
}

/** The extensions kubectl recognises in a directory (`recognized file extensions`). */
export const manifestExtensions = [".yaml", ".yml", ".json"] as const;

/**
 * The largest input file carpool reads: a snapshot of several thousand pods is a few MiB, and the
 * API server itself refuses request bodies above 3 MiB per object; 16 MiB leaves room while
 * keeping a mistaken `-f` (a log, an image) from taking minutes and gigabytes.
 */
export const maxManifestBytes = 16 * 1024 * 1024;

/**
 * The text of every manifest file in `paths`: files as given, directories' .yaml/.yml/.json files
 * sorted by name (subdirectories only with `recursive`, as `kubectl -R`), "-" as standard input.
 * Unreadable, oversized and binary files are errors naming the file; nothing throws.
 */
export function readManifestFiles(
  paths: readonly string[],
  options: { readonly recursive?: boolean; readonly readStdin?: () => string | Uint8Array } = {},
): ReadFiles {
  const files: ManifestFile[] = [];
  const errors: LoadError[] = [];
  const notes: LoadError[] = [];
  const readStdin = options.readStdin ?? (() => readBounded(0));
  for (const path of paths) {
    if (path === "-") {
      const text = decodeManifest(readStdin(), "-");
      if (typeof text === "string") files.push({ name: "-", text });
      else errors.push(text);
      continue;
    }
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      errors.push({ file: path, message: "no such file or directory" });
      continue;
    }
    const found = isDirectory ? directoryFiles(path, options.recursive ?? false) : undefined;
    if (found !== undefined) {
      for (const skipped of found.skipped)
        notes.push({
          file: skipped,
          message: "subdirectory not read; -R (--recursive) reads subdirectories",
        });
      if (found.files.length === 0)
        errors.push({
          file: path,
          message: `no manifest files in this directory (recognized file extensions are ${manifestExtensions.join(", ")})`,
        });
    }
    for (const file of found?.files ?? [path]) {
      const text = readManifest(file);
      if (typeof text === "string") files.push({ name: file, text });
      else errors.push(text);
    }
  }
  return { files, errors, notes };
}

function directoryFiles(
  directory: string,
  recursive: boolean,
): { files: string[]; skipped: string[] } {
  const files: string[] = [];
  const skipped: string[] = [];
  const entries = readdirSync(directory, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      const inner = directoryFiles(path, true);
      // Only a subdirectory that -R would read from is worth a note.
      if (!recursive) {
        if (inner.files.length > 0) skipped.push(path);
        continue;
      }
      files.push(...inner.files);
    } else if (manifestExtensions.some((extension) => entry.name.endsWith(extension))) {
      files.push(path);
    }
  }
  return { files, skipped };
}

function readManifest(file: string): string | LoadError {
  try {
    const stats = statSync(file);
    if (stats.size > maxManifestBytes) return tooLarge(file, stats.size);
    if (stats.isFile()) return decodeManifest(readFileSync(file), file);
    // A pipe (`-f <(kubectl get …)`) or a device has no size to check first: read up to the limit.
    const fd = openSync(file, "r");
    try {
      return decodeManifest(readBounded(fd), file);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return { file, message: `cannot read: ${(error as Error).message}` };
  }
}

/**
 * Reads `fd` to its end, or to one byte past the size limit (which decodeManifest then refuses),
 * so an endless source such as /dev/zero cannot hang the run or fill memory.
 */
export function readBounded(fd: number): Uint8Array {
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.alloc(1024 * 1024);
  while (total <= maxManifestBytes) {
    let read: number;
    try {
      read = readSync(fd, chunk, 0, chunk.length, null);
    } catch (error) {
      // A non-blocking standard input has nothing yet: wait a little, as readFileSync(0) would not.
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
      continue;
    }
    if (read === 0) break;
    chunks.push(Buffer.from(chunk.subarray(0, read)));
    total += read;
  }
  return Buffer.concat(chunks);
}

/** Manifests are UTF-8 text (YAML 1.2, RFC 8259): anything else is refused before parsing. */
function decodeManifest(content: string | Uint8Array, file: string): string | LoadError {
  if (typeof content === "string") {
    if (content.length > maxManifestBytes) return tooLarge(file, content.length);
    return content.includes("\u0000") ? binary(file) : content;
  }
  if (content.byteLength > maxManifestBytes) return tooLarge(file, content.byteLength);
  if (content.byteLength === 0) return "";
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(content);
  } catch {
    return binary(file);
  }
  return text.includes("\u0000") ? binary(file) : text;
}

function tooLarge(file: string, bytes: number): LoadError {
  // A pipe or device is read only one byte past the limit, so its size is "more than".
  const limit = maxManifestBytes / 1024 / 1024;
  return {
    file,
    message: `larger than ${limit} MiB (${(bytes / 1024 / 1024).toFixed(1)} MiB or more), the most carpool reads from one manifest file or standard input`,
  };
}

function binary(file: string): LoadError {
  return {
    file,
    message: "not a text file (binary or not UTF-8); manifests are YAML or JSON text",
  };
}
