import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CapacityReservations,
  type CapacityReservationTerm,
  describeReservationsInput,
  reservationQueries,
  reservationStatus,
} from "./capacity-reservations.ts";
import { type FakeReservation, fakeEc2 } from "./fake-world.test-helpers.ts";
import { awsError, TestClock } from "./scripted-client.test-helpers.ts";

describe("capacity reservation queries (karpenter-provider-aws capacityreservation QueriesFromSelectorTerms)", () => {
  const cases: { name: string; terms: CapacityReservationTerm[]; want: object[] }[] = [
    {
      name: "an id term is a query by ID alone",
      terms: [{ id: "cr-1" }],
      want: [{ kind: "id", id: "cr-1" }],
    },
    {
      name: "tags with an owner are one filter query",
      terms: [{ tags: { team: "a" }, ownerID: "111122223333" }],
      want: [{ kind: "filters", ownerID: "111122223333", tags: { team: "a" } }],
    },
    {
      name: "instanceMatchCriteria alone is a query",
      terms: [{ instanceMatchCriteria: "open" }],
      want: [{ kind: "filters", instanceMatchCriteria: "open" }],
    },
    {
      name: "an ownerID alone selects nothing (no query)",
      terms: [{ ownerID: "111122223333" }],
      want: [],
    },
    {
      name: "terms are ORed: one query each, in order",
      terms: [{ id: "cr-2" }, { tags: { x: "*" } }],
      want: [
        { kind: "id", id: "cr-2" },
        { kind: "filters", tags: { x: "*" } },
      ],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(reservationQueries(c.terms), c.want));

  it("asks for active reservations only; by ID without MaxResults, by filters with 1000 a page", () => {
    assert.deepEqual(describeReservationsInput({ kind: "id", id: "cr-1" }), {
      Filters: [{ Name: "state", Values: ["active"] }],
      CapacityReservationIds: ["cr-1"],
    });
    assert.deepEqual(
      describeReservationsInput({
        kind: "filters",
        ownerID: "111122223333",
        tags: { team: "a", any: "*" },
        instanceMatchCriteria: "targeted",
      }),
      {
        Filters: [
          { Name: "state", Values: ["active"] },
          { Name: "owner-id", Values: ["111122223333"] },
          { Name: "tag-key", Values: ["any"] },
          { Name: "tag:team", Values: ["a"] },
          { Name: "instance-match-criteria", Values: ["targeted"] },
        ],
        MaxResults: 1000,
      },
    );
  });
});

describe("a reservation as status records it (ec2nodeclass_status.go CapacityReservationFromEC2)", () => {
  const now = new Date("2026-05-01T00:00:00Z");
  const base = {
    CapacityReservationId: "cr-1",
    AvailabilityZone: "us-west-2a",
    InstanceType: "m5.large",
    OwnerId: "111122223333",
    InstanceMatchCriteria: "targeted" as const,
  };
  const cases: { name: string; reservation: object; want: object }[] = [
    {
      name: "no reservation type is default; active",
      reservation: base,
      want: {
        availabilityZone: "us-west-2a",
        id: "cr-1",
        instanceMatchCriteria: "targeted",
        instanceType: "m5.large",
        ownerID: "111122223333",
        reservationType: "default",
        state: "active",
      },
    },
    {
      name: "a capacity block within 40 minutes of its end is expiring",
      reservation: {
        ...base,
        ReservationType: "capacity-block",
        EndDate: new Date("2026-05-01T00:39:00Z"),
      },
      want: { state: "expiring", reservationType: "capacity-block" },
    },
    {
      name: "a capacity block further from its end is active",
      reservation: {
        ...base,
        ReservationType: "capacity-block",
        EndDate: new Date("2026-05-01T00:41:00Z"),
      },
      want: { state: "active", endTime: "2026-05-01T00:41:00.000Z" },
    },
    {
      name: "a default reservation near its end stays active (only capacity blocks expire early)",
      reservation: { ...base, EndDate: new Date("2026-05-01T00:10:00Z") },
      want: { state: "active" },
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const got = reservationStatus(c.reservation as never, now);
      assert.ok(got.ok);
      assert.deepEqual({ ...got.status, ...c.want }, got.status);
    });
  it("an unknown match criteria or reservation type is refused, not guessed at", () => {
    const criteria = reservationStatus({ ...base, InstanceMatchCriteria: "new" as never }, now);
    const type = reservationStatus({ ...base, ReservationType: "future" as never }, now);
    assert.deepEqual(
      [criteria.ok, type.ok],
      [false, false],
      "Karpenter guards against EC2 adding kinds it cannot launch into",
    );
  });
});

describe("CapacityReservations (karpenter-provider-aws capacityreservation provider)", () => {
  const reservations: FakeReservation[] = [
    { id: "cr-a", instanceType: "m5.large", zone: "us-west-2a", available: 3, tags: { t: "x" } },
    {
      id: "cr-b",
      instanceType: "m5.large",
      zone: "us-west-2b",
      available: 1,
      tags: { t: "x" },
      interruptible: true,
    },
    { id: "cr-c", instanceType: "c5.large", zone: "us-west-2a", available: 2, state: "expired" },
    {
      id: "cr-d",
      instanceType: "p5.48xlarge",
      zone: "us-west-2a",
      available: 1,
      type: "capacity-block",
      end: "2026-04-30T00:00:00Z",
      tags: { t: "x" },
    },
  ];

  it("selects by tags and by ID, each once; inactive and ended reservations are left out", async () => {
    const clock = new TestClock();
    const provider = new CapacityReservations(fakeEc2({ reservations }), clock);
    const got = await provider.list([{ tags: { t: "x" } }, { id: "cr-a" }, { id: "cr-c" }]);
    assert.deepEqual(
      got.map((r) => r.CapacityReservationId),
      ["cr-a", "cr-b"],
    );
  });

  it("an ID EC2 does not know selects nothing (Karpenter ignores NotFound for an ID query)", async () => {
    const provider = new CapacityReservations(fakeEc2({ reservations }), new TestClock());
    assert.deepEqual(await provider.list([{ id: "cr-zzz" }]), []);
  });

  it("another error fails the listing", async () => {
    const ec2 = fakeEc2({ reservations });
    ec2.handlers.DescribeCapacityReservationsCommand = () => {
      throw awsError("UnauthorizedOperation", "not allowed", 403);
    };
    const provider = new CapacityReservations(ec2, new TestClock());
    await assert.rejects(provider.list([{ id: "cr-a" }]), /not allowed/);
  });

  it("keeps each query's answer a minute; no terms ask nothing", async () => {
    const clock = new TestClock();
    const ec2 = fakeEc2({ reservations });
    const provider = new CapacityReservations(ec2, clock);
    await provider.list([]);
    assert.equal(ec2.count("DescribeCapacityReservationsCommand"), 0);
    await provider.list([{ id: "cr-a" }]);
    clock.advance(59_000);
    await provider.list([{ id: "cr-a" }]);
    assert.equal(ec2.count("DescribeCapacityReservationsCommand"), 1);
    clock.advance(2_000);
    await provider.list([{ id: "cr-a" }]);
    assert.equal(ec2.count("DescribeCapacityReservationsCommand"), 2);
  });

  it("counts: EC2's AvailableInstanceCount at sync; launches take one (never below 0), a capacity error zeroes, a termination gives one back", async () => {
    const provider = new CapacityReservations(fakeEc2({ reservations }), new TestClock());
    assert.equal(provider.availableCount("cr-a"), 0, "unknown until synced");
    await provider.list([{ tags: { t: "x" } }]);
    assert.equal(provider.availableCount("cr-a"), 3);
    assert.equal(provider.interruptible("cr-b"), true);
    assert.equal(provider.interruptible("cr-a"), false);
    provider.markLaunched("cr-b");
    provider.markLaunched("cr-b");
    assert.equal(provider.availableCount("cr-b"), 0);
    provider.markUnavailable("cr-a");
    assert.equal(provider.availableCount("cr-a"), 0);
    provider.markTerminated("cr-a");
    assert.equal(provider.availableCount("cr-a"), 1);
  });
});
