// The rendered documents against the checkers of their formats: Debian's cloud-init validates a
// cloud-config against cloud-init's own schema, ShellCheck lints the scripts. With a tool missing,
// each case is skipped naming the apt-get command that installs it — except in CI, where it fails.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { BootstrapInput, UserData } from "../../ports/bootstrap.ts";
import { k3sBootstrap } from "./k3s-bootstrap.ts";
import type { K3sSettings } from "./settings.ts";
import {
  airGappedSettings,
  airGappedUnitSettings,
  exampleInput,
  exampleSettings,
  findOnPath,
  missingTool,
  readCloudConfig,
  skipWithoutTool,
} from "./testing.ts";

const bare: BootstrapInput = { nodeName: "n1", labels: {}, taints: [] };
const variants: [string, K3sSettings, BootstrapInput][] = [
  ["the example claim", exampleSettings, exampleInput],
  ["a bare claim, unpinned", { ...exampleSettings, version: undefined }, bare],
  ["air-gapped, with the install script", airGappedSettings, exampleInput],
  ["air-gapped, with the binary only", airGappedUnitSettings, exampleInput],
  [
    "a local install script",
    { ...exampleSettings, installScriptPath: "/opt/k3s/install.sh" },
    bare,
  ],
  [
    "a custom install script URL",
    { ...exampleSettings, installScriptURL: "https://mirror.example/k3s/install.sh?ref=v1&x='y'" },
    exampleInput,
  ],
];

function render(format: UserData["format"]): [string, string][] {
  return variants.map(([name, settings, input]) => [
    name,
    k3sBootstrap({ ...settings, format }).userData(input).content,
  ]);
}

const dir = mkdtempSync(join(tmpdir(), "carpool-bootstrap-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
function writeTemp(content: string): string {
  const path = join(dir, `doc-${files++}`);
  writeFileSync(path, content);
  return path;
}

// The Debian packages are named after their tools.
function run(tool: string, args: string[]) {
  const path = findOnPath(tool);
  assert.ok(path, missingTool(tool, tool));
  return spawnSync(path, args, { encoding: "utf8" });
}

// cloud-init 22.4.2 (Debian bookworm): `schema --config-file F` exits 0 when valid, 1 when not;
// only a document that begins with #cloud-config is checked. (--annotate is not used: it crashes
// on invalid documents in this release.)
describe("cloud-init schema", () => {
  const skip = skipWithoutTool("cloud-init", "cloud-init");
  const schema = (content: string) =>
    run("cloud-init", ["schema", "--config-file", writeTemp(content)]);

  for (const [name, content] of render("cloud-config")) {
    it(`${name}: a valid cloud-config`, { skip }, () => {
      const result = schema(content);
      assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
      assert.match(result.stdout, /Valid cloud-config/);
    });
  }
  it("checks for real: the same document with a bad permissions type is refused", { skip }, () => {
    const [, content] = render("cloud-config")[0]!;
    const broken = content.replace('permissions: "0600"', "permissions: 600");
    assert.notEqual(broken, content);
    const result = schema(broken);
    assert.equal(result.status, 1, `${result.stdout}${result.stderr}`);
    assert.match(result.stderr, /permissions: 600 is not of type 'string'/);
  });
});

describe("shellcheck", () => {
  const skip = skipWithoutTool("shellcheck", "shellcheck");
  const lint = (script: string) =>
    run("shellcheck", ["--shell=sh", "--severity=style", writeTemp(script)]);

  for (const [name, content] of render("shell")) {
    it(`${name}: the shell script is clean`, { skip }, () => {
      const result = lint(content);
      assert.equal(result.status, 0, result.stdout);
    });
  }
  for (const [name, content] of render("cloud-config")) {
    it(`${name}: the cloud-config's runcmd script is clean`, { skip }, () => {
      const result = lint(`#!/bin/sh\n${readCloudConfig(content).runScript}`);
      assert.equal(result.status, 0, result.stdout);
    });
  }
  it("checks for real: an unquoted expansion is reported", { skip }, () => {
    const result = lint("#!/bin/sh\nrm -f $installer\n");
    assert.equal(result.status, 1);
    assert.match(result.stdout, /SC2086/);
  });
});
