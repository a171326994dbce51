import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NodeClaim } from "../../../api/nodeclaim.ts";
import { Labels } from "../../../api/wellknown.ts";
import { InMemoryClusterStore } from "../../../sim/store.ts";
import { CapacityBlockExpirationController } from "./capacity-block-expiration.ts";
import { CapacityReservations } from "./capacity-reservations.ts";
import { fakeEc2 } from "./fake-world.test-helpers.ts";
import { ReservedCapacityTypeController } from "./reserved-capacity-type.ts";
import { TestClock } from "./scripted-client.test-helpers.ts";

const claim = (name: string, labels: Record<string, string>, providerID?: string): NodeClaim => ({
  apiVersion: "karpenter.sh/v1",
  kind: "NodeClaim",
  metadata: { name, labels },
  spec: {
    nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" },
    requirements: [],
  },
  ...(providerID !== undefined && { status: { providerID } }),
});
const inReservation = (id: string) => ({
  [Labels.capacityType]: "reserved",
  [Labels.awsCapacityReservationID]: id,
});

describe("capacity block expiration (controllers/capacityreservation/expiration)", () => {
  it("deletes the NodeClaims of a capacity block 40 minutes before its end; other reservations' claims stay", async () => {
    const clock = new TestClock("2026-05-01T00:00:00Z");
    const ec2 = fakeEc2({
      reservations: [
        {
          id: "cr-block",
          instanceType: "p5.48xlarge",
          zone: "us-west-2a",
          available: 0,
          type: "capacity-block",
          end: "2026-05-01T01:00:00Z",
        },
        { id: "cr-odcr", instanceType: "m5.large", zone: "us-west-2a", available: 1 },
      ],
    });
    const store = new InMemoryClusterStore(() => clock.now());
    await store.create(claim("gpu-1", inReservation("cr-block")));
    await store.create(claim("web-1", inReservation("cr-odcr")));
    await store.create(claim("web-2", { [Labels.capacityType]: "on-demand" }));
    const controller = new CapacityBlockExpirationController({
      store,
      clock,
      reservations: new CapacityReservations(ec2, clock),
    });
    await controller.reconcile();
    assert.equal((await store.list("NodeClaim")).length, 3, "21 minutes early: nothing yet");
    clock.advance(21 * 60_000);
    await controller.reconcile();
    assert.deepEqual((await store.list("NodeClaim")).map((c) => c.metadata.name).sort(), [
      "web-1",
      "web-2",
    ]);
    assert.deepEqual(
      ec2.sent.map((s) => s.input.CapacityReservationIds),
      [["cr-block"], ["cr-odcr"], ["cr-block"], ["cr-odcr"]],
      "asks only for the reservations claims are in, by ID, each pass past the minute's cache",
    );
  });
});

describe("reserved capacity type demotion (controllers/capacityreservation/capacitytype)", () => {
  it("a reserved NodeClaim whose instance EC2 now calls on-demand becomes on-demand without its reservation ID, and its registered Node too", async () => {
    const store = new InMemoryClusterStore(() => new Date("2026-05-01T00:00:00Z"));
    const ended = "aws:///us-west-2a/i-0ended";
    const still = "aws:///us-west-2a/i-0still";
    await store.create(claim("a", inReservation("cr-1"), ended));
    await store.create(claim("b", inReservation("cr-2"), still));
    await store.create({
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name: "node-a",
        labels: { ...inReservation("cr-1"), [Labels.registered]: "true" },
      },
      spec: { providerID: ended },
    } as never);
    const cloud = {
      list: async () => [
        claim("a", { [Labels.capacityType]: "on-demand" }, ended),
        claim("b", inReservation("cr-2"), still),
      ],
    };
    await new ReservedCapacityTypeController({ store, cloud, clock: new TestClock() }).reconcile();
    const a = await store.get("NodeClaim", "a");
    assert.equal(a?.metadata.labels?.[Labels.capacityType], "on-demand");
    assert.equal(a?.metadata.labels?.[Labels.awsCapacityReservationID], undefined);
    const b = await store.get("NodeClaim", "b");
    assert.equal(b?.metadata.labels?.[Labels.capacityType], "reserved", "still in its reservation");
    const node = await store.get("Node", "node-a");
    assert.equal(node?.metadata.labels?.[Labels.capacityType], "on-demand");
    assert.equal(node?.metadata.labels?.[Labels.awsCapacityReservationID], undefined);
  });

  it("an unregistered Node is left to registration, which copies the claim's labels", async () => {
    const store = new InMemoryClusterStore(() => new Date("2026-05-01T00:00:00Z"));
    const id = "aws:///us-west-2a/i-0new";
    await store.create(claim("a", inReservation("cr-1"), id));
    await store.create({
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "node-a", labels: inReservation("cr-1") },
      spec: { providerID: id },
    } as never);
    const cloud = { list: async () => [claim("a", { [Labels.capacityType]: "on-demand" }, id)] };
    await new ReservedCapacityTypeController({ store, cloud, clock: new TestClock() }).reconcile();
    assert.equal(
      (await store.get("NodeClaim", "a"))?.metadata.labels?.[Labels.capacityType],
      "on-demand",
    );
    assert.equal(
      (await store.get("Node", "node-a"))?.metadata.labels?.[Labels.capacityType],
      "reserved",
    );
  });
});

describe("reserved capacity type checks", () => {
  it("list the instances at most once a minute, and not at all without reserved claims", async () => {
    const clock = new TestClock();
    const store = new InMemoryClusterStore(() => clock.now());
    let listed = 0;
    const cloud = {
      list: async () => {
        listed += 1;
        return [];
      },
    };
    const controller = new ReservedCapacityTypeController({ store, cloud, clock });
    await controller.reconcile();
    assert.equal(listed, 0);
    await store.create(claim("a", inReservation("cr-1"), "aws:///us-west-2a/i-0a"));
    await controller.reconcile();
    await controller.reconcile();
    assert.equal(listed, 1);
    clock.advance(60_000);
    await controller.reconcile();
    assert.equal(listed, 2);
  });
});
