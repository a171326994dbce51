import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Labels } from "../../api/wellknown.ts";
import { claim, cluster, holder, hookLog, machine, staticClass } from "./fixtures.test-helpers.ts";
import { classInstanceTypes, kubeletReserve } from "./instance-types.ts";

const mebi = 1024 * 1024;
const gibi = 1024 * mebi;
const hooks = () => {
  const log = hookLog();
  return { powerOn: log.hook(), powerOff: log.hook() };
};

describe("instance types from a class's machines", () => {
  const machines = [
    machine("a-1", "cheap", 0.03, "rack-a"),
    machine("a-2", "cheap", 0.02, "rack-a"),
    machine("b-1", "cheap", 0.05, "rack-b"),
    machine("g-1", "gpu", 0.3, "rack-b"),
  ];

  it("one type per instanceType name: the machines' shape and labels, the class label, an offering per zone", () => {
    const types = classInstanceTypes(staticClass(machines, hooks()), new Set());
    assert.deepEqual(
      types.map((t) => t.name),
      ["cheap", "gpu"],
    );
    const [cheap, gpu] = types;
    assert.deepEqual(cheap?.capacity, { pods: 110, cpu: 2000, memory: 4 * gibi });
    assert.deepEqual(cheap?.allocatable, { pods: 110, cpu: 2000, memory: 4 * gibi - 100 * mebi });
    assert.deepEqual(cheap?.labels, {
      [Labels.os]: "linux",
      [Labels.instanceType]: "cheap",
      "carpool.dev/staticnodeclass": "shop",
    });
    assert.deepEqual(cheap?.offerings, [
      { zone: "rack-a", capacityType: "on-demand", price: 0.02, available: true },
      { zone: "rack-b", capacityType: "on-demand", price: 0.05, available: true },
    ]);
    assert.equal(gpu?.labels["example.com/gpu"], "true");
    assert.equal(gpu?.capacity["nvidia.com/gpu"], 1);
  });

  it("a zone's price is its cheapest free machine; with none free it is unavailable at its cheapest", () => {
    const [cheap] = classInstanceTypes(
      staticClass(machines, hooks()),
      new Set(["shop/a-2", "shop/b-1"]),
    );
    assert.deepEqual(cheap?.offerings, [
      { zone: "rack-a", capacityType: "on-demand", price: 0.03, available: true },
      { zone: "rack-b", capacityType: "on-demand", price: 0.05, available: false },
    ]);
  });

  it("machines held in another class do not count against this one", () => {
    const [cheap] = classInstanceTypes(staticClass(machines, hooks()), new Set(["other/a-2"]));
    assert.equal(cheap?.offerings[0]?.price, 0.02);
  });

  it("the kubelet reserve: its hard eviction thresholds only (memory.available 100Mi, nodefs 10%), as k3s reserves nothing else", () => {
    assert.deepEqual(
      kubeletReserve({ cpu: 4000, memory: 8 * gibi, "ephemeral-storage": 100 * gibi }),
      {
        memory: 100 * mebi,
        "ephemeral-storage": 10 * gibi,
      },
    );
    assert.deepEqual(kubeletReserve({ cpu: 1000 }), {});
  });

  it("a machine's own pod capacity wins over the kubelet default", () => {
    const [type] = classInstanceTypes(
      staticClass(
        [machine("p", "pi", 0.01, "z1", { capacity: { cpu: "4", memory: "8Gi", pods: "50" } })],
        hooks(),
      ),
      new Set(),
    );
    assert.equal(type?.capacity.pods, 50);
  });
});

describe("the provider's instance types follow what is taken", () => {
  it("every ready class, availability as claims hold and release machines", async () => {
    const { store, provider, launch } = await cluster([
      staticClass([machine("m1", "cheap", 0.01), machine("m2", "cheap", 0.02)], hooks()),
    ]);
    const offering = async () => (await provider.instanceTypes())[0]?.offerings[0];
    assert.deepEqual(await offering(), {
      zone: "z1",
      capacityType: "on-demand",
      price: 0.01,
      available: true,
    });
    await launch(claim("a"));
    assert.equal((await offering())?.price, 0.02);
    await store.create(holder("b", "m2"));
    assert.equal((await offering())?.available, false);
    await store.delete({ kind: "NodeClaim", name: "a" });
    assert.deepEqual(await offering(), {
      zone: "z1",
      capacityType: "on-demand",
      price: 0.01,
      available: true,
    });
  });

  it("classes that cannot launch offer nothing; a type name two classes use is the first class's", async () => {
    const broken = staticClass(
      [machine("x", "cheap", 0.01), machine("x", "cheap", 0.01)],
      hooks(),
      "broken",
    );
    const { provider } = await cluster([
      staticClass([machine("m1", "shared", 0.5)], hooks(), "b-shop"),
      staticClass([machine("m1", "shared", 0.1), machine("m2", "own", 0.1)], hooks(), "a-shop"),
      broken,
    ]);
    const types = await provider.instanceTypes();
    assert.deepEqual(
      types.map((t) => [t.name, t.labels["carpool.dev/staticnodeclass"], t.offerings[0]?.price]),
      [
        ["own", "a-shop", 0.1],
        ["shared", "a-shop", 0.1],
      ],
    );
  });
});
