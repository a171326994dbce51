#!/usr/bin/env node
// Runs the carpool CLI from a checkout: the compiled bundle in dist/ when it is newer than every
// source file (`npm install` builds it), otherwise the TypeScript sources through tsx.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bundle = join(root, "dist", "cli", "main.js");
const stamp = join(root, "dist", "BUILT");

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts") || entry.name.endsWith(".json"))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const fresh =
  existsSync(bundle) &&
  existsSync(stamp) &&
  statSync(stamp).mtimeMs >= newestSource(join(root, "src"));
if (fresh) {
  await import(bundle);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli/main.ts");
}
