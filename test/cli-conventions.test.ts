import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { examplesOf } from "../src/cli/help-examples.ts";
import { skipWithoutTool } from "./external-tools.ts";

const cli = join(process.cwd(), "bin", "carpool.mjs");

function carpool(args: string[], env: Record<string, string> = {}) {
  // No FORCE_COLOR or NO_COLOR from the test's own environment unless a case sets one.
  const { FORCE_COLOR: _f, NO_COLOR: _n, ...base } = process.env;
  return spawnSync(process.execPath, [cli, ...args], {
    encoding: "utf8",
    env: { ...base, ...env },
  });
}

function bash(script: string) {
  return spawnSync("bash", ["-c", script], { encoding: "utf8" });
}

const hasCommand = (name: string) => spawnSync("sh", ["-c", `command -v ${name}`]).status === 0;

// A reader that goes away closes the pipe; like `seq 1e6 | head -1`, the writer ends with
// SIGPIPE's status (128 + 13) and says nothing.
describe("a closed output pipe ends quietly", () => {
  const cases: [string, string][] = [
    ["the catalog table, cut after one line", "catalog | head -1"],
    ["the catalog as JSON (a large single write)", "catalog -o json | head -c 100"],
    ["a reader that reads nothing", "catalog -o yaml | true"],
    ["a plan as JSON", "plan -f examples/eks -o json | head -1"],
  ];
  for (const [rule, pipeline] of cases) {
    it(rule, () => {
      const dir = mkdtempSync(join(tmpdir(), "carpool-pipe-"));
      const err = join(dir, "stderr");
      const [args, reader] = pipeline.split(" | ");
      const result = bash(
        `"${process.execPath}" "${cli}" ${args} 2>"${err}" | ${reader} >/dev/null; echo "\${PIPESTATUS[0]}"`,
      );
      assert.equal(readFileSync(err, "utf8"), "", "nothing on standard error");
      assert.match(result.stdout.trim(), /^(0|141)$/, "0 if all was written first, else 141");
    });
  }
});

// Usage errors are input errors: exit 2 with commander's message, as invalid manifests do.
describe("usage errors exit 2 with commander's message", () => {
  const rows: [string, string[], RegExp][] = [
    ["an unknown option", ["plan", "-f", "examples/eks", "--bogus"], /unknown option '--bogus'/],
    ["an unknown command", ["plna"], /unknown command 'plna'/],
    ["a missing argument", ["explain", "-f", "examples/eks"], /missing required argument 'pod'/],
    // Without -f there is no snapshot: an error naming -f, never an empty cluster that fits.
    ["no -f at all", ["plan"], /^error: .*-f/],
    [
      "an -o value outside the choices",
      ["plan", "-f", "examples/eks", "-o", "xml"],
      /argument 'xml' is invalid. Allowed choices are table, json, yaml, wide, name/,
    ],
    [
      "a completion for an unknown shell",
      ["completion", "tcsh"],
      /value 'tcsh' is invalid for argument 'shell'/,
    ],
  ];
  for (const [rule, args, message] of rows) {
    it(rule, () => {
      const result = carpool(args);
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, "");
    });
  }
});

describe("help", () => {
  it("bare carpool prints help to standard output and exits 0", () => {
    const result = carpool([]);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^Usage: carpool /);
    assert.match(result.stdout, /Exit status:\n {2}0 /);
    assert.equal(result.stderr, "");
  });
  it("--help and --version exit 0", () => {
    assert.equal(carpool(["--help"]).status, 0);
    const version = carpool(["--version"]);
    assert.equal(version.status, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  });
  for (const command of ["plan", "explain", "disrupt", "simulate", "catalog", "controller"]) {
    it(`${command} --help shows examples of ${command}`, () => {
      const result = carpool([command, "--help"]);
      assert.equal(result.status, 0);
      assert.match(result.stdout, new RegExp(`\\nExamples:\\n {2}\\$ carpool ${command}`));
    });
  }
  // An example that does not run teaches the wrong thing.
  for (const command of ["plan", "explain", "disrupt", "catalog"]) {
    for (const example of examplesOf(command).filter((line) => /^carpool \S/.test(line))) {
      if (example.includes("|")) continue;
      it(`the example runs: ${example}`, () => {
        const result = carpool(example.split(/\s+/).slice(1));
        // 3 is plan --fail-unschedulable doing its job.
        assert.ok(result.status === 0 || result.status === 3, result.stderr);
        assert.notEqual(result.stdout, "");
      });
    }
  }
});

describe("plan --fail-unschedulable (a CI gate)", () => {
  it("exits 3 when a pod cannot be placed, still printing the plan", () => {
    const result = carpool(["plan", "-f", "examples/eks", "--fail-unschedulable"]);
    assert.equal(result.status, 3);
    assert.match(result.stdout, /UNSCHEDULABLE POD/);
    assert.equal(result.stderr, "1 pod cannot be scheduled (--fail-unschedulable)\n");
  });
  it("exits 0 when every pod has a place", () => {
    const result = carpool(["plan", "-f", "examples/k3s", "--fail-unschedulable", "-o", "json"]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).summary.unschedulable, 0);
  });
  it("without the flag, an unschedulable pod is still a plan (exit 0)", () => {
    assert.equal(carpool(["plan", "-f", "examples/eks", "-o", "name"]).status, 0);
  });
});

// kubectl get -o name prints one kind/name per line, the kind in lower case.
describe("-o name: one kind/name line per object", () => {
  it("plan: nodeclaim/NAME for each node it would launch, as in the JSON", () => {
    const names = carpool(["plan", "-f", "examples/eks", "-o", "name"]).stdout;
    const plan = JSON.parse(carpool(["plan", "-f", "examples/eks", "-o", "json"]).stdout);
    assert.equal(
      names,
      plan.nodeClaims.map((c: { name: string }) => `nodeclaim/${c.name}\n`).join(""),
    );
  });
  it("explain: the targets that can take the pod", () => {
    const result = carpool(["explain", "shop/web-0", "-f", "examples/eks", "-o", "name"]);
    assert.equal(result.stdout, "nodepool/general\n");
  });
  it("disrupt: node/NAME for each node disrupted, in command order", () => {
    const args = ["disrupt", "-f", "examples/disruption", "--now", "2026-11-25T20:00:00Z"];
    const plan = JSON.parse(carpool([...args, "-o", "json"]).stdout);
    const expected = plan.commands.flatMap((c: { nodes: string[] }) =>
      c.nodes.map((n) => `node/${n}\n`),
    );
    assert.ok(expected.length > 0);
    assert.equal(carpool([...args, "-o", "name"]).stdout, expected.join(""));
  });
  it("catalog: instancetype/NAME, by family then size", () => {
    const result = carpool(["catalog", "-l", "karpenter.k8s.aws/instance-family=t3", "-o", "name"]);
    assert.deepEqual(result.stdout.trim().split("\n"), [
      "instancetype/t3.nano",
      "instancetype/t3.micro",
      "instancetype/t3.small",
      "instancetype/t3.medium",
      "instancetype/t3.large",
      "instancetype/t3.xlarge",
      "instancetype/t3.2xlarge",
    ]);
  });
});

describe("-o wide: the table with more columns", () => {
  it("catalog adds architecture and capacity", () => {
    const wide = carpool(["catalog", "-l", "karpenter.k8s.aws/instance-family=m7g", "-o", "wide"]);
    assert.match(wide.stdout, /^NAME +CPU +MEMORY +PODS +GPU +ARCH +CPU CAPACITY +MEMORY CAPACITY/);
    assert.match(wide.stdout, /\nm7g\.large +1\.93 +\S+GiB +29 +- +arm64 +2 +/);
  });
  it("disrupt adds the pods moved and stranded", () => {
    const result = carpool([
      "disrupt",
      "-f",
      "examples/disruption",
      "--now",
      "2026-11-25T20:00:00Z",
      "-o",
      "wide",
    ]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /SAVINGS\/H +PODS MOVED +STRANDED +WHY/);
  });
  it("explain has no wide table: -o wide is a usage error there", () => {
    assert.equal(carpool(["explain", "shop/web-0", "-f", "examples/eks", "-o", "wide"]).status, 2);
  });
});

describe("quantities in tables read as people read them", () => {
  it("catalog: CPU in cores, memory in GiB, JSON exact", () => {
    const args = ["catalog", "-l", "node.kubernetes.io/instance-type=m7g.xlarge"];
    const table = carpool(args).stdout;
    assert.match(table, /\nm7g\.xlarge +3\.92 +13\.77GiB +58 /);
    const json = JSON.parse(carpool([...args, "-o", "json"]).stdout);
    assert.deepEqual(
      { cpu: json.items[0].allocatable.cpu, memory: json.items[0].allocatable.memory },
      { cpu: "3920m", memory: "14103Mi" },
    );
  });
});

// https://no-color.org and FORCE_COLOR as Node reads it; no colour for a pipe by default.
describe("colour", () => {
  const bold = "\x1b[1m";
  const plan = ["plan", "-f", "examples/eks"];
  it("a pipe gets no escape codes", () => {
    assert.ok(!carpool(plan).stdout.includes("\x1b["));
  });
  it("FORCE_COLOR colours the headers and the unschedulable count", () => {
    const out = carpool(plan, { FORCE_COLOR: "1" }).stdout;
    assert.ok(out.startsWith(`${bold}NEW NODE`));
    assert.ok(out.includes("\x1b[31m1 unschedulable\x1b[39m"));
  });
  it("NO_COLOR=1 wins over FORCE_COLOR", () => {
    assert.ok(!carpool(plan, { FORCE_COLOR: "1", NO_COLOR: "1" }).stdout.includes("\x1b["));
  });
  it("--no-color wins over FORCE_COLOR, before or after the command", () => {
    assert.ok(!carpool([...plan, "--no-color"], { FORCE_COLOR: "1" }).stdout.includes("\x1b["));
    assert.ok(!carpool(["--no-color", ...plan], { FORCE_COLOR: "1" }).stdout.includes("\x1b["));
  });
  it("a terminal gets colour, and NO_COLOR turns it off there", {
    skip: hasCommand("script") ? false : "needs script(1) for a pseudo-terminal",
  }, () => {
    const run = (env: string) =>
      bash(`${env} script -qec '"${process.execPath}" "${cli}" ${plan.join(" ")}' /dev/null`)
        .stdout;
    assert.ok(run("").includes(`${bold}NEW NODE`));
    assert.ok(!run("NO_COLOR=1").includes("\x1b[1m"));
  });
});

describe("carpool completion", () => {
  const script = (shell: string) => {
    const result = carpool(["completion", shell]);
    assert.equal(result.status, 0, result.stderr);
    const dir = mkdtempSync(join(tmpdir(), "carpool-completion-"));
    const file = join(dir, `carpool.${shell}`);
    writeFileSync(file, result.stdout);
    return file;
  };
  it("bash: the script parses (bash -n) and registers carpool", () => {
    const file = script("bash");
    assert.equal(bash(`bash -n "${file}"`).status, 0);
    const registered = bash(`source "${file}" && complete -p carpool`);
    assert.equal(registered.status, 0, registered.stderr);
    assert.match(registered.stdout, /-F _carpool_completion carpool$/m);
  });
  it("bash: completes commands, options and -o values from the program", () => {
    const file = script("bash");
    const complete = (...words: string[]) =>
      bash(
        `source "${file}"; COMP_WORDS=(carpool ${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length}; _carpool_completion; printf '%s\\n' "\${COMPREPLY[@]}"`,
      )
        .stdout.trim()
        .split("\n");
    assert.deepEqual(complete("pl"), ["plan"]);
    assert.deepEqual(complete("co"), ["controller", "completion"]);
    assert.ok(complete("plan", "--fa").includes("--fail-unschedulable"));
    assert.deepEqual(complete("plan", "-o", ""), ["table", "json", "yaml", "wide", "name"]);
    assert.deepEqual(complete("completion", ""), ["bash", "zsh", "fish"]);
    assert.ok(complete("controller", "--cloud-provider", "").includes("kwok"));
  });
  it("zsh: the script parses (zsh -n)", { skip: skipWithoutTool("zsh") }, () => {
    const file = script("zsh");
    const result = spawnSync("zsh", ["-n", file], { encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    assert.match(readFileSync(file, "utf8"), /^#compdef carpool\n/);
    const registered = spawnSync(
      "zsh",
      ["-c", `autoload -U compinit; compinit -u; source "${file}"; print -r -- $_comps[carpool]`],
      { encoding: "utf8" },
    );
    assert.equal(registered.stdout, "_carpool\n", registered.stderr);
  });
  it("fish: the script parses (fish -n)", { skip: skipWithoutTool("fish") }, () => {
    const file = script("fish");
    const result = spawnSync("fish", ["--no-execute", file], { encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    const complete = (line: string) =>
      spawnSync("fish", ["-c", `source "${file}"; complete -C "${line}"`], { encoding: "utf8" })
        .stdout.trim()
        .split("\n")
        .map((candidate) => candidate.split("\t")[0]);
    assert.deepEqual(complete("carpool pl"), ["plan"]);
    assert.deepEqual(complete("carpool plan -o "), ["json", "name", "table", "wide", "yaml"]);
    assert.deepEqual(complete("carpool completion "), ["bash", "fish", "zsh"]);
    assert.ok(complete("carpool plan --fa").includes("--fail-unschedulable"));
  });
});
