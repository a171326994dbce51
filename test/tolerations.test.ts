import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { plan } from "../src/index.ts";
import {
  deployment,
  run,
  catalog as simCatalog,
  pool as simPool,
} from "../src/sim/fixtures.test-helpers.ts";

// End to end, the one rule (core/v1 Toleration.ToleratesTaint with Lt/Gt,
// TaintTolerationComparisonOperators) as the solver, explain and the simulator's scheduler use it.

const slaTaint = (value: string) => ({ key: "example.com/sla", value, effect: "NoSchedule" });
const gold = {
  apiVersion: "karpenter.sh/v1",
  kind: "NodePool",
  metadata: { name: "gold" },
  spec: {
    template: {
      spec: {
        nodeClassRef: { group: "g", kind: "k", name: "n" },
        requirements: [],
        taints: [slaTaint("999")],
      },
    },
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
const pod = (name: string, tolerations: object[]) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name },
  spec: { containers: [{ name: "c", resources: { requests: { cpu: "1" } } }], tolerations },
});
const above = (operator: string, value: string) => ({ key: "example.com/sla", operator, value });

describe("tolerations with Lt/Gt through the solver", () => {
  const result = plan([
    gold,
    box,
    pod("gt-950", [above("Gt", "950")]),
    pod("gt-1000", [above("Gt", "1000")]),
    pod("lt-1000", [above("Lt", "1000")]),
  ]);
  const placed = result.nodeClaims.flatMap((claim) => claim.pods).sort();

  it("Gt 950 tolerates sla=999 and Lt 1000 does too: both planned on the pool", () => {
    assert.deepEqual(placed, ["default/gt-950", "default/lt-1000"]);
  });
  it("Gt 1000 does not tolerate sla=999, and the reason prints the toleration's operator", () => {
    assert.deepEqual(result.unschedulable, [
      {
        pod: "default/gt-1000",
        reasons: [
          {
            target: "NodePool/gold",
            reason:
              'untolerated taint example.com/sla=999:NoSchedule (the pod\'s toleration example.com/sla Gt "1000" does not match)',
          },
        ],
      },
    ]);
  });
  it("an existing node tainted sla=800 takes a pod tolerating Lt 900", () => {
    const node = {
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name: "bronze-1",
        labels: { "node.kubernetes.io/instance-type": "box", "topology.kubernetes.io/zone": "z1" },
      },
      spec: { taints: [slaTaint("800")] },
      status: { allocatable: { cpu: "2", memory: "4Gi", pods: "10" } },
    };
    const onNode = plan([gold, box, node, pod("lt-900", [above("Lt", "900")])]);
    assert.deepEqual(onNode.existingNodes, [{ name: "bronze-1", pods: ["default/lt-900"] }]);
  });
  it("a Gt toleration with a leading zero is refused as invalid input, as the API server does", () => {
    assert.throws(
      () => plan([gold, box, pod("zero", [above("Gt", "0950")])]),
      /Pod\/zero: spec\.tolerations\[0\]\.value: must be a decimal integer in canonical form/,
    );
  });
});

describe("tolerations with Lt/Gt through explain", () => {
  it("explain names the taint and the near-miss toleration with its operator", () => {
    const file = join(mkdtempSync(join(tmpdir(), "carpool-tolerations-")), "input.json");
    const objects = [gold, box, pod("gt-1000", [above("Gt", "1000")])];
    writeFileSync(file, JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }));
    const explained = spawnSync(
      process.execPath,
      ["bin/carpool.mjs", "explain", "gt-1000", "-f", file, "-o", "json"],
      { encoding: "utf8" },
    );
    assert.equal(explained.status, 0, explained.stderr);
    const explanation = JSON.parse(explained.stdout) as {
      targets: { target: string; reasons: string[] }[];
    };
    assert.deepEqual(explanation.targets.find((t) => t.target === "NodePool/gold")?.reasons, [
      'untolerated taint example.com/sla=999:NoSchedule (the pod\'s toleration example.com/sla Gt "1000" does not match)',
    ]);
  });
});

describe("tolerations with Lt/Gt through the simulator's scheduler", () => {
  it("pods tolerating the pool's sla taint by Gt are launched for and bound, with no breach", async () => {
    const result = await run({
      duration: "10m",
      objects: [
        simPool("default", {}, { taints: [slaTaint("999")] }),
        ...simCatalog,
        deployment("web", 2, "1", { tolerations: [above("Gt", "950")] }),
      ],
    });
    assert.equal(result.summary.pods.neverScheduled, 0);
    assert.equal(result.samples.at(-1)?.runningPods, 2);
    assert.deepEqual(result.violations, []);
  });
  it("pods whose Gt bound the taint does not exceed stay pending", async () => {
    const result = await run({
      duration: "10m",
      objects: [
        simPool("default", {}, { taints: [slaTaint("999")] }),
        ...simCatalog,
        deployment("web", 2, "1", { tolerations: [above("Gt", "999")] }),
      ],
    });
    assert.equal(result.samples.at(-1)?.runningPods, 0);
    assert.equal(result.summary.pods.neverScheduled, 2);
  });
});
