import assert from "node:assert/strict";
import { it } from "node:test";
import type { NodeClaim } from "../api/nodeclaim.ts";
import type { NodeClassReference } from "../api/nodepool.ts";
import {
  type CloudProvider,
  InsufficientCapacityError,
  NodeClaimNotFoundError,
} from "./cloud-provider.ts";

interface ProviderUnderTest {
  readonly provider: CloudProvider;
  readonly exhaust: (instanceType: string) => void | Promise<void>;
  readonly nodeClassRef?: NodeClassReference;
}

/**
 * The conformance suite every CloudProvider runs (the simulated cloud now; AWS and static
 * inventories when they come): launch what a claim allows, cheapest first; report capacity
 * errors as InsufficientCapacityError; delete once; list and get what runs.
 * `make` gives a provider whose catalog has `cheap` (0.05/h) and `dear` (0.10/h), each offered
 * on-demand in zone `z1`, and `exhaust` makes a type out of capacity; `nodeClassRef`, when given,
 * is a node class the provider serves, which the claims name.
 */
export function cloudProviderContract(
  make: () => ProviderUnderTest | Promise<ProviderUnderTest>,
): void {
  const claim = (
    name: string,
    types: string[],
    nodeClassRef: NodeClassReference = { group: "g", kind: "k", name: "n" },
  ): NodeClaim => ({
    apiVersion: "karpenter.sh/v1",
    kind: "NodeClaim",
    metadata: { name },
    spec: {
      nodeClassRef,
      requirements: [
        { key: "node.kubernetes.io/instance-type", operator: "In", values: types },
        { key: "topology.kubernetes.io/zone", operator: "In", values: ["z1"] },
      ],
    },
  });
  it("create launches the cheapest type the claim allows and says what it got", async () => {
    const { provider, nodeClassRef } = await make();
    const launched = await provider.create(claim("a", ["cheap", "dear"], nodeClassRef));
    assert.equal(launched.metadata.labels?.["node.kubernetes.io/instance-type"], "cheap");
    assert.equal(launched.metadata.labels?.["topology.kubernetes.io/zone"], "z1");
    assert.ok(launched.status?.providerID);
    assert.ok(launched.status?.allocatable?.cpu);
  });
  it("an offering out of capacity is skipped for the next cheapest", async () => {
    const { provider, exhaust, nodeClassRef } = await make();
    await exhaust("cheap");
    const launched = await provider.create(claim("a", ["cheap", "dear"], nodeClassRef));
    assert.equal(launched.metadata.labels?.["node.kubernetes.io/instance-type"], "dear");
  });
  it("no capacity for anything the claim allows is an InsufficientCapacityError naming the offerings", async () => {
    const { provider, exhaust, nodeClassRef } = await make();
    await exhaust("cheap");
    await assert.rejects(provider.create(claim("a", ["cheap"], nodeClassRef)), (error: unknown) => {
      assert.ok(error instanceof InsufficientCapacityError);
      assert.deepEqual(error.offerings, [
        { instanceType: "cheap", zone: "z1", capacityType: "on-demand" },
      ]);
      return true;
    });
  });
  it("get and list show running instances; delete ends them, and a second delete is NotFound", async () => {
    const { provider, nodeClassRef } = await make();
    const launched = await provider.create(claim("a", ["cheap"], nodeClassRef));
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
