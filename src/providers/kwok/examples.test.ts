import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadManifests } from "../../api/load.ts";
import { defaultNodePool } from "../../api/nodepool.ts";
import { Labels } from "../../api/wellknown.ts";
import { nodeClaimFor } from "../../controllers/nodeclaim-template.ts";
import { planObjects } from "../../plan.ts";
import { Engine } from "../../sim/engine.ts";
import { InMemoryClusterStore } from "../../sim/store.ts";
import { KwokCloudProvider } from "./cloud-provider.ts";

const examples = new URL("../../../examples/kwok", import.meta.url).pathname;

describe("examples/kwok", () => {
  const loaded = loadManifests([examples]);
  it("loads without errors or ignored objects (the KwokNodeClass is a kind carpool reads)", () => {
    assert.deepEqual([...loaded.errors, ...loaded.warnings], []);
    assert.ok(loaded.objects.some((o) => o.object.kind === "KwokNodeClass"));
  });
  it("plans every pod, and the kwok provider launches each planned node as a Node", async () => {
    const result = planObjects(loaded.objects);
    assert.ok(result.ok);
    assert.equal(result.plan.summary.unschedulable, 0);
    const clock = new Engine(new Date("2026-01-01T00:00:00Z"));
    const store = new InMemoryClusterStore(() => clock.now());
    for (const { object } of loaded.objects) await store.create(object);
    const provider = new KwokCloudProvider({ store, clock });
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
    }
    const gpuNodes = (await store.list("Node")).filter(
      (node) => node.metadata.labels?.[Labels.nodePool] === "gpu",
    );
    assert.equal(gpuNodes.length, 2);
    for (const node of gpuNodes) assert.equal(node.status?.allocatable?.["nvidia.com/gpu"], "1");
  });
});
