import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NodeClaim } from "../../../api/nodeclaim.ts";
import type { EC2NodeClass } from "../../../api/nodeclass.ts";
import type { RecordedEvent } from "../../../ports/event-recorder.ts";
import { InMemoryClusterStore } from "../../../sim/store.ts";
import { EC2NodeClassController, TerminationFinalizer } from "./controller.ts";
import { fakeEc2, fakeIam, fakeSsm } from "./fake-world.test-helpers.ts";
import { instanceProfileName } from "./instance-profile.ts";
import { awsError, TestClock } from "./scripted-client.test-helpers.ts";

const ssmBase = "/aws/service/eks/optimized-ami/1.36/amazon-linux-2023";
const world = () => ({
  ec2: fakeEc2({
    subnets: [
      {
        id: "subnet-a",
        zone: "us-west-2a",
        zoneId: "usw2-az2",
        freeIps: 10,
        tags: { "karpenter.sh/discovery": "c1" },
      },
      {
        id: "subnet-b",
        zone: "us-west-2b",
        zoneId: "usw2-az1",
        freeIps: 50,
        tags: { "karpenter.sh/discovery": "c1" },
      },
    ],
    groups: [{ id: "sg-1", name: "nodes", tags: { "karpenter.sh/discovery": "c1" } }],
    reservations: [
      {
        id: "cr-b",
        instanceType: "m5.large",
        zone: "us-west-2b",
        available: 2,
        tags: { team: "a" },
        type: "capacity-block",
        end: "2026-05-01T06:00:00Z",
      },
      {
        id: "cr-a",
        instanceType: "m5.large",
        zone: "us-west-2a",
        available: 1,
        tags: { team: "a" },
      },
      {
        id: "cr-x",
        instanceType: "m5.large",
        zone: "us-west-2a",
        available: 1,
        tags: { team: "a" },
        criteria: "some-new-kind",
      },
    ],
    images: [
      {
        id: "ami-std",
        name: "al2023-x86",
        arch: "x86_64",
        created: "2026-04-01T00:00:00Z",
        owner: "amazon",
      },
      {
        id: "ami-arm",
        name: "al2023-arm",
        arch: "arm64",
        created: "2026-04-01T00:00:00Z",
        owner: "amazon",
      },
    ],
  }),
  ssm: fakeSsm({
    [`${ssmBase}/x86_64/standard/recommended/image_id`]: "ami-std",
    [`${ssmBase}/arm64/standard/recommended/image_id`]: "ami-arm",
  }),
  iam: fakeIam(),
});

const nodeClass = (spec: Record<string, unknown> = {}): EC2NodeClass => ({
  apiVersion: "karpenter.k8s.aws/v1",
  kind: "EC2NodeClass",
  metadata: { name: "default", generation: 1 },
  spec: {
    amiSelectorTerms: [{ alias: "al2023@latest" }],
    subnetSelectorTerms: [{ tags: { "karpenter.sh/discovery": "c1" } }],
    securityGroupSelectorTerms: [{ tags: { "karpenter.sh/discovery": "c1" } }],
    role: "KarpenterNodeRole-c1",
    ...spec,
  },
});

async function setUp(
  spec: Record<string, unknown> = {},
  aws = world(),
  onFinalize?: (name: string) => Promise<void>,
) {
  const clock = new TestClock();
  const store = new InMemoryClusterStore(() => clock.now());
  await store.create(nodeClass(spec));
  const events: RecordedEvent[] = [];
  const controller = new EC2NodeClassController({
    store,
    events: { record: (e) => events.push(e) },
    clock,
    ...aws,
    clusterName: "c1",
    region: "us-west-2",
    kubernetesVersion: "1.36",
    ...(onFinalize && { onFinalize }),
  });
  const read = async () =>
    (await store.get("EC2NodeClass", "default")) as EC2NodeClass & {
      status: Record<string, unknown>;
    };
  const conditions = async () =>
    Object.fromEntries(
      ((await read()).status.conditions as { type: string; status: string; reason: string }[]).map(
        (c) => [c.type, `${c.status} ${c.reason}`],
      ),
    );
  return { clock, store, events, controller, aws, read, conditions };
}

describe("EC2NodeClassController (karpenter-provider-aws pkg/controllers/nodeclass)", () => {
  it("resolves subnets, security groups, AMIs and the instance profile into status; every condition True", async () => {
    const t = await setUp();
    await t.controller.reconcile();
    const nc = await t.read();
    assert.deepEqual(nc.status.subnets, [
      { id: "subnet-b", zone: "us-west-2b", zoneID: "usw2-az1" },
      { id: "subnet-a", zone: "us-west-2a", zoneID: "usw2-az2" },
    ]);
    assert.deepEqual(nc.status.securityGroups, [{ id: "sg-1", name: "nodes" }]);
    assert.deepEqual(
      (nc.status.amis as { id: string }[]).map((a) => a.id),
      ["ami-arm", "ami-std"],
    );
    const profile = instanceProfileName({
      clusterName: "c1",
      region: "us-west-2",
      nodeClassName: "default",
    });
    assert.equal(nc.status.instanceProfile, profile);
    assert.deepEqual(t.aws.iam.profiles.get(profile)?.roles, ["KarpenterNodeRole-c1"]);
    assert.deepEqual(t.aws.iam.profiles.get(profile)?.tags, {
      "kubernetes.io/cluster/c1": "owned",
      "eks:eks-cluster-name": "c1",
      "karpenter.k8s.aws/ec2nodeclass": "default",
      "topology.kubernetes.io/region": "us-west-2",
    });
    assert.deepEqual(await t.conditions(), {
      SubnetsReady: "True SubnetsReady",
      SecurityGroupsReady: "True SecurityGroupsReady",
      AMIsReady: "True AMIsReady",
      InstanceProfileReady: "True InstanceProfileReady",
      CapacityReservationsReady: "True CapacityReservationsReady",
      ValidationSucceeded: "True ValidationSucceeded",
      Ready: "True Ready",
    });
    assert.ok(nc.metadata.finalizers?.includes(TerminationFinalizer));
    assert.match(nc.metadata.annotations?.["karpenter.k8s.aws/ec2nodeclass-hash"] ?? "", /^\d+$/);
    assert.equal(
      nc.metadata.annotations?.["karpenter.k8s.aws/ec2nodeclass-hash-version"],
      "carpool-v1",
    );
    assert.ok(t.events.some((e) => e.kind === "Ready" && /Unknown -> True/.test(e.message)));
  });

  it("a second pass changes nothing and asks AWS nothing within the caches' TTLs", async () => {
    const t = await setUp();
    await t.controller.reconcile();
    const first = await t.read();
    const events = t.events.length;
    t.clock.advance(30_000);
    await t.controller.reconcile();
    assert.equal((await t.read()).metadata.resourceVersion, first.metadata.resourceVersion);
    assert.equal(t.events.length, events, "no Event without a change");
    assert.equal(t.aws.ec2.count("DescribeSubnetsCommand"), 1);
    assert.equal(t.aws.iam.count("CreateInstanceProfileCommand"), 1);
    t.clock.advance(31_000);
    await t.controller.reconcile();
    assert.equal(
      t.aws.ec2.count("DescribeSubnetsCommand"),
      2,
      "subnets are asked again after a minute",
    );
  });

  const failures: {
    name: string;
    spec?: Record<string, unknown>;
    aws?: (w: ReturnType<typeof world>) => void;
    want: Record<string, string>;
  }[] = [
    {
      name: "no subnet matches: SubnetsNotFound; ValidationSucceeded waits (DependenciesNotReady); Ready UnhealthyDependents",
      spec: { subnetSelectorTerms: [{ tags: { nope: "x" } }] },
      want: {
        SubnetsReady: "False SubnetsNotFound",
        ValidationSucceeded: "False DependenciesNotReady",
        Ready: "False UnhealthyDependents",
      },
    },
    {
      name: "no security group matches: SecurityGroupsNotFound",
      spec: { securityGroupSelectorTerms: [{ id: "sg-missing" }] },
      want: {
        SecurityGroupsReady: "False SecurityGroupsNotFound",
        Ready: "False UnhealthyDependents",
      },
    },
    {
      name: "an alias with no SSM parameter: AMINotFound",
      spec: { amiSelectorTerms: [{ alias: "bottlerocket@latest" }] },
      want: { AMIsReady: "False AMINotFound" },
    },
    {
      name: "an AWS error is the condition's reason (Karpenter's ClassifyError), not a crash",
      aws: (w) => {
        w.ec2.handlers.DescribeSubnetsCommand = () => {
          throw awsError(
            "UnauthorizedOperation",
            "You are not authorized to perform this operation.",
            403,
          );
        };
      },
      want: {
        SubnetsReady: "False UnauthorizedOperation",
        SecurityGroupsReady: "True SecurityGroupsReady",
      },
    },
    {
      name: "spec.instanceProfile that IAM does not have: InstanceProfileNotFound",
      spec: { role: undefined, instanceProfile: "missing" },
      want: { InstanceProfileReady: "False InstanceProfileNotFound" },
    },
    {
      name: "a restricted tag (Karpenter's CEL rule on spec.tags): TagValidationFailed",
      spec: { tags: { "karpenter.sh/nodepool": "x" } },
      want: {
        ValidationSucceeded: "False TagValidationFailed",
        Ready: "False UnhealthyDependents",
      },
    },
    {
      name: "both role and instanceProfile (the CRD allows exactly one): SpecValidationFailed",
      spec: { instanceProfile: "p" },
      want: { ValidationSucceeded: "False SpecValidationFailed" },
    },
  ];
  for (const f of failures)
    it(f.name, async () => {
      const aws = world();
      f.aws?.(aws);
      const t = await setUp(f.spec, aws);
      await t.controller.reconcile();
      const got = await t.conditions();
      for (const [type, want] of Object.entries(f.want)) assert.equal(got[type], want, type);
      const falseOnes = Object.entries(f.want).filter(([, w]) => w.startsWith("False"));
      for (const [type] of falseOnes)
        assert.ok(
          t.events.some((e) => e.kind === type && /-> False/.test(e.message)),
          `an Event for ${type}`,
        );
    });

  it("the hash ignores selector terms (they drift through status) but follows the rest of the spec", async () => {
    const t = await setUp();
    await t.controller.reconcile();
    const hashOf = async () =>
      (await t.read()).metadata.annotations?.["karpenter.k8s.aws/ec2nodeclass-hash"];
    const before = await hashOf();
    const edit = async (spec: Record<string, unknown>) => {
      const nc = await t.read();
      await t.store.update({ ...nc, spec: { ...nc.spec, ...spec } as EC2NodeClass["spec"] });
      await t.controller.reconcile();
    };
    await edit({ subnetSelectorTerms: [{ id: "subnet-a" }] });
    assert.equal(await hashOf(), before);
    await edit({ userData: "echo hi" });
    assert.notEqual(await hashOf(), before);
  });

  it("deletion waits for the class's NodeClaims, then deletes the instance profile it made and drops the finalizer", async () => {
    const t = await setUp();
    await t.controller.reconcile();
    const claim: NodeClaim = {
      apiVersion: "karpenter.sh/v1",
      kind: "NodeClaim",
      metadata: { name: "default-abc" },
      spec: {
        nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" },
        requirements: [],
      },
    };
    await t.store.create(claim);
    await t.store.delete({ kind: "EC2NodeClass", name: "default" });
    await t.controller.reconcile();
    await t.controller.reconcile();
    assert.ok(await t.read(), "still there while a NodeClaim uses it");
    assert.equal(
      t.events.filter((e) => e.kind === "WaitingOnNodeClaimTermination").length,
      1,
      "told once",
    );
    assert.equal(t.aws.iam.profiles.size, 1);
    await t.store.delete({ kind: "NodeClaim", name: "default-abc" });
    await t.controller.reconcile();
    assert.equal(await t.store.get("EC2NodeClass", "default"), undefined);
    assert.equal(t.aws.iam.profiles.size, 0);
  });

  it("the launch path's clean-up (its launch templates) runs before the finalizer goes; a failure keeps it and says why", async () => {
    const cleaned: string[] = [];
    let fail = true;
    const t = await setUp({}, world(), async (name) => {
      if (fail) throw awsError("UnauthorizedOperation", "not allowed", 403);
      cleaned.push(name);
    });
    await t.controller.reconcile();
    await t.store.delete({ kind: "EC2NodeClass", name: "default" });
    await t.controller.reconcile();
    assert.ok(await t.read(), "kept while its launch templates cannot be deleted");
    assert.ok(
      t.events.some(
        (e) => e.kind === "LaunchTemplateDeletionFailed" && /UnauthorizedOperation/.test(e.message),
      ),
    );
    fail = false;
    await t.controller.reconcile();
    assert.deepEqual(cleaned, ["default"]);
    assert.equal(await t.store.get("EC2NodeClass", "default"), undefined);
  });

  it("an instance profile that cannot be deleted keeps the finalizer and says why", async () => {
    const t = await setUp();
    await t.controller.reconcile();
    t.aws.iam.handlers.DeleteInstanceProfileCommand = () => {
      throw awsError("AccessDenied", "not allowed", 403);
    };
    await t.store.delete({ kind: "EC2NodeClass", name: "default" });
    await t.controller.reconcile();
    assert.ok(await t.read());
    assert.ok(
      t.events.some(
        (e) => e.kind === "InstanceProfileDeletionFailed" && /AccessDenied/.test(e.message),
      ),
    );
  });

  describe("capacity reservations (controllers/nodeclass/capacityreservation.go)", () => {
    it("the selected reservations go into status by ID; CapacityReservationsReady True; one EC2 cannot be read is left out", async () => {
      const t = await setUp({ capacityReservationSelectorTerms: [{ tags: { team: "a" } }] });
      await t.controller.reconcile();
      const nc = await t.read();
      assert.deepEqual(nc.status.capacityReservations, [
        {
          availabilityZone: "us-west-2a",
          id: "cr-a",
          instanceMatchCriteria: "targeted",
          instanceType: "m5.large",
          ownerID: "111122223333",
          reservationType: "default",
          state: "active",
        },
        {
          availabilityZone: "us-west-2b",
          endTime: "2026-05-01T06:00:00.000Z",
          id: "cr-b",
          instanceMatchCriteria: "targeted",
          instanceType: "m5.large",
          ownerID: "111122223333",
          reservationType: "capacity-block",
          state: "active",
        },
      ]);
      assert.equal(
        (await t.conditions()).CapacityReservationsReady,
        "True CapacityReservationsReady",
      );
      assert.equal((await t.conditions()).Ready, "True Ready");
    });

    it("a capacity block 40 minutes from its end turns expiring on a later pass", async () => {
      const t = await setUp({ capacityReservationSelectorTerms: [{ id: "cr-b" }] });
      await t.controller.reconcile();
      t.clock.advance((5 * 60 + 21) * 60_000);
      await t.controller.reconcile();
      const [block] = (await t.read()).status.capacityReservations as { state: string }[];
      assert.equal(block?.state, "expiring");
    });

    it("nothing selected is still True, with the list cleared (Karpenter sets it True and nil)", async () => {
      const t = await setUp({ capacityReservationSelectorTerms: [{ tags: { team: "a" } }] });
      await t.controller.reconcile();
      const nc = await t.read();
      await t.store.update({
        ...nc,
        spec: { ...nc.spec, capacityReservationSelectorTerms: [{ tags: { team: "none" } }] },
      } as EC2NodeClass);
      t.clock.advance(61_000);
      await t.controller.reconcile();
      assert.equal((await t.read()).status.capacityReservations, undefined);
      assert.equal(
        (await t.conditions()).CapacityReservationsReady,
        "True CapacityReservationsReady",
      );
    });

    it("a failed DescribeCapacityReservations is False with its code; the previous list is kept", async () => {
      const t = await setUp({ capacityReservationSelectorTerms: [{ id: "cr-a" }] });
      await t.controller.reconcile();
      t.aws.ec2.handlers.DescribeCapacityReservationsCommand = () => {
        throw awsError("UnauthorizedOperation", "not allowed", 403);
      };
      t.clock.advance(61_000);
      await t.controller.reconcile();
      const got = await t.conditions();
      assert.equal(got.CapacityReservationsReady, "False UnauthorizedOperation");
      assert.equal(got.Ready, "False UnhealthyDependents");
      assert.deepEqual(
        ((await t.read()).status.capacityReservations as { id: string }[]).map((r) => r.id),
        ["cr-a"],
      );
    });
  });
});
