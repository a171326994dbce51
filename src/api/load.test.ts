import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { formatLoadError, loadManifests } from "./load.ts";
import { maxManifestBytes } from "./load-files.ts";
import { maxPlannedPods } from "./load-limits.ts";

const pod = (name: string, extra = "") =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec: {containers: [{name: c}]${extra}}\n`;

function directory(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), "carpool-load-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe("loadManifests", () => {
  it("reads a directory's manifest files sorted by name, skipping other files", () => {
    const dir = directory({
      "b.yaml": pod("b"),
      "a.yml": pod("a"),
      "c.json": JSON.stringify({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "c" },
        spec: { containers: [{ name: "c" }] },
      }),
      "notes.txt": "x",
    });
    const result = loadManifests([dir]);
    assert.deepEqual(
      result.objects.map((o) => o.object.metadata.name),
      ["a", "b", "c"],
    );
    assert.deepEqual(result.errors, []);
  });
  it("splits multi-document YAML and expands kind: List", () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n- ${JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "l1" }, spec: { containers: [{ name: "c" }] } })}\n`;
    const dir = directory({ "all.yaml": `${pod("one")}---\n${pod("two")}---\n${list}` });
    const result = loadManifests([dir]);
    assert.deepEqual(
      result.objects.map((o) => [o.object.metadata.name, o.source.documentIndex]),
      [
        ["one", 0],
        ["two", 1],
        ["l1", 2],
      ],
    );
  });
  it("reads standard input for -", () => {
    const result = loadManifests(["-"], { readStdin: () => pod("from-stdin") });
    assert.equal(result.objects[0]?.source.file, "-");
    assert.equal(
      result.objects[0]?.object.metadata.namespace,
      "default",
      "pods without a namespace are in default",
    );
  });
  it("one bad object does not stop the others, and its error names file, object and field", () => {
    const dir = directory({
      "mixed.yaml": `${pod("good")}---\n${pod("bad", ", tolerations: [{key: a, operator: Exists, value: b}]")}`,
    });
    const result = loadManifests([dir]);
    assert.deepEqual(
      result.objects.map((o) => o.object.metadata.name),
      ["good"],
    );
    assert.deepEqual(result.errors.map(formatLoadError), [
      `${join(dir, "mixed.yaml")}: Pod/bad: spec.tolerations[0].value: must be empty when operator is Exists`,
    ]);
  });
  it("a YAML syntax error names the file and line", () => {
    const dir = directory({ "broken.yaml": "apiVersion: v1\nkind: [Pod\n" });
    const [error] = loadManifests([dir]).errors;
    assert.match(formatLoadError(error as never), /broken\.yaml: document 1: line \d+: /);
  });
  it("an unknown kind is a warning and is ignored", () => {
    const dir = directory({ "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n" });
    const result = loadManifests([dir]);
    assert.equal(result.objects.length, 0);
    assert.equal(result.errors.length, 0);
    assert.equal(result.warnings.length, 1);
  });
  it("a missing path is an error naming it", () => {
    assert.deepEqual(loadManifests(["/nonexistent/x.yaml"]).errors.map(formatLoadError), [
      "/nonexistent/x.yaml: no such file or directory",
    ]);
  });
  it("NodePools get Karpenter's defaults", () => {
    const dir = directory({
      "np.yaml":
        "apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      nodeClassRef: {group: g, kind: k, name: n}\n      requirements: []\n",
    });
    const [loaded] = loadManifests([dir]).objects;
    assert.ok(loaded?.object.kind === "NodePool");
    assert.deepEqual(loaded.object.spec.disruption, {
      consolidationPolicy: "WhenEmptyOrUnderutilized",
      consolidateAfter: "0s",
      budgets: [{ nodes: "10%" }],
    });
    assert.equal(loaded.object.spec.template.spec.expireAfter, "720h");
  });
  it("an object without a name is an error (ValidateObjectMeta)", () => {
    const dir = directory({
      "p.yaml":
        "apiVersion: v1\nkind: Pod\nmetadata: {labels: {a: b}}\nspec: {containers: [{name: c}]}\n",
    });
    assert.deepEqual(loadManifests([dir]).errors.map(formatLoadError), [
      `${join(dir, "p.yaml")}: Pod/(unnamed): metadata.name: Required value: name is required`,
    ]);
  });
});

// kubectl apply -f DIR reads .json, .yaml and .yml files, subdirectories only with -R.
describe("loadManifests: files and directories as kubectl reads them", () => {
  it("subdirectories are read with recursive, else named in a note", () => {
    const dir = directory({ "a.yaml": pod("a"), "more/b.yaml": pod("b"), "scripts/x.sh": "" });
    const flat = loadManifests([dir]);
    assert.deepEqual(
      flat.objects.map((o) => o.object.metadata.name),
      ["a"],
    );
    assert.deepEqual(flat.notes?.map(formatLoadError), [
      `${join(dir, "more")}: subdirectory not read; -R (--recursive) reads subdirectories`,
    ]);
    const deep = loadManifests([dir], { recursive: true });
    assert.deepEqual(
      deep.objects.map((o) => o.object.metadata.name),
      ["a", "b"],
    );
    assert.deepEqual(deep.notes, []);
  });
  const noObjects = /no objects found/;
  it("an empty file is an error, not an empty cluster (kubectl: no objects passed to apply)", () => {
    const dir = directory({ "empty.yaml": "" });
    assert.match(
      formatLoadError(loadManifests([join(dir, "empty.yaml")]).errors[0] as never),
      noObjects,
    );
  });
  it("a file of comments and empty documents is an error too", () => {
    const dir = directory({ "c.yaml": "# nothing\n---\n---\n" });
    assert.match(formatLoadError(loadManifests([dir]).errors[0] as never), noObjects);
  });
  it("a directory without manifest files names the extensions (kubectl: recognized file extensions)", () => {
    const dir = directory({ "notes.txt": "x" });
    const errors = loadManifests([dir]).errors.map(formatLoadError);
    assert.match(
      errors[0] ?? "",
      /no manifest files in this directory \(recognized file extensions are \.yaml, \.yml, \.json\)/,
    );
  });
  it("only kinds carpool does not read: warnings, and not the no-objects error", () => {
    const result = loadManifests(["-"], {
      readStdin: () => "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n",
    });
    assert.deepEqual(result.errors, []);
    assert.equal(result.warnings.length, 1);
  });
  it("a kind carpool does not read still has its name checked (a Service name is a DNS label)", () => {
    const result = loadManifests(["-"], {
      readStdin: () => "apiVersion: v1\nkind: Service\nmetadata: {name: web.shop}\n",
    });
    assert.match(
      formatLoadError(result.errors[0] as never),
      /^-: Service\/web\.shop: metadata\.name: Invalid value: "web\.shop": must not contain dots/,
    );
  });
  it("a binary file is refused, naming it", () => {
    const dir = directory({ "x.yaml": new Uint8Array([0x61, 0x3a, 0x20, 0xff, 0xfe, 0x00]) });
    assert.deepEqual(loadManifests([dir]).errors.map(formatLoadError), [
      `${join(dir, "x.yaml")}: not a text file (binary or not UTF-8); manifests are YAML or JSON text`,
    ]);
  });
  it("a file above the size limit is refused before it is read", () => {
    const dir = directory({ "big.yaml": "#".repeat(maxManifestBytes + 1) });
    assert.match(
      formatLoadError(loadManifests([dir]).errors[0] as never),
      /big\.yaml: larger than 16 MiB \(16\.0 MiB or more\), the most carpool reads/,
    );
  });
  it("a garbled file gives a few syntax errors, each cut short, and a count of the rest", () => {
    const garbled = Array.from({ length: 50 }, (_, i) => `k${i}: [${"x".repeat(500)}\n: :`).join(
      "\n",
    );
    const errors = loadManifests([directory({ "g.yaml": garbled })]).errors;
    assert.ok(errors.length <= 11, `${errors.length} errors`);
    assert.match(errors.at(-1)?.message ?? "", /more YAML syntax errors not shown/);
    for (const error of errors) assert.ok(error.message.length < 260, error.message);
  });
});

describe("loadManifests: strict field validation", () => {
  const typo =
    "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c}], nodeSelectr: {a: b}}\n";
  it("an unknown field is a warning by default, worded as kubectl's", () => {
    const result = loadManifests(["-"], { readStdin: () => typo });
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.warnings.map(formatLoadError), [
      '-: Pod/p: unknown field "spec.nodeSelectr"',
    ]);
  });
  it("and an error with strict (kubectl --validate=strict)", () => {
    const result = loadManifests(["-"], { readStdin: () => typo, strict: true });
    assert.deepEqual(result.errors.map(formatLoadError), [
      '-: Pod/p: unknown field "spec.nodeSelectr"',
    ]);
  });
});

describe("loadManifests: a field given twice (strict field validation's duplicate field)", () => {
  const twice =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n  template: {spec: {containers: [{name: c, name: d}]}}\n  replicas: 3\n";
  it("is a warning naming each path; the last value counts, as Kubernetes' decoder keeps it", () => {
    const result = loadManifests(["-"], { readStdin: () => twice });
    assert.deepEqual(result.warnings.map(formatLoadError), [
      '-: Deployment/web: duplicate field "spec.template.spec.containers[0].name"',
      '-: Deployment/web: duplicate field "spec.replicas"',
    ]);
    const [loaded] = result.objects;
    assert.ok(loaded?.object.kind === "Deployment");
    assert.equal(loaded.object.spec.replicas, 3);
  });
  it("is an error with strict", () => {
    const result = loadManifests(["-"], { readStdin: () => twice, strict: true });
    assert.equal(result.errors.length, 2);
  });
});

describe("loadManifests: the same object twice", () => {
  it("in two files: an error naming both", () => {
    const dir = directory({ "a.yaml": pod("web"), "b.yaml": pod("web") });
    assert.deepEqual(loadManifests([dir]).errors.map(formatLoadError), [
      `${join(dir, "b.yaml")}: Pod/web: Pod default/web is defined twice: in document 1 here and in ${join(dir, "a.yaml")} (document 1)`,
    ]);
  });
  it("in one file: an error naming both documents", () => {
    const dir = directory({ "a.yaml": `${pod("web")}---\n${pod("web")}` });
    assert.match(
      formatLoadError(loadManifests([dir]).errors[0] as never),
      /Pod default\/web is defined twice: in document 2 here and in document 1 of the same file/,
    );
  });
  it("in one List: an error naming both items (kubectl get -o yaml gives a List)", () => {
    const item = { apiVersion: "v1", kind: "Node", metadata: { name: "n" } };
    const list = JSON.stringify({ apiVersion: "v1", kind: "List", items: [item, item] });
    assert.deepEqual(loadManifests(["-"], { readStdin: () => list }).errors.map(formatLoadError), [
      "-: Node/n: Node n is defined twice: in document 1, item 2 here and in document 1, item 1 of the same file",
    ]);
  });
  it("a List item that is not an object is named by its index", () => {
    const list = JSON.stringify({ apiVersion: "v1", kind: "List", items: ["x"] });
    assert.match(
      formatLoadError(loadManifests(["-"], { readStdin: () => list }).errors[0] as never),
      /^-: document 1: items\[0\]: must be a Kubernetes object/,
    );
  });
  it("the same name in another namespace or kind is another object", () => {
    const other =
      "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: other}\nspec: {containers: [{name: c}]}\n";
    const node = "apiVersion: v1\nkind: Node\nmetadata: {name: web}\n";
    assert.deepEqual(
      loadManifests([directory({ "a.yaml": pod("web"), "b.yaml": other, "c.yaml": node })]).errors,
      [],
    );
  });
});

describe("loadManifests: the pod limit", () => {
  const deployment = (name: string, replicas: number) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}}\nspec:\n  replicas: ${replicas}\n  template: {spec: {containers: [{name: c}]}}\n`;
  it("a Deployment above the limit is refused at spec.replicas, naming the limit", () => {
    const result = loadManifests(["-"], { readStdin: () => deployment("huge", 1_000_000) });
    assert.deepEqual(result.errors.map(formatLoadError), [
      `-: Deployment/huge: spec.replicas: 1000000 is above the limit of ${maxPlannedPods} pods one carpool run plans for`,
    ]);
  });
  it("workloads together above the limit: the largest is named", () => {
    const half = maxPlannedPods / 2;
    const result = loadManifests(["-"], {
      readStdin: () => `${deployment("a", half)}---\n${deployment("b", half + 1)}`,
    });
    assert.match(
      formatLoadError(result.errors[0] as never),
      /Deployment\/b: spec\.replicas: the input asks for 20001 pending pods in all/,
    );
  });
  it("pods already on nodes are not planned for: a settled cluster's snapshot passes", () => {
    const bound = (i: number) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: a-${i}}\nspec: {nodeName: n, containers: [{name: c}]}\n`;
    const pods = Array.from({ length: 10 }, (_, i) => bound(i)).join("---\n");
    const result = loadManifests(["-"], {
      readStdin: () => `${deployment("a", maxPlannedPods)}---\n${deployment("b", 10)}---\n${pods}`,
    });
    assert.deepEqual(result.errors, []);
  });
  it("at the limit is fine", () => {
    assert.deepEqual(
      loadManifests(["-"], { readStdin: () => deployment("a", maxPlannedPods) }).errors,
      [],
    );
  });
});
