import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";

/** The offline commands read manifests as kubectl does; input errors exit 2 (the plan contract). */
function carpool(args: string[], input?: string) {
  return spawnSync(process.execPath, ["bin/carpool.mjs", ...args], {
    encoding: "utf8",
    input: input ?? "",
    maxBuffer: 64 * 1024 * 1024,
  });
}

function files(contents: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), "carpool-input-"));
  for (const [name, text] of Object.entries(contents)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const nodePool = (templateSpec = "") =>
  `apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: {name: default}\nspec:\n  template:\n    spec:\n      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}\n      requirements: []\n${templateSpec}`;
const pod = (name: string, spec = "") =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${JSON.stringify(name)}}\nspec: {containers: [{name: c, image: busybox, resources: {requests: {cpu: 100m}}}]${spec}}\n`;

describe("unknown fields (kubectl strict field validation, KEP-2885)", () => {
  const typo = `${nodePool("      taint: [{key: a, effect: NoSchedule}]\n")}---\n${pod("web", ", nodeSelectr: {a: b}")}`;
  it("are warnings by default, named by path as kubectl names them, and the plan still runs", () => {
    const dir = files({ "in.yaml": typo });
    const result = carpool(["plan", "-f", dir]);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(result.stderr.trim().split("\n"), [
      `warning: ${join(dir, "in.yaml")}: NodePool/default: unknown field "spec.template.spec.taint"`,
      `warning: ${join(dir, "in.yaml")}: Pod/web: unknown field "spec.nodeSelectr"`,
    ]);
  });
  for (const command of ["plan", "disrupt"]) {
    it(`are errors with --strict (kubectl --validate=strict): ${command} exits 2`, () => {
      const dir = files({ "in.yaml": typo });
      const result = carpool([command, "-f", dir, "--strict"]);
      assert.equal(result.status, 2);
      assert.match(result.stderr, /NodePool\/default: unknown field "spec\.template\.spec\.taint"/);
      assert.equal(result.stdout, "");
    });
  }
  it("explain takes --strict too", () => {
    const result = carpool(["explain", "web", "-f", files({ "in.yaml": typo }), "--strict"]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /unknown field "spec\.nodeSelectr"/);
  });
  it("simulate -f takes --strict too", () => {
    const result = carpool(["simulate", "-f", files({ "in.yaml": typo }), "--strict"]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /unknown field "spec\.nodeSelectr"/);
  });
});

describe("every error in one run", () => {
  it("names, structure, kind rules and values of every object are reported together", () => {
    const dir = files({
      "in.yaml": [
        pod("Web_1"),
        `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  replicas: -1\n  template: {spec: {containers: [{name: c, image: x, resources: {requests: {cpu: "2"}, limits: {cpu: "1"}}}], tolerations: [{key: a, operator: Exists, value: b}]}}\n`,
      ].join("---\n"),
    });
    const result = carpool(["plan", "-f", dir]);
    assert.equal(result.status, 2);
    const lines = result.stderr.trim().split("\n");
    assert.deepEqual(
      lines.map((line) => line.split(": ").slice(1, 3).join(": ")),
      [
        "Pod/Web_1: metadata.name",
        "Deployment/api: spec.replicas",
        "Deployment/api: spec.template.spec.tolerations[0].value",
        "Deployment/api: spec.template.spec.containers[0].resources.requests.cpu",
      ],
    );
    assert.match(lines[0] ?? "", /Invalid value: "Web_1": a lowercase RFC 1123 subdomain/);
    assert.match(
      lines[3] ?? "",
      /Invalid value: "2": must be less than or equal to cpu limit of 1/,
    );
  });
  it("an unparseable label selector is an error with its path (ValidateLabelSelector)", () => {
    const pdb =
      "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: pdb}\nspec:\n  minAvailable: 1\n  selector: {matchExpressions: [{key: app, operator: NotIn}]}\n";
    const result = carpool(["plan", "-f", files({ "pdb.yaml": `${nodePool()}---\n${pdb}` })]);
    assert.equal(result.status, 2);
    assert.match(
      result.stderr,
      /PodDisruptionBudget\/pdb: spec\.selector\.matchExpressions\[0\]\.values: Required value: must be specified when `operator` is 'In' or 'NotIn'/,
    );
  });
});

describe("the same object twice (kind, namespace, name)", () => {
  it("in two files is an error naming both", () => {
    const dir = files({ "a.yaml": pod("web"), "b.yaml": pod("web") });
    const result = carpool(["plan", "-f", dir]);
    assert.equal(result.status, 2);
    assert.equal(
      result.stderr.trim(),
      `${join(dir, "b.yaml")}: Pod/web: Pod default/web is defined twice: in document 1 here and in ${join(dir, "a.yaml")} (document 1)`,
    );
  });
});

describe("no manifests (kubectl: no objects passed to apply)", () => {
  it("an empty file is an error with a hint, not 0 pending pods", () => {
    const dir = files({ "empty.yaml": "" });
    const result = carpool(["plan", "-f", join(dir, "empty.yaml")]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /empty\.yaml: no objects found .*-f - for standard input/);
    assert.equal(result.stdout, "");
  });
  it("a directory without .yaml, .yml or .json files is an error", () => {
    const result = carpool(["plan", "-f", files({ "README.md": "# x" })]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /no manifest files in this directory \(recognized file extensions/);
  });
  it("subdirectories are read with -R (kubectl -R), else a note names them", () => {
    const dir = files({ "pools/default.yaml": nodePool(), "apps/web.yaml": pod("web") });
    const flat = carpool(["plan", "-f", dir]);
    assert.equal(flat.status, 2, "the top directory holds no manifest");
    assert.match(flat.stderr, /note: .*apps: subdirectory not read; -R \(--recursive\)/);
    const deep = carpool(["plan", "-f", dir, "-R"]);
    assert.equal(deep.status, 0, deep.stderr);
    assert.equal(deep.stderr, "");
    assert.match(deep.stdout, /1 pending pod\b/);
  });
  it("-f - reads standard input", () => {
    const result = carpool(["plan", "-f", "-"], `${nodePool()}---\n${pod("web")}`);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /1 pending pod\b/);
  });
});

describe("huge, binary and hostile input", () => {
  it("a binary file is refused, naming it, with a short message", () => {
    const noise = new Uint8Array(200_000).map((_, i) => (i * 7919 + 13) % 256);
    const dir = files({ "noise.yaml": noise });
    const result = carpool(["plan", "-f", dir]);
    assert.equal(result.status, 2);
    assert.equal(
      result.stderr,
      `${join(dir, "noise.yaml")}: not a text file (binary or not UTF-8); manifests are YAML or JSON text\n`,
    );
  });
  it("a file above 16 MiB is refused before it is parsed", () => {
    const dir = files({ "big.yaml": `# ${"x".repeat(17 * 1024 * 1024)}\n` });
    const result = carpool(["plan", "-f", dir]);
    assert.equal(result.status, 2);
    assert.match(
      result.stderr,
      /big\.yaml: larger than 16 MiB \(17\.0 MiB or more\), the most carpool reads from one manifest file/,
    );
  });
  it("an endless device is read only to the limit, not forever", () => {
    const result = carpool(["plan", "-f", "/dev/zero"]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^\/dev\/zero: larger than 16 MiB/);
  });
  it("standard input above the limit is refused too", () => {
    const result = carpool(["plan", "-f", "-"], "#".repeat(17 * 1024 * 1024));
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^-: larger than 16 MiB/);
  });
  it("a pipe (-f <(command)) is read like a file", () => {
    const result = spawnSync(
      "bash",
      ["-c", `"${process.execPath}" bin/carpool.mjs plan -f <(printf '%s' "$POD")`],
      {
        encoding: "utf8",
        env: { ...process.env, POD: pod("web") },
      },
    );
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /1 pending pod\b/);
  });
  it("a garbled text file prints a bounded number of short lines", () => {
    const garbled = Array.from(
      { length: 2000 },
      (_, i) => `k${i}: [${"y".repeat(3000)}\n: : :`,
    ).join("\n");
    const result = carpool(["plan", "-f", files({ "g.yaml": garbled })]);
    assert.equal(result.status, 2);
    assert.ok(result.stderr.length < 5000, `${result.stderr.length} characters on stderr`);
  });
  it("control characters in a name reach the terminal escaped (ECMA-48 CSI, BEL)", () => {
    const result = carpool(["plan", "-f", "-"], pod("x\u001b[2J\u0007"));
    assert.equal(result.status, 2);
    const controls = [...result.stderr].filter((c) => c.charCodeAt(0) < 0x20 && c !== "\n");
    assert.deepEqual(controls, [], JSON.stringify(result.stderr));
    assert.match(result.stderr, /Pod\/x\\x1b\[2J\\x07: metadata\.name: Invalid value/);
  });
  it("a 1,000,000-replica Deployment is refused at once, naming the field and the limit", () => {
    const huge = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: huge}\nspec:\n  replicas: 1000000\n  template: {spec: {containers: [{name: c, image: x}]}}\n`;
    const started = Date.now();
    const result = carpool(["plan", "-f", "-"], `${nodePool()}---\n${huge}`);
    assert.equal(result.status, 2);
    assert.equal(
      result.stderr,
      "-: Deployment/huge: spec.replicas: 1000000 is above the limit of 20000 pods one carpool run plans for\n",
    );
    assert.ok(Date.now() - started < 10_000, "refused without planning");
  });
});

describe("the examples load cleanly", () => {
  for (const example of ["eks", "k3s", "kwok", "disruption", "k3s-edge"]) {
    it(`examples/${example}: no warning`, () => {
      const result = carpool(["plan", "-f", `examples/${example}`]);
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stderr, "");
    });
  }
});

describe("no -f at all", () => {
  it("YAML piped without -f - is an error with the hint to pass -f - (kubectl reads stdin only for -f -)", () => {
    const result = carpool(["plan"], pod("web"));
    assert.equal(result.status, 2);
    assert.match(result.stderr, /required option '-f, --filename <path>' not specified/);
    assert.match(result.stderr, /hint: standard input is not read unless asked: pass -f - /);
  });
});
