import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";

function carpool(args: string[]) {
  return spawnSync(process.execPath, ["bin/carpool.mjs", ...args], { encoding: "utf8" });
}

const Manifests = `apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: mine}
spec:
  template:
    spec:
      nodeClassRef: {group: carpool.dev, kind: K3sNodeClass, name: default}
      requirements: []
---
apiVersion: carpool.dev/v1alpha1
kind: InstanceType
metadata: {name: box}
spec:
  capacity: {cpu: "4", memory: 16Gi, pods: "110"}
  labels: {kubernetes.io/arch: amd64}
  offerings: [{zone: z1, capacityType: on-demand, price: 0.1}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: team}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: x, resources: {requests: {cpu: "1", memory: 1Gi}}}]
`;

describe("carpool simulate -f DIR without a scenario", () => {
  it("simulates the directory's objects alone, for the default 1h, and nothing of the demo", () => {
    const dir = mkdtempSync(join(tmpdir(), "carpool-simulate-"));
    writeFileSync(join(dir, "cluster.yaml"), Manifests);
    const run = carpool(["simulate", "-f", dir, "-o", "json"]);
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.equal(result.scenario, dir);
    assert.equal(result.summary.duration, "1h0m0s");
    assert.equal(result.summary.pods.created, 2);
    assert.deepEqual(result.samples.at(-1).nodesByPool, { mine: 1 });
    assert.equal(result.samples.at(-1).runningPods, 2);
    const objects: string[] = result.events.map((e: { object: string }) => e.object);
    // The bundled demo's pools (spot, on-demand) and namespace (shop) appear nowhere.
    assert.ok(
      objects.every((o) => !/^(NodePool\/(spot|on-demand)|.*\/shop\/)/.test(o)),
      objects.join("\n"),
    );
    assert.ok(objects.includes("Deployment/team/api"));
  });
});

// kubectl's strict field validation (KEP-2885), for scenario files as for manifests.
describe("carpool simulate: unknown fields in a scenario file", () => {
  const scenario = `apiVersion: carpool.dev/v1alpha1
kind: Scenario
metadata: {name: typo}
spec:
  duration: 10m
  durationn: 1h
  objects:
    - apiVersion: karpenter.sh/v1
      kind: NodePool
      metadata: {name: mine}
      spec:
        template:
          spec:
            nodeClassRef: {group: carpool.dev, kind: K3sNodeClass, name: default}
            requirements: []
            taint: []
`;
  const file = join(mkdtempSync(join(tmpdir(), "carpool-scenario-")), "typo.yaml");
  writeFileSync(file, scenario);
  it("are warnings by default, with their paths, and the run goes on", () => {
    const result = carpool(["simulate", file, "-o", "json"]);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(result.stderr.trim().split("\n"), [
      `warning: ${file}: Scenario/typo: unknown field "spec.durationn"`,
      `warning: ${file}: Scenario/typo: unknown field "spec.objects[0].spec.template.spec.taint"`,
    ]);
  });
  it("are errors with --strict (exit 2)", () => {
    const result = carpool(["simulate", file, "--strict", "-o", "json"]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^.*unknown field "spec.durationn"$/m);
  });
});
