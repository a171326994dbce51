import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { instanceType, nodePool, planOf, pod } from "./fixtures.test-helpers.ts";

const rack = (name: string) => ({ group: "carpool.dev", kind: "StaticNodeClass", name });
const machines = (type: string, cls: string, price: number) =>
  instanceType(type, 4, 8, price, {
    zones: ["shop"],
    labels: { "carpool.dev/staticnodeclass": cls },
  });

describe("instance types scoped to their StaticNodeClass (Karpenter's per-NodePool instance types)", () => {
  it("a pool is offered only its own class's machines, even when another class's are cheaper", () => {
    const result = planOf(
      nodePool("a", {}, { nodeClassRef: rack("rack-a") }),
      machines("box-a", "rack-a", 0.5),
      machines("box-b", "rack-b", 0.01),
      pod("p", "1"),
    );
    assert.deepEqual(
      result.nodeClaims.map((c) => [c.nodePool, c.instanceType]),
      [["a", "box-a"]],
    );
  });

  it("a rack's pool is never offered types that are not its machines (a cloud's catalog)", () => {
    const result = planOf(
      nodePool("a", {}, { nodeClassRef: rack("rack-a") }),
      instanceType("cloud-vm", 4, 8, 0.001, { zones: ["shop"] }),
      machines("box-a", "rack-a", 0.5),
      pod("p", "1"),
    );
    assert.equal(result.nodeClaims[0]?.instanceType, "box-a");
  });

  it("a pool of another node class kind is not offered a rack's machines", () => {
    const result = planOf(
      nodePool("k3s"),
      machines("box-a", "rack-a", 0.01),
      instanceType("vm", 4, 8, 0.2),
      pod("p", "1"),
    );
    assert.equal(result.nodeClaims[0]?.instanceType, "vm");
  });
});
