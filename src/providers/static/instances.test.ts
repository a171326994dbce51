import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NodeClaim } from "../../api/nodeclaim.ts";
import type { StaticMachine } from "../../api/staticnodeclass.ts";
import { Finalizers, Labels } from "../../api/wellknown.ts";
import { NodeClaimNotFoundError } from "../../ports/cloud-provider.ts";
import { PowerOffFailedError } from "./errors.ts";
import {
  claim,
  cluster,
  failingHook,
  holder,
  hookLog,
  machine,
  staticClass,
  userData,
} from "./fixtures.test-helpers.ts";

const withFinalizer = (c: NodeClaim): NodeClaim => ({
  ...c,
  metadata: { ...c.metadata, finalizers: [Finalizers.termination] },
});

describe("delete switches the machine off; it is free once the claim is gone", () => {
  const machines = [
    machine("m1", "cheap", 0.01, "z1", { address: "aa:bb:cc:dd:ee:01" }),
    machine("m2", "cheap", 0.02),
  ];

  it("powerOff gets the machine with its address; the instance is gone, the machine held until the claim goes", async () => {
    const log = hookLog();
    const { store, provider, launch } = await cluster([
      staticClass(machines, { powerOn: log.hook(), powerOff: log.hook() }),
    ]);
    const launched = await launch(withFinalizer(claim("a", [], { labels: { team: "x" } })));
    await store.delete({ kind: "NodeClaim", name: "a" });
    await provider.delete(launched);
    assert.deepEqual(log.calls()[1], {
      apiVersion: "carpool.dev/hooks/v1",
      kind: "PowerOff",
      machine: {
        name: "m1",
        address: "aa:bb:cc:dd:ee:01",
        zone: "z1",
        instanceType: "cheap",
        labels: {},
      },
      nodeClaim: { name: "a", labels: { team: "x" } },
      nodeClass: "shop",
    });
    assert.deepEqual(await provider.list(), []);
    await assert.rejects(provider.get("k3s://a"), NodeClaimNotFoundError);
    await assert.rejects(provider.delete(launched), NodeClaimNotFoundError);
    // Switched off, but the claim still holds it: the next claim gets m2.
    assert.equal((await provider.instanceTypes())[0]?.offerings[0]?.price, 0.02);
    // Termination removes the finalizer: the claim is gone and m1 is free (and cheapest) again.
    const current = (await store.get("NodeClaim", "a")) as NodeClaim;
    await store.update({ ...current, metadata: { ...current.metadata, finalizers: [] } });
    assert.equal((await provider.instanceTypes())[0]?.offerings[0]?.price, 0.01);
    assert.equal(log.calls().length, 2);
  });

  it("a claim that records no machine is NotFound, and no hook runs", async () => {
    const log = hookLog();
    const { store, provider } = await cluster(
      [staticClass(machines, { powerOn: log.hook(), powerOff: log.hook() })],
      [claim("a")],
    );
    await assert.rejects(
      provider.delete((await store.get("NodeClaim", "a")) as NodeClaim),
      NodeClaimNotFoundError,
    );
    assert.deepEqual(log.calls(), []);
  });

  it("a claim that is gone from the cluster is NotFound: its old record is not trusted (the machine may be another's now)", async () => {
    const log = hookLog();
    const { store, provider } = await cluster(
      [staticClass(machines, { powerOn: log.hook(), powerOff: log.hook() })],
      [holder("new", "m1")],
    );
    await assert.rejects(provider.delete(holder("old", "m1")), NodeClaimNotFoundError);
    assert.deepEqual(log.calls(), []);
    assert.ok(await store.get("NodeClaim", "new"));
  });

  it("a failing powerOff throws (termination tries again) and the instance is still there", async () => {
    const log = hookLog();
    const { store, provider, launch } = await cluster([
      staticClass(machines, { powerOn: log.hook(), powerOff: failingHook(log.file) }),
    ]);
    const launched = await launch(claim("a"));
    await assert.rejects(provider.delete(launched), (error: unknown) => {
      assert.ok(error instanceof PowerOffFailedError);
      assert.match(error.message, /^switching machine shop\/m1 off failed: powerOff: .*status 3/);
      assert.match(error.message, /\[REDACTED\]/);
      return true;
    });
    assert.deepEqual(
      (await provider.list()).map((c) => c.status?.providerID),
      ["k3s://a"],
    );
    assert.ok(await store.get("NodeClaim", "a"));
  });

  it("powerOff output is redacted of the join token even when the user data can no longer be rendered", async () => {
    const log = hookLog();
    let secretGone = false;
    const render = async (c: NodeClaim) => {
      if (secretGone) throw new Error("Secret kube-system/k3s-token not found");
      return userData(c);
    };
    const { provider, launch } = await cluster(
      [staticClass(machines, { powerOn: log.hook(), powerOff: failingHook(log.file) })],
      [],
      render,
    );
    const launched = await launch(claim("a"));
    secretGone = true;
    await assert.rejects(provider.delete(launched), (error: unknown) => {
      assert.ok(error instanceof PowerOffFailedError);
      assert.match(error.message, /token was \[REDACTED\]/);
      return true;
    });
    assert.deepEqual(
      log.calls().map((c) => c.kind),
      ["PowerOn", "PowerOff"],
    );
  });

  it("a machine its class no longer describes has nothing to switch it off with: NotFound", async () => {
    const log = hookLog();
    const { provider, launch, store } = await cluster([
      staticClass(machines, { powerOn: log.hook(), powerOff: log.hook() }),
    ]);
    const launched = await launch(claim("a"));
    const nodeClass = await store.get("StaticNodeClass", "shop");
    assert.ok(nodeClass);
    await store.update({
      ...nodeClass,
      spec: { ...nodeClass.spec, machines: nodeClass.spec.machines.slice(1) },
    });
    await assert.rejects(provider.delete(launched), NodeClaimNotFoundError);
    assert.equal(log.calls().length, 1);
  });
});

describe("get and list: the claims that record a machine", () => {
  it("only claims holding a machine are instances, as k3s://<claim>; other provider IDs are NotFound", async () => {
    const log = hookLog();
    const { provider } = await cluster(
      [
        staticClass([machine("m1", "cheap", 0.01)], {
          powerOn: log.hook(),
          powerOff: log.hook(),
        }),
      ],
      [claim("plain"), holder("mid-launch", "m1")],
    );
    assert.deepEqual(
      (await provider.list()).map((c) => [c.metadata.name, c.status?.providerID]),
      [["mid-launch", "k3s://mid-launch"]],
    );
    assert.equal((await provider.get("k3s://mid-launch")).metadata.name, "mid-launch");
    for (const id of ["k3s://plain", "k3s://nobody", "aws:///z1/i-1", "k3s://"])
      await assert.rejects(provider.get(id), NodeClaimNotFoundError);
  });
});

describe("isDrifted: the recorded machine against its class now", () => {
  const launchedOn = (m: string, type: string, zone: string): NodeClaim => ({
    ...holder("a", m),
    metadata: {
      ...holder("a", m).metadata,
      labels: { [Labels.instanceType]: type, [Labels.zone]: zone },
    },
  });
  const rows: [string, StaticMachine[] | null, NodeClaim, string | undefined][] = [
    [
      "the machine as launched: no drift",
      [machine("m1", "cheap", 0.01)],
      launchedOn("m1", "cheap", "z1"),
      undefined,
    ],
    [
      "a price change is not drift (it only orders launches)",
      [machine("m1", "cheap", 0.5)],
      launchedOn("m1", "cheap", "z1"),
      undefined,
    ],
    [
      "the machine removed from the class",
      [machine("m2", "cheap", 0.01)],
      launchedOn("m1", "cheap", "z1"),
      "MachineRemoved",
    ],
    ["the whole class removed", null, launchedOn("m1", "cheap", "z1"), "MachineRemoved"],
    [
      "the machine now of another instance type",
      [machine("m1", "dear", 0.01)],
      launchedOn("m1", "cheap", "z1"),
      "MachineChanged",
    ],
    [
      "the machine moved to another zone (rack)",
      [machine("m1", "cheap", 0.01, "z2")],
      launchedOn("m1", "cheap", "z1"),
      "MachineChanged",
    ],
    [
      "a claim that records no machine is not this provider's",
      [machine("m1", "cheap", 0.01)],
      claim("a"),
      undefined,
    ],
  ];
  for (const [rule, machines, launched, expected] of rows) {
    it(`${rule}: ${expected ?? "undefined"}`, async () => {
      const log = hookLog();
      const hooks = { powerOn: log.hook(), powerOff: log.hook() };
      const { provider } = await cluster(machines === null ? [] : [staticClass(machines, hooks)]);
      assert.equal(await provider.isDrifted(launched), expected);
      assert.deepEqual(log.calls(), []);
    });
  }
});
