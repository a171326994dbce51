import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NodeClaim } from "../../api/nodeclaim.ts";
import type { StaticNodeClass } from "../../api/staticnodeclass.ts";
import { Labels } from "../../api/wellknown.ts";
import { cloudProviderContract } from "../../ports/cloud-provider.contract.ts";
import {
  type CloudProvider,
  InsufficientCapacityError,
  NodeClassNotReadyError,
} from "../../ports/cloud-provider.ts";
import { ConflictError } from "../../ports/cluster-store.ts";
import { InMemoryClusterStore } from "../../sim/store.ts";
import { StaticCloudProvider } from "./cloud-provider.ts";
import { LaunchFailedError } from "./errors.ts";
import {
  claim,
  cluster,
  failingHook,
  hangingHook,
  holder,
  hookLog,
  joinToken,
  machine,
  nodeClassRef,
  staticClass,
  userData,
} from "./fixtures.test-helpers.ts";
import { StaticKeys } from "./machine-record.ts";

const recorded = (c: NodeClaim | undefined) => c?.metadata.annotations?.[StaticKeys.machine];

describe("CloudProvider contract: the static provider", () => {
  cloudProviderContract(async () => {
    const log = hookLog();
    const nodeClass = staticClass(
      [machine("cheap-1", "cheap", 0.05), machine("dear-1", "dear", 0.1)],
      {
        powerOn: log.hook(),
        powerOff: log.hook(),
      },
    );
    const { store, provider, launch } = await cluster([nodeClass]);
    // The provisioner stores a NodeClaim before lifecycle launches it; the contract's claims are
    // stored the same way, and otherwise go straight to the provider.
    const launching: CloudProvider = {
      create: launch,
      delete: (c) => provider.delete(c),
      get: (id) => provider.get(id),
      list: () => provider.list(),
      instanceTypes: () => provider.instanceTypes(),
      isDrifted: (c) => provider.isDrifted(c),
    };
    // Out of capacity: every machine of the type is held by another claim.
    const exhaust = async (type: string) => {
      for (const m of nodeClass.spec.machines.filter((m) => m.instanceType === type))
        await store.create(holder(`holder-${m.name}`, m.name));
    };
    return { provider: launching, exhaust, nodeClassRef };
  });
});

describe("the static provider launches the cheapest free machine the claim allows", () => {
  const machines = [
    machine("small-b", "cheap", 0.05),
    machine("small-a", "cheap", 0.05),
    machine("small-far", "cheap", 0.04, "z2"),
    machine("big-1", "dear", 0.1),
    machine("gpu-1", "gpu", 0.3),
  ];
  const rows: [string, NodeClaim["spec"]["requirements"], string][] = [
    ["no requirements: the cheapest machine of the class", [], "small-far"],
    [
      "equal prices in one zone: the first by name (deterministic)",
      [{ key: Labels.zone, operator: "In", values: ["z1"] }],
      "small-a",
    ],
    [
      "an instance-type requirement is honoured though dearer",
      [{ key: Labels.instanceType, operator: "In", values: ["dear", "gpu"] }],
      "big-1",
    ],
    [
      "NotIn on the instance type",
      [
        { key: Labels.instanceType, operator: "NotIn", values: ["cheap"] },
        { key: Labels.zone, operator: "In", values: ["z1"] },
      ],
      "big-1",
    ],
    [
      "a custom label only one type carries (Karpenter: a custom key must be defined by the type)",
      [{ key: "example.com/gpu", operator: "In", values: ["true"] }],
      "gpu-1",
    ],
    [
      "the class label selects the class's machines",
      [{ key: StaticKeys.nodeClass, operator: "In", values: ["shop"] }],
      "small-far",
    ],
    [
      "on-demand is what own machines are",
      [{ key: Labels.capacityType, operator: "In", values: ["on-demand"] }],
      "small-far",
    ],
  ];
  for (const [rule, requirements, expected] of rows) {
    it(`${rule}: ${expected}`, async () => {
      const log = hookLog();
      const { store, launch } = await cluster([
        staticClass(machines, { powerOn: log.hook(), powerOff: log.hook() }),
      ]);
      const launched = await launch(claim("a", requirements));
      assert.equal(recorded(launched), `shop/${expected}`);
      assert.equal(recorded(await store.get("NodeClaim", "a")), `shop/${expected}`);
      assert.deepEqual(
        log.calls().map((c) => [c.kind, c.machine.name]),
        [["PowerOn", expected]],
      );
    });
  }

  it("the launched claim says what it got: k3s://<claim>, capacity, allocatable, labels", async () => {
    const log = hookLog();
    const { launch } = await cluster([
      staticClass(machines, { powerOn: log.hook(), powerOff: log.hook() }),
    ]);
    const launched = await launch(
      claim("general-x1", [{ key: "karpenter.sh/nodepool", operator: "In", values: ["general"] }], {
        labels: { team: "shop" },
      }),
    );
    assert.equal(launched.status?.providerID, "k3s://general-x1");
    assert.deepEqual(launched.status?.capacity, { cpu: "2", memory: "4Gi", pods: "110" });
    assert.deepEqual(launched.status?.allocatable, { cpu: "2", memory: "3996Mi", pods: "110" });
    assert.deepEqual(launched.metadata.labels, {
      team: "shop",
      "karpenter.sh/nodepool": "general",
      "kubernetes.io/os": "linux",
      "node.kubernetes.io/instance-type": "cheap",
      "carpool.dev/staticnodeclass": "shop",
      "topology.kubernetes.io/zone": "z2",
      "karpenter.sh/capacity-type": "on-demand",
    });
  });

  it("the machine's own labels are on the launched claim", async () => {
    const log = hookLog();
    const { launch } = await cluster([
      staticClass(machines, { powerOn: log.hook(), powerOff: log.hook() }),
    ]);
    const launched = await launch(
      claim("a", [{ key: Labels.instanceType, operator: "In", values: ["gpu"] }]),
    );
    assert.equal(launched.metadata.labels?.["example.com/gpu"], "true");
  });

  it("powerOn gets the whole document: machine, claim, class and the user data", async () => {
    const log = hookLog();
    const { launch } = await cluster([
      staticClass([machine("box-1", "cheap", 0.05, "z1", { labels: { rack: "r1" } })], {
        powerOn: log.hook(),
        powerOff: log.hook(),
      }),
    ]);
    await launch({
      ...claim("a", [], { labels: { team: "shop" } }),
      spec: {
        nodeClassRef,
        requirements: [],
        taints: [{ key: "example.com/camera", value: "true", effect: "NoSchedule" }],
      },
    });
    assert.deepEqual(log.calls(), [
      {
        apiVersion: "carpool.dev/hooks/v1",
        kind: "PowerOn",
        machine: {
          name: "box-1",
          address: "10.0.0.5",
          zone: "z1",
          instanceType: "cheap",
          labels: { rack: "r1" },
        },
        nodeClaim: {
          name: "a",
          labels: {
            team: "shop",
            "kubernetes.io/os": "linux",
            rack: "r1",
            "node.kubernetes.io/instance-type": "cheap",
            "carpool.dev/staticnodeclass": "shop",
            "topology.kubernetes.io/zone": "z1",
            "karpenter.sh/capacity-type": "on-demand",
          },
          taints: [{ key: "example.com/camera", value: "true", effect: "NoSchedule" }],
        },
        nodeClass: "shop",
        userData: { format: "shell", content: (await userData(claim("a"))).content },
      },
    ]);
  });

  it("spot is not offered by own machines: an InsufficientCapacityError naming nothing, no hook run", async () => {
    const log = hookLog();
    const { launch } = await cluster([
      staticClass(machines, { powerOn: log.hook(), powerOff: log.hook() }),
    ]);
    await assert.rejects(
      launch(claim("a", [{ key: Labels.capacityType, operator: "In", values: ["spot"] }])),
      (error: unknown) =>
        error instanceof InsufficientCapacityError && error.offerings.length === 0,
    );
    assert.deepEqual(log.calls(), []);
  });
});

describe("a machine another claim holds is never touched", () => {
  const machines = [machine("m1", "cheap", 0.01), machine("m2", "cheap", 0.02)];

  it("held machines are skipped; with all held, an InsufficientCapacityError and no hook call at all", async () => {
    const log = hookLog();
    const { store, launch } = await cluster(
      [staticClass(machines, { powerOn: log.hook(), powerOff: log.hook() })],
      [holder("other", "m1")],
    );
    assert.equal(recorded(await launch(claim("a"))), "shop/m2");
    await assert.rejects(launch(claim("b")), (error: unknown) => {
      assert.ok(error instanceof InsufficientCapacityError);
      assert.deepEqual(error.offerings, [
        { instanceType: "cheap", zone: "z1", capacityType: "on-demand" },
      ]);
      return true;
    });
    assert.deepEqual(
      log.calls().map((c) => [c.kind, c.machine.name]),
      [["PowerOn", "m2"]],
    );
    assert.equal(recorded(await store.get("NodeClaim", "b")), undefined);
  });

  it("a claim being deleted holds its machine until it is gone", async () => {
    const log = hookLog();
    const deleting = {
      ...holder("old", "m1"),
      metadata: { ...holder("old", "m1").metadata, finalizers: ["karpenter.sh/termination"] },
    };
    const { store, launch } = await cluster(
      [staticClass(machines, { powerOn: log.hook(), powerOff: log.hook() })],
      [deleting],
    );
    await store.delete({ kind: "NodeClaim", name: "old" });
    assert.ok((await store.get("NodeClaim", "old"))?.metadata.deletionTimestamp);
    assert.equal(recorded(await launch(claim("a"))), "shop/m2");
    assert.deepEqual(
      log.calls().map((c) => c.machine.name),
      ["m2"],
    );
  });

  it("two claims launched one after the other get two machines", async () => {
    const log = hookLog();
    const { launch } = await cluster([
      staticClass(machines, { powerOn: log.hook(), powerOff: log.hook() }),
    ]);
    assert.equal(recorded(await launch(claim("a"))), "shop/m1");
    assert.equal(recorded(await launch(claim("b"))), "shop/m2");
    await assert.rejects(launch(claim("c")), InsufficientCapacityError);
  });

  it("two claims launched at once get two machines (choosing is one launch at a time)", async () => {
    const log = hookLog();
    const { launch } = await cluster([
      staticClass(machines, { powerOn: log.hook(), powerOff: log.hook() }),
    ]);
    const launched = await Promise.all([launch(claim("a")), launch(claim("b"))]);
    assert.deepEqual(launched.map(recorded).sort(), ["shop/m1", "shop/m2"]);
    assert.deepEqual(
      log
        .calls()
        .map((c) => c.machine.name)
        .sort(),
      ["m1", "m2"],
    );
  });

  it("a launch of a stale copy of a claim another launch recorded conflicts, re-reads and keeps that machine", async () => {
    const log = hookLog();
    const { store, provider } = await cluster([
      staticClass(machines, { powerOn: log.hook(), powerOff: log.hook() }),
    ]);
    const stale = await store.create(claim("a"));
    await provider.create(stale);
    const again = await provider.create(stale);
    assert.equal(recorded(again), "shop/m1");
    assert.equal(
      again.metadata.resourceVersion,
      (await store.get("NodeClaim", "a"))?.metadata.resourceVersion,
    );
    assert.deepEqual(
      log.calls().map((c) => c.machine.name),
      ["m1", "m1"],
    );
  });

  it("a stale claim changed otherwise (labels) is read again and launched once", async () => {
    const log = hookLog();
    const { store, provider } = await cluster([
      staticClass(machines, { powerOn: log.hook(), powerOff: log.hook() }),
    ]);
    const stale = await store.create(claim("a"));
    await store.update({ ...stale, metadata: { ...stale.metadata, labels: { team: "x" } } });
    const launched = await provider.create(stale);
    assert.equal(launched.metadata.labels?.team, "x");
    assert.equal(recorded(await store.get("NodeClaim", "a")), "shop/m1");
  });

  it("a claim that keeps conflicting is not launched: the ConflictError, no hook call, nothing recorded", async () => {
    const log = hookLog();
    const store = new (class extends InMemoryClusterStore {
      override async update<T extends Parameters<InMemoryClusterStore["update"]>[0]>(object: T) {
        if (object.kind === "NodeClaim") throw new ConflictError("NodeClaim/a");
        return super.update(object);
      }
    })(() => new Date(0));
    await store.create(staticClass(machines, { powerOn: log.hook(), powerOff: log.hook() }));
    const stored = await store.create(claim("a"));
    const provider = new StaticCloudProvider({
      store,
      clock: { now: () => new Date(0) },
      userData,
    });
    await assert.rejects(provider.create(stored), ConflictError);
    assert.deepEqual(log.calls(), []);
    assert.equal(recorded(await store.get("NodeClaim", "a")), undefined);
  });
});

describe("a launch that restarts after recording its machine", () => {
  it("switches on the machine it recorded — not a cheaper one, and no other", async () => {
    const log = hookLog();
    const { store, launch } = await cluster(
      [
        staticClass([machine("m1", "cheap", 0.01), machine("m2", "dear", 0.5)], {
          powerOn: log.hook(),
          powerOff: log.hook(),
        }),
      ],
      [holder("a", "m2")],
    );
    const launched = await launch((await store.get("NodeClaim", "a")) as NodeClaim);
    assert.equal(recorded(launched), "shop/m2");
    assert.equal(launched.metadata.labels?.[Labels.instanceType], "dear");
    assert.equal(launched.status?.providerID, "k3s://a");
    assert.deepEqual(
      log.calls().map((c) => [c.kind, c.machine.name]),
      [["PowerOn", "m2"]],
    );
  });

  it("a recorded machine the class no longer describes is replaced by a free one", async () => {
    const log = hookLog();
    const { launch } = await cluster(
      [staticClass([machine("m1", "cheap", 0.01)], { powerOn: log.hook(), powerOff: log.hook() })],
      [holder("a", "gone")],
    );
    assert.equal(recorded(await launch(claim("a"))), "shop/m1");
  });

  it("a machine recorded by two claims is not switched on for either", async () => {
    const log = hookLog();
    const { launch } = await cluster(
      [staticClass([machine("m1", "cheap", 0.01)], { powerOn: log.hook(), powerOff: log.hook() })],
      [holder("a", "m1"), holder("b", "m1")],
    );
    await assert.rejects(launch(claim("a")), /recorded by NodeClaim\/a and NodeClaim\/b/);
    assert.deepEqual(log.calls(), []);
  });
});

describe("a powerOn that fails leaves the machine free, switched off", () => {
  const machines = [machine("m1", "cheap", 0.01), machine("m2", "cheap", 0.02)];

  it("a failing command: LaunchFailedError with its output, the token redacted; powerOff ran; the record is gone", async () => {
    const log = hookLog();
    const { store, provider, launch } = await cluster([
      staticClass(machines, { powerOn: failingHook(log.file), powerOff: log.hook() }),
    ]);
    await assert.rejects(launch(claim("a")), (error: unknown) => {
      assert.ok(error instanceof LaunchFailedError);
      assert.equal(error.reason, "exit");
      assert.equal(error.released, true);
      assert.match(
        error.message,
        /^launch on machine shop\/m1 failed: powerOn: .* exited with status 3: relay stuck; token was \[REDACTED\]$/,
      );
      assert.doesNotMatch(error.message, new RegExp(joinToken));
      return true;
    });
    assert.deepEqual(
      log.calls().map((c) => [c.kind, c.machine.name]),
      [
        ["PowerOn", "m1"],
        ["PowerOff", "m1"],
      ],
    );
    assert.equal(recorded(await store.get("NodeClaim", "a")), undefined);
    const [type] = await provider.instanceTypes();
    assert.deepEqual(type?.offerings, [
      { zone: "z1", capacityType: "on-demand", price: 0.01, available: true },
    ]);
  });

  it("a hanging command is stopped at its 1s timeout and the machine is free again", async () => {
    const log = hookLog();
    const { store, launch } = await cluster([
      staticClass(machines, { powerOn: hangingHook, powerOff: log.hook() }),
    ]);
    await assert.rejects(
      launch(claim("a")),
      (error: unknown) =>
        error instanceof LaunchFailedError &&
        error.reason === "timeout" &&
        /did not finish within 1s/.test(error.message),
    );
    assert.equal(recorded(await store.get("NodeClaim", "a")), undefined);
    assert.deepEqual(
      log.calls().map((c) => [c.kind, c.machine.name]),
      [["PowerOff", "m1"]],
    );
  });

  it("when switching it off fails too, the claim keeps the machine and the error says both", async () => {
    const log = hookLog();
    const { store, launch } = await cluster([
      staticClass(machines, { powerOn: failingHook(log.file), powerOff: failingHook(log.file) }),
    ]);
    await assert.rejects(launch(claim("a")), (error: unknown) => {
      assert.ok(error instanceof LaunchFailedError);
      assert.equal(error.released, false);
      assert.match(
        error.message,
        /switching it off after that failed too, so NodeClaim\/a keeps it/,
      );
      assert.doesNotMatch(error.message, new RegExp(joinToken));
      return true;
    });
    assert.equal(recorded(await store.get("NodeClaim", "a")), "shop/m1");
  });
});

describe("the user data", () => {
  it("is rendered for the claim as launched: its type, zone and the machine's labels", async () => {
    const log = hookLog();
    const seen: Record<string, string>[] = [];
    const { launch } = await cluster(
      [
        staticClass([machine("m1", "gpu", 0.01, "z2")], {
          powerOn: log.hook(),
          powerOff: log.hook(),
        }),
      ],
      [],
      async (c) => {
        seen.push(c.metadata.labels ?? {});
        return userData(c);
      },
    );
    await launch(claim("a", [], { labels: { team: "shop" } }));
    assert.deepEqual(seen, [
      {
        team: "shop",
        "kubernetes.io/os": "linux",
        "example.com/gpu": "true",
        "node.kubernetes.io/instance-type": "gpu",
        "carpool.dev/staticnodeclass": "shop",
        "topology.kubernetes.io/zone": "z2",
        "karpenter.sh/capacity-type": "on-demand",
      },
    ]);
  });

  it("that cannot be rendered fails the launch before any hook runs, and the machine is free again", async () => {
    const log = hookLog();
    const { store, launch } = await cluster(
      [staticClass([machine("m1", "cheap", 0.01)], { powerOn: log.hook(), powerOff: log.hook() })],
      [],
      async () => {
        throw new Error("Secret kube-system/k3s-token not found");
      },
    );
    await assert.rejects(launch(claim("a")), /k3s-token not found/);
    assert.equal(recorded(await store.get("NodeClaim", "a")), undefined);
    assert.deepEqual(log.calls(), []);
  });

  it("that cannot be rendered for a launch that restarted keeps its machine (an earlier powerOn may have run)", async () => {
    const log = hookLog();
    const { store, launch } = await cluster(
      [staticClass([machine("m1", "cheap", 0.01)], { powerOn: log.hook(), powerOff: log.hook() })],
      [holder("a", "m1")],
      async () => {
        throw new Error("Secret kube-system/k3s-token not found");
      },
    );
    await assert.rejects(launch(claim("a")), /k3s-token not found/);
    assert.equal(recorded(await store.get("NodeClaim", "a")), "shop/m1");
    assert.deepEqual(log.calls(), []);
  });
});

describe("the static provider refuses claims whose node class cannot launch", () => {
  const good = (hooks: {
    powerOn: StaticNodeClass["spec"]["powerOn"];
    powerOff: StaticNodeClass["spec"]["powerOff"];
  }) => staticClass([machine("m1", "cheap", 0.01)], hooks);
  const rows: [
    string,
    (c: StaticNodeClass) => StaticNodeClass | null,
    NodeClaim["spec"]["nodeClassRef"],
    RegExp,
  ][] = [
    [
      "a missing StaticNodeClass",
      () => null,
      nodeClassRef,
      /StaticNodeClass\/shop is not ready: not found/,
    ],
    [
      "a node class of another provider",
      (c) => c,
      { group: "carpool.dev", kind: "KwokNodeClass", name: "shop" },
      /KwokNodeClass\/shop is not ready: the static provider serves StaticNodeClass/,
    ],
    [
      "a class whose Ready is False",
      (c) => ({
        ...c,
        status: { conditions: [{ type: "Ready", status: "False", reason: "HooksMissing" }] },
      }),
      nodeClassRef,
      /is not ready: Ready is False \(HooksMissing\)/,
    ],
    [
      "a class breaking a rule the schema does not check (two machines of one name)",
      (c) => ({ ...c, spec: { ...c.spec, machines: [...c.spec.machines, ...c.spec.machines] } }),
      nodeClassRef,
      /is not ready: spec\.machines\[1\]\.name: m1 is also spec\.machines\[0\]/,
    ],
  ];
  for (const [rule, make, ref, message] of rows) {
    it(`${rule}: NodeClassNotReadyError, no hook call, nothing recorded`, async () => {
      const log = hookLog();
      const nodeClass = make(good({ powerOn: log.hook(), powerOff: log.hook() }));
      const { store, launch } = await cluster(nodeClass === null ? [] : [nodeClass]);
      await assert.rejects(
        launch({ ...claim("a"), spec: { nodeClassRef: ref, requirements: [] } }),
        (error: unknown) => {
          assert.ok(error instanceof NodeClassNotReadyError);
          assert.match(error.message, message);
          return true;
        },
      );
      assert.deepEqual(log.calls(), []);
      assert.equal(recorded(await store.get("NodeClaim", "a")), undefined);
    });
  }
});
