import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { formatLoadError, loadManifests } from "./load.ts";

const pod = (name: string, extra = "") =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec: {containers: [{name: c}]${extra}}\n`;

function directory(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "carpool-load-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
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
});
