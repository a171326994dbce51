import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";

function carpool(args: string[], input?: string) {
  return spawnSync(process.execPath, ["bin/carpool.mjs", ...args], { encoding: "utf8", input });
}

// The plan contract's exit statuses and error format.
describe("carpool plan: the contract's edges", () => {
  it("invalid input exits 2 and prints every error as FILE: KIND/NAME: field.path: reason", () => {
    const dir = mkdtempSync(join(tmpdir(), "carpool-cli-"));
    const file = join(dir, "bad.yaml");
    writeFileSync(
      file,
      [
        "apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: {name: gpu}\nspec:\n  template:\n    spec:\n      nodeClassRef: {group: g, kind: k, name: n}\n      requirements: []\n      taints: [{key: a, effect: NoSchedule}, {key: b, effect: Never}]\n",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, resources: {requests: {cpu: lots}}}]}\n",
      ].join("---\n"),
    );
    const result = carpool(["plan", "-f", file]);
    assert.equal(result.status, 2);
    assert.deepEqual(result.stderr.trim().split("\n"), [
      `${file}: NodePool/gpu: spec.template.spec.taints[1].effect: must be NoSchedule, PreferNoSchedule or NoExecute`,
      `${file}: Pod/p: spec.containers[0].resources.requests.cpu: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': "lots"`,
    ]);
  });
  it("reads standard input for -f -, and json output is the Plan and nothing else", () => {
    const input = JSON.stringify({
      apiVersion: "v1",
      kind: "List",
      items: [
        {
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name: "p" },
          spec: { containers: [{ name: "c" }] },
        },
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "ignored" } },
      ],
    });
    const result = carpool(["plan", "-f", "-", "-o", "json"], input);
    assert.equal(result.status, 0);
    const plan = JSON.parse(result.stdout);
    assert.equal(plan.kind, "Plan");
    assert.equal(
      plan.summary.unschedulable,
      1,
      "no NodePool: the pod cannot be placed, yet a plan is computed",
    );
    assert.match(result.stderr, /ConfigMap.*ignored/);
  });
  it("an unknown pod for explain exits 2 and lists the pending pods", () => {
    const result = carpool(["explain", "nope", "-f", "examples/k3s"]);
    assert.equal(result.status, 2);
    assert.match(
      result.stderr,
      /pod default\/nope is not a pending pod in the input; pending pods: stores\//,
    );
  });
  it("--help answers", () => {
    const result = carpool(["--help"]);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /plan .*\n.*explain/s);
  });
});

describe("carpool plan --region", () => {
  it("a region the built-in catalog lacks is invalid input (exit 2), not a crash", () => {
    const result = carpool(["plan", "-f", "examples/eks", "--region", "mars-1"]);
    assert.equal(result.status, 2);
    assert.equal(
      result.stderr.trim(),
      "--region: the built-in AWS catalog has no region mars-1; it has us-east-1 (or give InstanceType objects)",
    );
  });
});

describe("carpool disrupt: the contract's edges", () => {
  it("json output is the DisruptionPlan and nothing else; --now fixes the clock", () => {
    const result = carpool([
      "disrupt",
      "-f",
      "examples/disruption",
      "--now",
      "2026-11-25T20:00:00Z",
      "-o",
      "json",
    ]);
    assert.equal(result.status, 0, result.stderr);
    const plan = JSON.parse(result.stdout);
    assert.equal(plan.kind, "DisruptionPlan");
    assert.deepEqual(Object.keys(plan.summary), [
      "nodes",
      "disrupted",
      "hourlyCostBefore",
      "hourlyCostAfter",
    ]);
  });
  it("--no-spot-to-spot turns spot-to-spot consolidation off, as Karpenter's feature gate does", () => {
    const dir = mkdtempSync(join(tmpdir(), "carpool-cli-"));
    const file = join(dir, "spot.json");
    const type = (name: string, cpu: number, price: number) => ({
      apiVersion: "carpool.dev/v1alpha1",
      kind: "InstanceType",
      metadata: { name },
      spec: {
        capacity: { cpu: String(cpu), memory: "16Gi", pods: "110" },
        offerings: [{ zone: "z1", capacityType: "spot", price }],
      },
    });
    const items = [
      {
        apiVersion: "karpenter.sh/v1",
        kind: "NodePool",
        metadata: { name: "default" },
        spec: {
          template: {
            spec: { nodeClassRef: { group: "g", kind: "k", name: "n" }, requirements: [] },
          },
          disruption: { consolidateAfter: "0s" },
        },
      },
      type("big", 8, 0.5),
      ...Array.from({ length: 20 }, (_, i) =>
        type(`s${String(i).padStart(2, "0")}`, 4, 0.01 + i / 1000),
      ),
      {
        apiVersion: "v1",
        kind: "Node",
        metadata: {
          name: "a",
          labels: {
            "karpenter.sh/nodepool": "default",
            "node.kubernetes.io/instance-type": "big",
            "topology.kubernetes.io/zone": "z1",
            "karpenter.sh/capacity-type": "spot",
          },
        },
        status: { allocatable: { cpu: "8", memory: "16Gi", pods: "110" } },
      },
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "p", namespace: "default" },
        spec: { nodeName: "a", containers: [{ name: "c", resources: { requests: { cpu: "1" } } }] },
      },
    ];
    writeFileSync(file, JSON.stringify({ apiVersion: "v1", kind: "List", items }));
    const on = JSON.parse(carpool(["disrupt", "-f", file, "-o", "json"]).stdout);
    const off = JSON.parse(
      carpool(["disrupt", "-f", file, "-o", "json", "--no-spot-to-spot"]).stdout,
    );
    assert.equal(on.commands.length, 1);
    assert.deepEqual(off.commands, []);
    assert.deepEqual(off.blocked, [
      { node: "a", reason: "spot-to-spot consolidation is disabled" },
    ]);
  });
  it("a --now that is not RFC 3339 is invalid input (exit 2)", () => {
    const result = carpool(["disrupt", "-f", "examples/disruption", "--now", "yesterday"]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^--now: "yesterday" is not an RFC 3339 time/);
  });
  it("a bad budget schedule is invalid input naming the field", () => {
    const dir = mkdtempSync(join(tmpdir(), "carpool-cli-"));
    const file = join(dir, "pool.yaml");
    writeFileSync(
      file,
      "apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: {name: p}\nspec:\n  template:\n    spec:\n      nodeClassRef: {group: g, kind: k, name: n}\n      requirements: []\n  disruption:\n    budgets: [{nodes: '1', schedule: '0 25 * * *', duration: 1h}]\n",
    );
    const result = carpool(["disrupt", "-f", file]);
    assert.equal(result.status, 2);
    assert.match(
      result.stderr,
      /NodePool\/p: spec\.disruption\.budgets\[0\]\.schedule: schedule "0 25 \* \* \*": "25" is not a value in 0-23/,
    );
  });
});

describe("carpool simulate: the contract's edges", () => {
  it("json output is the SimulationResult; --report writes one self-contained page", () => {
    const dir = mkdtempSync(join(tmpdir(), "carpool-sim-"));
    const report = join(dir, "report.html");
    const result = carpool([
      "simulate",
      "examples/scenarios/k3s-edge.yaml",
      "-o",
      "json",
      "--report",
      report,
    ]);
    assert.equal(result.status, 0, result.stderr);
    const parsed = JSON.parse(result.stdout);
    assert.equal(parsed.kind, "SimulationResult");
    assert.deepEqual(parsed.violations, []);
    assert.ok(parsed.samples.length >= 24 * 60);
    const html = readFileSync(report, "utf8");
    assert.match(html, /^<!DOCTYPE html>/i);
    assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=/);
  });
  it("--seed changes the random choices (which spot nodes are interrupted), not the rules", () => {
    const a = carpool([
      "simulate",
      "examples/scenarios/fault-storm.yaml",
      "-o",
      "json",
      "--seed",
      "1",
    ]);
    const b = carpool([
      "simulate",
      "examples/scenarios/fault-storm.yaml",
      "-o",
      "json",
      "--seed",
      "2",
    ]);
    assert.equal(a.status, 0, a.stderr);
    const [ra, rb] = [JSON.parse(a.stdout), JSON.parse(b.stdout)];
    assert.equal(ra.seed, 1);
    assert.equal(rb.seed, 2);
    assert.deepEqual(ra.violations, []);
    assert.deepEqual(rb.violations, []);
    assert.notDeepEqual(
      ra.events.filter((e: { kind: string }) => e.kind === "InterruptionNotice"),
      rb.events.filter((e: { kind: string }) => e.kind === "InterruptionNotice"),
    );
  });
  it("an invalid scenario exits 2 naming the file, the scenario and the field", () => {
    const dir = mkdtempSync(join(tmpdir(), "carpool-sim-"));
    const file = join(dir, "bad.yaml");
    writeFileSync(
      file,
      "apiVersion: carpool.dev/v1alpha1\nkind: Scenario\nmetadata: {name: bad}\nspec:\n  duration: 1h\n  events:\n    - {at: 5m, scale: {kind: Deployment, name: web, replicas: 2}, delete: {kind: Deployment, name: web}}\n    - at: 10m\n      apply: {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, resources: {requests: {cpu: lots}}}]}}\n",
    );
    const result = carpool(["simulate", file]);
    assert.equal(result.status, 2);
    const lines = result.stderr.trim().split("\n");
    assert.equal(
      lines[0],
      `${file}: Scenario/bad: spec.events[0]: must have exactly one of apply, scale, delete, interrupt, unavailable`,
    );
    assert.match(
      lines[1] ?? "",
      /Scenario\/bad: spec\.events\[1\]\.apply\.spec\.containers\[0\]\.resources\.requests\.cpu/,
    );
  });
});
