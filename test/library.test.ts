import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { disrupt, parseQuantity, plan, tolerates } from "../src/index.ts";

const pool = {
  apiVersion: "karpenter.sh/v1",
  kind: "NodePool",
  metadata: { name: "default" },
  spec: {
    template: { spec: { nodeClassRef: { group: "g", kind: "k", name: "n" }, requirements: [] } },
  },
};
const box = {
  apiVersion: "carpool.dev/v1alpha1",
  kind: "InstanceType",
  metadata: { name: "box" },
  spec: {
    capacity: { cpu: "2", memory: "4Gi", pods: "10" },
    offerings: [{ zone: "z1", capacityType: "on-demand", price: 0.05 }],
  },
};
const pod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p" },
  spec: { containers: [{ name: "c", resources: { requests: { cpu: "1" } } }] },
};

/** What `carpool COMMAND -f FILE -o json` prints for the objects, parsed. */
function cli(command: string, objects: object[], args: string[] = []): unknown {
  const file = join(mkdtempSync(join(tmpdir(), "carpool-library-")), "input.json");
  writeFileSync(file, JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }));
  const result = spawnSync(
    process.execPath,
    ["bin/carpool.mjs", command, "-f", file, "-o", "json", ...args],
    { encoding: "utf8" },
  );
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

// The library contract in ../shared/contracts/plan.md.
describe("library contract", () => {
  it("parseQuantity gives exact milli-units, rounded up as Kubernetes rounds", () => {
    assert.equal(parseQuantity("1").milli, 1000n);
    assert.equal(parseQuantity("100m").milli, 100n);
    assert.equal(parseQuantity("1Ki").milli, 1_024_000n);
  });
  it("parseQuantity throws an Error naming the text", () => {
    assert.throws(() => parseQuantity("12 cores"), /"12 cores"/);
  });
  it("tolerates matches Kubernetes' rule on plain objects", () => {
    assert.equal(tolerates({ operator: "Exists" }, { key: "any", effect: "NoExecute" }), true);
    assert.equal(
      tolerates({ key: "a", value: "b" }, { key: "a", value: "c", effect: "NoSchedule" }),
      false,
    );
  });
  it("plan() computes the same Plan object as `carpool plan -o json`", () => {
    const objects = [pool, box, pod];
    const result = plan(objects);
    assert.deepEqual(result, cli("plan", objects));
    assert.equal(result.kind, "Plan");
    assert.deepEqual(
      result.nodeClaims.map((c) => [c.name, c.instanceType, c.pods]),
      [["default-0", "box", ["default/p"]]],
    );
    assert.deepEqual(result.summary, {
      pods: 1,
      onExistingNodes: 0,
      onNewNodes: 1,
      unschedulable: 0,
      newNodes: 1,
      hourlyCost: 0.05,
      hourlyTotalCost: 0.05,
    });
  });
  it("plan() throws on invalid objects, naming the object and field", () => {
    assert.throws(
      () =>
        plan([
          {
            apiVersion: "v1",
            kind: "Pod",
            metadata: { name: "bad" },
            spec: {
              containers: [{ name: "c" }],
              tolerations: [{ operator: "Exists", value: "x" }],
            },
          },
        ]),
      /Pod\/bad: spec\.tolerations\[0\]\.value/,
    );
  });
  it("disrupt() computes the same DisruptionPlan as `carpool disrupt -o json`", () => {
    const objects = [
      { ...pool, spec: { ...pool.spec, disruption: { consolidateAfter: "0s" } } },
      box,
      {
        apiVersion: "v1",
        kind: "Node",
        metadata: {
          name: "idle",
          labels: {
            "karpenter.sh/nodepool": "default",
            "node.kubernetes.io/instance-type": "box",
            "topology.kubernetes.io/zone": "z1",
            "karpenter.sh/capacity-type": "on-demand",
          },
        },
        status: { allocatable: { cpu: "2", memory: "4Gi", pods: "10" } },
      },
    ];
    const result = disrupt(objects, { now: new Date("2026-11-25T00:00:00Z") });
    assert.deepEqual(result, cli("disrupt", objects, ["--now", "2026-11-25T00:00:00Z"]));
    assert.equal(result.kind, "DisruptionPlan");
    assert.deepEqual(
      result.commands.map((c) => [c.action, c.reason, c.nodes, c.savings]),
      [["delete", "Empty", ["idle"], 0.05]],
    );
    assert.deepEqual(result.summary, {
      nodes: 1,
      disrupted: 1,
      hourlyCostBefore: 0.05,
      hourlyCostAfter: 0,
    });
  });
});
