#!/usr/bin/env node
// Runs every *.test.ts under src/, test/, scripts/ and bench/ with Node's test runner through tsx.
// Node 20's runner does not expand globs, so the files are listed here. Arguments narrow the run to
// test files whose path contains one of them: `npm test -- src/scheduling`.
//
// Some tests check carpool's output with programs from Debian (test/external-tools.ts). The README
// promises `npm install && npm test` is all the set-up, so missing ones are installed first when
// that can be done here (root, apt-get; CARPOOL_TEST_INSTALL=off says not to); otherwise their
// tests report themselves skipped with the command that enables them. In CI .ci/run installs them.
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
// Node 24 (node_modules/.bin/node, which `npm test` runs) loads the .ts; an older node cannot.
const tools = await import("../test/external-tools.ts").catch(() => undefined);
if (tools === undefined)
  console.error(
    `run-tests: Node ${process.version} cannot load test/external-tools.ts; use npm test`,
  );
else provideExternalTools(tools);
const result = spawnSync("tsx", ["--test", ...flags, ...files], { stdio: "inherit", shell: false });
process.exit(result.status ?? 1);

/** Installs the missing tools where it can, and says which tests will skip where it cannot. */
function provideExternalTools({ findOnPath, installCommand, missingTools }) {
  let missing = missingTools();
  if (missing.length === 0 || process.env.CI === "true") return;
  const command = installCommand(missing, { noUpgrade: true });
  const why = installBlocker(findOnPath);
  if (why === undefined) {
    console.error(`run-tests: installing what some tests need: ${command}`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const run = spawnSync("sh", ["-c", command], { stdio: ["ignore", "inherit", "inherit"], env });
    if (run.status !== 0) console.error(`run-tests: the install failed (exit ${run.status})`);
    missing = missingTools();
    if (missing.length === 0) return;
  }
  console.error(
    `run-tests: ${missing.map((t) => `${t.name} (${t.usedBy})`).join(", ")} not found${why ? ` and ${why}` : ""}: ` +
      `their tests are reported as skipped. To run them: ${installCommand(missing)}`,
  );
}

/** Why the tools cannot be installed here, or undefined when they can. */
function installBlocker(findOnPath) {
  if (process.env.CARPOOL_TEST_INSTALL === "off") return "CARPOOL_TEST_INSTALL=off";
  if (process.platform !== "linux" || findOnPath("apt-get") === undefined)
    return "this machine has no apt-get";
  if (process.getuid?.() !== 0) return "installing needs root";
  return undefined;
}
