#!/usr/bin/env node
// Runs Biome from its platform package. The `@biomejs/biome` wrapper package cannot be locked
// here (the registry mirror lacks its non-Linux platform packages, so `npm ci` rejects the lock),
// so the project depends on the Linux binaries directly, as optional dependencies.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const candidates = [`@biomejs/cli-${process.platform}-${process.arch}`];
let binary;
for (const name of candidates) {
  try {
    const path = join(dirname(require.resolve(`${name}/package.json`)), "biome");
    if (existsSync(path)) binary = path;
  } catch {}
}
if (binary === undefined) {
  console.error(
    `no Biome binary for ${process.platform}-${process.arch}: install one of ${candidates.join(", ")}`,
  );
  process.exit(1);
}
const result = spawnSync(binary, process.argv.slice(2), { stdio: "inherit" });
process.exit(result.status ?? 1);
