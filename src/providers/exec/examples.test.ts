import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import type { ExecNodeClass } from "../../api/execnodeclass.ts";
import { loadManifests } from "../../api/load.ts";
import { defaultNodePool } from "../../api/nodepool.ts";
import { Labels } from "../../api/wellknown.ts";
import { nodeClaimFor } from "../../controllers/nodeclaim-template.ts";
import { planObjects } from "../../plan.ts";
import { Engine } from "../../sim/engine.ts";
import { InMemoryClusterStore } from "../../sim/store.ts";
import { ExecCloudProvider } from "./cloud-provider.ts";
import { quick, stateFile } from "./fixtures.test-helpers.ts";
import { readResponse } from "./response.ts";

const examples = new URL("../../../examples/exec-provider", import.meta.url).pathname;
const manifests = ["instancetypes.yaml", "nodepool.yaml", "workloads.yaml"].map((f) =>
  join(examples, f),
);

describe("examples/exec-provider", () => {
  it("loads without errors or ignored objects", () => {
    const loaded = loadManifests([examples]);
    assert.deepEqual([...loaded.errors, ...loaded.warnings], []);
  });

  it("plans every pod, and the exec provider launches each planned node through fake-cloud.mjs as the ExecNodeClass says", async () => {
    const loaded = loadManifests(manifests);
    assert.deepEqual([...loaded.errors, ...loaded.warnings], []);
    const result = planObjects(loaded.objects);
    assert.ok(result.ok);
    assert.equal(result.plan.summary.unschedulable, 0);
    assert.ok(result.plan.nodeClaims.length > 0);
    const nodeClass = parse(
      readFileSync(join(examples, "nodeclass.yaml"), "utf8"),
    ) as ExecNodeClass;
    const command = nodeClass.spec.provider.exec?.command ?? [];
    assert.equal(command[0], "node");
    // The manifest's command, run from a checkout (the tests' working directory), with this Node.
    nodeClass.spec.provider.exec = { command: [process.execPath, ...command.slice(1)] };
    nodeClass.spec.config = { ...nodeClass.spec.config, stateFile: stateFile() };
    const clock = new Engine(new Date("2026-01-01T00:00:00Z"));
    const store = new InMemoryClusterStore(() => clock.now());
    for (const { object } of loaded.objects) await store.create(object);
    await store.create(nodeClass);
    const provider = new ExecCloudProvider({ store, clock, hookOptions: quick });
    for (const planned of result.plan.nodeClaims) {
      const pool = await store.get("NodePool", planned.nodePool);
      assert.ok(pool);
      // The claim the provisioner would create for this planned node.
      const claim = nodeClaimFor({
        name: planned.name,
        nodePool: defaultNodePool(pool),
        instanceTypeOptions: planned.instanceTypeOptions,
        zone: planned.zone,
        capacityType: planned.capacityType,
      });
      const launched = await provider.create(claim);
      assert.equal(launched.metadata.labels?.[Labels.instanceType], planned.instanceType);
      assert.equal(launched.metadata.labels?.[Labels.zone], planned.zone);
    }
    assert.equal((await provider.list()).length, result.plan.nodeClaims.length);
  });

  it("fake-cloud.mjs by hand: $FAKE_CLOUD_STATE names its file when the config does not", () => {
    const file = join(mkdtempSync(join(tmpdir(), "carpool-fake-")), "state.json");
    writeFileSync(
      file,
      JSON.stringify({
        next: 1,
        instances: [
          {
            providerID: "fake://1",
            instanceType: "cx22",
            zone: "fsn1",
            capacityType: "on-demand",
            nodeClaim: "a",
          },
        ],
      }),
    );
    const run = spawnSync(process.execPath, [join(examples, "fake-cloud.mjs")], {
      input: JSON.stringify({
        apiVersion: "carpool.dev/exec/v1",
        kind: "ListRequest",
        nodeClass: { name: "x", config: {} },
      }),
      env: { ...process.env, FAKE_CLOUD_STATE: file },
      encoding: "utf8",
    });
    assert.equal(run.status, 0, run.stderr);
    const reading = readResponse("list", run.stdout);
    assert.ok(reading.ok && reading.response.kind === "ListResponse");
    assert.equal(reading.response.instances[0]?.providerID, "fake://1");
  });
});
