import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

/**
 * A file shipped with carpool (the AWS catalog data, the bundled examples), by its path in the
 * package. Found from the package root, so it resolves the same from the TypeScript sources and
 * from the compiled bundle in `dist/`.
 */
export function packageFile(relative: string): string {
  root ??= findRoot(dirname(fileURLToPath(import.meta.url)));
  return join(root, relative);
}

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "carpool"
    )
      return dir;
    if (dirname(dir) === dir) throw new Error(`carpool's package.json not found above ${start}`);
  }
}
