#!/usr/bin/env node
// Runs every *.test.ts under src/, test/, scripts/ and bench/ with Node's test runner through tsx.
// Node 20's runner does not expand globs, so the files are listed here. Arguments narrow the run to
// test files whose path contains one of them: `npm test -- src/scheduling`.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const roots = ["src", "test", "scripts", "bench"].filter((root) => existsSync(root));
const filters = process.argv.slice(2).filter((arg) => !arg.startsWith("-"));
const flags = process.argv.slice(2).filter((arg) => arg.startsWith("-"));
const files = roots
  .flatMap((root) =>
    readdirSync(root, { recursive: true, encoding: "utf8" }).map((path) => join(root, path)),
  )
  .filter((path) => path.endsWith(".test.ts"))
  .filter((path) => filters.length === 0 || filters.some((filter) => path.includes(filter)))
  .sort();

if (files.length === 0) {
  console.error("no test files found");
  process.exit(1);
}
const result = spawnSync("tsx", ["--test", ...flags, ...files], { stdio: "inherit", shell: false });
process.exit(result.status ?? 1);
