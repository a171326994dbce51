import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { loadManifests } from "../../api/load.ts";
import type { NodeClaim } from "../../api/nodeclaim.ts";
import { defaultNodePool } from "../../api/nodepool.ts";
import type { StaticNodeClass } from "../../api/staticnodeclass.ts";
import { staticNodeClassErrors } from "../../api/validate-rules.ts";
import { Labels } from "../../api/wellknown.ts";
import { buildSnapshot } from "../../cluster/snapshot.ts";
import { nodeClaimFor } from "../../controllers/nodeclaim-template.ts";
import { solveSnapshot, toPlan } from "../../plan.ts";
import { Engine } from "../../sim/engine.ts";
import { InMemoryClusterStore } from "../../sim/store.ts";
import { runHook } from "../hooks/run-hook.ts";
import { StaticCloudProvider } from "./cloud-provider.ts";
import { userData } from "./fixtures.test-helpers.ts";
import { powerOffDocument, powerOnDocument } from "./hook-documents.ts";

const examples = new URL("../../../examples/k3s-edge", import.meta.url).pathname;

describe("examples/k3s-edge", () => {
  const loaded = loadManifests([examples]);
  const nodeClass = loaded.objects.find((o) => o.object.kind === "StaticNodeClass")?.object as
    | StaticNodeClass
    | undefined;

  it("loads without errors or ignored objects, and the StaticNodeClass keeps every rule", () => {
    assert.deepEqual([...loaded.errors, ...loaded.warnings], []);
    assert.ok(nodeClass);
    assert.deepEqual(staticNodeClassErrors(nodeClass), []);
    assert.equal(nodeClass.spec.machines.length, 6);
  });

  it("with the static provider's types, every pod is planned onto the shop's boxes, and each planned claim launches on its own machine", async () => {
    const clock = new Engine(new Date("2026-01-01T00:00:00Z"));
    const store = new InMemoryClusterStore(() => clock.now());
    for (const { object } of loaded.objects) await store.create(object);
    // Hooks that succeed: the example's scripts need the shop's network (tried below with a fake ssh).
    const ok = { exec: { command: [process.execPath, "-e", "process.exit(0)"] } };
    const current = await store.get("StaticNodeClass", "shop");
    assert.ok(current);
    await store.update({ ...current, spec: { ...current.spec, powerOn: ok, powerOff: ok } });
    const provider = new StaticCloudProvider({ store, clock, userData });
    const snapshot = buildSnapshot(loaded.objects.map((o) => o.object));
    const plan = toPlan(
      solveSnapshot(snapshot, { region: undefined, instanceTypes: await provider.instanceTypes() }),
    );
    assert.equal(plan.summary.unschedulable, 0);
    const machines: string[] = [];
    for (const planned of plan.nodeClaims) {
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
      const launched = await provider.create(await store.create(claim));
      assert.equal(launched.metadata.labels?.[Labels.instanceType], planned.instanceType);
      machines.push(launched.metadata.annotations?.["carpool.dev/machine"] ?? "");
    }
    assert.equal(new Set(machines).size, machines.length);
    assert.deepEqual(plan.nodeClaims.map((c) => [c.nodePool, c.instanceType, c.zone]).sort(), [
      ["camera", "orin-camera", "rack-a"],
      ["camera", "orin-camera", "rack-b"],
      ["general", "nuc", "rack-a"],
      ["general", "nuc", "rack-b"],
    ]);
  });
});

describe("examples/k3s-edge/hooks with a stand-in ssh", () => {
  const dir = mkdtempSync(join(tmpdir(), "carpool-k3s-edge-"));
  const log = join(dir, "ssh.log");
  const savedPath = process.env.PATH;
  before(() => {
    // Logs each call; `true` answers while the box is up; a grep for the claim marker misses;
    // the shutdown command takes the box down; anything else is the user data, kept.
    const ssh = join(dir, "ssh");
    writeFileSync(
      ssh,
      `#!/bin/sh
for last; do :; done
printf '%s\\n' "$*" >> "${log}"
case $last in
  true) [ -e "${dir}/off" ] && exit 255; exit 0 ;;
  *grep*) exit 1 ;;
  *poweroff*) : > "${dir}/off"; exit 0 ;;
  *) cat > "${dir}/user-data"; exit 0 ;;
esac
`,
    );
    chmodSync(ssh, 0o755);
    process.env.PATH = `${dir}:${savedPath}`;
  });
  after(() => {
    process.env.PATH = savedPath;
  });

  const machine = {
    name: "nuc-a1",
    instanceType: "nuc",
    capacity: { cpu: "8" },
    pricePerHour: 0.015,
    zone: "rack-a",
    address: "a8:a1:59:10:00:a1",
  };
  const claim: NodeClaim = {
    apiVersion: "karpenter.sh/v1",
    kind: "NodeClaim",
    metadata: { name: "general-abc12" },
    spec: {
      nodeClassRef: { group: "carpool.dev", kind: "StaticNodeClass", name: "shop" },
      requirements: [],
    },
  };

  it("wake.sh sends the magic packet, waits for SSH and runs the user data there", async () => {
    const rendered = await userData(claim);
    const result = await runHook(
      {
        exec: { command: [join(examples, "hooks/wake.sh"), "127.0.0.1", "shop.lan"] },
        retries: 0,
      },
      powerOnDocument(machine, claim, "shop", rendered),
      { secrets: rendered.secrets },
    );
    assert.ok(result.ok, result.ok ? "" : result.message);
    assert.match(result.output, /sent a magic packet to a8:a1:59:10:00:a1 for nuc-a1/);
    assert.match(result.output, /nuc-a1 is joining as Node general-abc12/);
    assert.equal(readFileSync(join(dir, "user-data"), "utf8"), rendered.content);
    assert.match(readFileSync(log, "utf8"), /root@nuc-a1\.shop\.lan/);
  });

  it("wake.sh refuses a document without the machine's MAC", async () => {
    const rendered = await userData(claim);
    const { address: _none, ...noAddress } = machine;
    const result = await runHook(
      {
        exec: { command: [join(examples, "hooks/wake.sh"), "127.0.0.1", "shop.lan"] },
        retries: 0,
      },
      powerOnDocument(noAddress, claim, "shop", rendered),
    );
    assert.equal(result.ok, false);
    assert.match(result.ok ? "" : result.message, /nuc-a1 has no address/);
  });

  it("poweroff.sh shuts the box down and waits until it is off; run again, it is off already", async () => {
    const hook = {
      exec: { command: [join(examples, "hooks/poweroff.sh"), "shop.lan"] },
      retries: 0,
    };
    const first = await runHook(hook, powerOffDocument(machine, claim, "shop"));
    assert.ok(first.ok, first.ok ? "" : first.message);
    assert.match(first.output, /nuc-a1 is off/);
    assert.ok(existsSync(join(dir, "off")));
    const again = await runHook(hook, powerOffDocument(machine, claim, "shop"));
    assert.ok(again.ok);
    assert.match(again.output, /already off/);
  });
});
