import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { stringify } from "yaml";
import { loadManifests } from "../api/load.ts";
import { catalog, deployment, pool } from "./fixtures.test-helpers.ts";
import { objectsOnlyScenario } from "./objects-scenario.ts";
import { loadScenario } from "./scenario.ts";
import { simulate } from "./simulation.ts";

/** A directory as a user would pass to `carpool simulate -f DIR`: one NodePool, a catalog, a Deployment. */
function manifests(): string {
  const dir = mkdtempSync(join(tmpdir(), "carpool-sim-f-"));
  const objects = [pool("edge"), ...catalog, deployment("shop-front", 3, "1")];
  writeFileSync(join(dir, "cluster.yaml"), objects.map((o) => stringify(o)).join("---\n"));
  return dir;
}

function load(dir: string) {
  const loaded = loadManifests([dir]);
  assert.deepEqual(loaded.errors, []);
  return loaded.objects.map((o) => o.object);
}

describe("carpool simulate -f: the given objects take part", () => {
  it("without a scenario, the -f objects alone are simulated for 1h: that pool's nodes, those pods", async () => {
    const dir = manifests();
    const result = await simulate(objectsOnlyScenario([dir]), load(dir));
    assert.equal(result.scenario, dir);
    assert.equal(result.summary.duration, "1h0m0s");
    assert.equal(result.summary.pods.created, 3);
    assert.equal(result.summary.pods.neverScheduled, 0);
    assert.equal(result.samples.at(-1)?.runningPods, 3);
    assert.ok(result.summary.nodes.final >= 1);
    assert.deepEqual(Object.keys(result.samples.at(-1)?.nodesByPool ?? {}), ["edge"]);
    const scheduled = result.events.filter((e) => e.kind === "Scheduled").map((e) => e.object);
    assert.ok(
      scheduled.every((o) => o.startsWith("Pod/default/shop-front-")),
      scheduled.join(),
    );
    assert.ok(
      result.events.some(
        (e) => e.kind === "Applied" && e.object === "Deployment/default/shop-front",
      ),
    );
    assert.deepEqual(result.violations, []);
  });
  it("with a scenario, the -f objects join the scenario's from the start", async () => {
    const dir = manifests();
    const loaded = loadScenario("examples/scenarios/k3s-edge.yaml");
    assert.ok(loaded.ok);
    const result = await simulate(loaded.scenario, load(dir));
    const pools = new Set(result.samples.flatMap((s) => Object.keys(s.nodesByPool)));
    assert.ok(pools.has("edge"), [...pools].join());
    assert.ok(
      result.events.some(
        (e) => e.kind === "Scheduled" && e.object.startsWith("Pod/default/shop-front-"),
      ),
    );
  });
});
