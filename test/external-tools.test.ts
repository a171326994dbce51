// How tests ask for Debian's tools, and what the runner installs or reports (issue 11: never a
// failure for a missing tool outside CI, never a silent pass). PATHs here are made up, so each
// row sees exactly the tools it names, whatever this machine has.
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  externalTools,
  findOnPath,
  installCommand,
  missingTools,
  skipWithoutTool,
} from "./external-tools.ts";

const bin = mkdtempSync(join(tmpdir(), "carpool-tools-"));
after(() => rmSync(bin, { recursive: true, force: true }));
for (const name of ["shellcheck", "jq"]) {
  writeFileSync(join(bin, name), "#!/bin/sh\nexit 0\n");
  chmodSync(join(bin, name), 0o755);
}
writeFileSync(join(bin, "cloud-init"), "not executable\n");
const empty = mkdtempSync(join(tmpdir(), "carpool-no-tools-"));
after(() => rmSync(empty, { recursive: true, force: true }));

const byName = (name: string) => externalTools.filter((t) => t.name === name);

describe("external tools", () => {
  const rows: { name: string; tool: string; env: NodeJS.ProcessEnv; want: string | false }[] = [
    {
      name: "present on PATH: the test runs",
      tool: "shellcheck",
      env: { PATH: bin },
      want: false,
    },
    {
      name: "missing outside CI: skipped, naming the command that enables it",
      tool: "chromium",
      env: { PATH: empty },
      want: "chromium not found: apt-get update && apt-get install -y chromium (npm test does it when run as root)",
    },
    {
      name: "a file that is not executable does not count (a shell's PATH lookup needs the x bit)",
      tool: "cloud-init",
      env: { PATH: bin },
      want: "cloud-init not found: apt-get update && apt-get install -y --no-install-recommends cloud-init (npm test does it when run as root)",
    },
    {
      name: "missing in CI: not skipped, so the test fails (.ci/run installs it)",
      tool: "chromium",
      env: { PATH: empty, CI: "true" },
      want: false,
    },
    {
      name: "python3 must be on PATH to be present (tomllib, venv)",
      tool: "python3",
      env: { PATH: empty },
      want: "python3 not found: apt-get update && apt-get install -y --no-install-recommends python3 python3-venv (npm test does it when run as root)",
    },
  ];
  for (const row of rows)
    it(row.name, () => assert.equal(skipWithoutTool(row.tool, row.env), row.want));

  it("an unknown tool is a mistake in the test, not a skip", () => {
    assert.throws(() => skipWithoutTool("nonesuch", { PATH: bin }), /no external tool nonesuch/);
  });

  it("missingTools lists every tool not on PATH; the install command keeps chromium's recommends", () => {
    const missing = missingTools({ PATH: bin });
    assert.deepEqual(
      missing.map((t) => t.name),
      ["chromium", "cloud-init", "openssl", "curl", "zsh", "fish", "python3"],
    );
    assert.equal(
      installCommand(missing),
      "apt-get update && apt-get install -y --no-install-recommends cloud-init openssl curl zsh fish python3 python3-venv && apt-get install -y chromium",
    );
    assert.equal(
      installCommand([...byName("jq")]),
      "apt-get update && apt-get install -y --no-install-recommends jq",
    );
    assert.equal(
      installCommand([...byName("jq"), ...byName("chromium")], { noUpgrade: true }),
      "apt-get update && apt-get install -y --no-upgrade --no-install-recommends jq && apt-get install -y --no-upgrade chromium",
      "the runner installs what is missing and upgrades nothing",
    );
  });

  it("findOnPath takes the first directory that has it, skipping empty entries", () => {
    assert.equal(findOnPath("jq", { PATH: `:${empty}:${bin}` }), join(bin, "jq"));
    assert.equal(findOnPath("jq", { PATH: empty }), undefined);
  });
});
