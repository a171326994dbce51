import assert from "node:assert/strict";
import { it } from "node:test";
import type { NodeClaim } from "../api/nodeclaim.ts";
import {
  type CloudProvider,
  InsufficientCapacityError,
  NodeClaimNotFoundError,
} from "./cloud-provider.ts";

/**
 * The conformance suite every CloudProvider runs (the simulated cloud now; AWS and static
 * inventories when they come): launch what a claim allows, cheapest first; report capacity
 * errors as InsufficientCapacityError; delete once; list and get what runs.
 * `make` gives a provider whose catalog has `cheap` (0.05/h) and `dear` (0.10/h), each offered
 * on-demand in zone `z1`, and `exhaust` makes `cheap` out of capacity.
 */
export function cloudProviderContract(
  make: () => { provider: CloudProvider; exhaust: (instanceType: string) => void },
): void {
  const claim = (name: string, types: string[]): NodeClaim => ({
    apiVersion: "karpenter.sh/v1",
    kind: "NodeClaim",
    metadata: { name },
    spec: {
      nodeClassRef: { group: "g", kind: "k", name: "n" },
      requirements: [
        { key: "node.kubernetes.io/instance-type", operator: "In", values: types },
        { key: "topology.kubernetes.io/zone", operator: "In", values: ["z1"] },
      ],
    },
  });
  it("create launches the cheapest type the claim allows and says what it got", async () => {
    const { provider } = make();
    const launched = await provider.create(claim("a", ["cheap", "dear"]));
    assert.equal(launched.metadata.labels?.["node.kubernetes.io/instance-type"], "cheap");
    assert.equal(launched.metadata.labels?.["topology.kubernetes.io/zone"], "z1");
    assert.ok(launched.status?.providerID);
    assert.ok(launched.status?.allocatable?.cpu);
  });
  it("an offering out of capacity is skipped for the next cheapest", async () => {
    const { provider, exhaust } = make();
    exhaust("cheap");
    const launched = await provider.create(claim("a", ["cheap", "dear"]));
    assert.equal(launched.metadata.labels?.["node.kubernetes.io/instance-type"], "dear");
  });
  it("no capacity for anything the claim allows is an InsufficientCapacityError naming the offerings", async () => {
    const { provider, exhaust } = make();
    exhaust("cheap");
    await assert.rejects(provider.create(claim("a", ["cheap"])), (error: unknown) => {
      assert.ok(error instanceof InsufficientCapacityError);
      assert.deepEqual(error.offerings, [
        { instanceType: "cheap", zone: "z1", capacityType: "on-demand" },
      ]);
      return true;
    });
  });
  it("get and list show running instances; delete ends them, and a second delete is NotFound", async () => {
    const { provider } = make();
    const launched = await provider.create(claim("a", ["cheap"]));
    const id = launched.status?.providerID ?? "";
    assert.equal((await provider.get(id)).metadata.name, "a");
    assert.deepEqual(
      (await provider.list()).map((c) => c.status?.providerID),
      [id],
    );
    await provider.delete(launched);
    assert.deepEqual(await provider.list(), []);
    await assert.rejects(provider.delete(launched), NodeClaimNotFoundError);
    await assert.rejects(provider.get(id), NodeClaimNotFoundError);
  });
}
