import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Node } from "../../api/node.ts";
import type { NodeClaim } from "../../api/nodeclaim.ts";
import type { NodePool } from "../../api/nodepool.ts";
import type { Pod } from "../../api/pod.ts";
import { catalogFromInstanceTypes } from "../../catalog/user-catalog.ts";
import type { RecordedEvent } from "../../ports/event-recorder.ts";
import { InMemoryClusterStore } from "../../sim/store.ts";
import { sizes } from "../../solver/fixtures.test-helpers.ts";
import type { ControllerContext } from "../context.ts";
import { UnavailableOfferings } from "../lifecycle/unavailable-offerings.ts";
import { scaleDownCandidates } from "./scale-down.ts";
import { StaticNodePools } from "./static-nodepool.ts";

const now = new Date("2026-12-01T12:00:00Z");
const ref = { group: "carpool.dev", kind: "KwokNodeClass", name: "default" };

const pool = (
  name: string,
  replicas: number,
  extra: { limits?: Record<string, string>; status?: NodePool["status"] } = {},
): NodePool =>
  ({
    apiVersion: "karpenter.sh/v1",
    kind: "NodePool",
    metadata: { name },
    spec: {
      replicas,
      template: { spec: { nodeClassRef: ref, requirements: [] } },
      ...(extra.limits && { limits: extra.limits }),
    },
    ...(extra.status && { status: extra.status }),
  }) as NodePool;

const claim = (
  name: string,
  poolName: string,
  launched: { providerID: string; nodeName: string } | undefined,
  created = "2026-12-01T00:00:00Z",
): NodeClaim => ({
  apiVersion: "karpenter.sh/v1",
  kind: "NodeClaim",
  metadata: {
    name,
    labels: { "karpenter.sh/nodepool": poolName },
    creationTimestamp: created,
    // The termination finalizer keeps a deleted claim visible (deletionTimestamp set).
    finalizers: ["karpenter.sh/termination"],
  },
  spec: { nodeClassRef: ref, requirements: [] },
  ...(launched && { status: launched }),
});

const node = (name: string): Node => ({
  apiVersion: "v1",
  kind: "Node",
  metadata: { name },
  spec: { providerID: `kwok://${name}` },
  status: { allocatable: { cpu: "2", memory: "4Gi", pods: "110" } },
});

const pod = (name: string, nodeName: string, extra: Partial<Pod["metadata"]> = {}): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default", ...extra },
  spec: { nodeName, containers: [{ name: "c" }] },
});

async function reconcile(objects: readonly (NodePool | NodeClaim | Node | Pod)[]) {
  const store = new InMemoryClusterStore(() => now);
  for (const object of objects) await store.create(object);
  const events: RecordedEvent[] = [];
  const { catalog } = catalogFromInstanceTypes(sizes);
  const context: ControllerContext = {
    store,
    cloud: { instanceTypes: async () => catalog.instanceTypes } as never,
    clock: { now: () => now },
    events: { record: (e) => events.push(e) },
    unavailable: new UnavailableOfferings(),
  };
  await new StaticNodePools(context).reconcile();
  const claims = await store.list("NodeClaim");
  return {
    events,
    active: claims.filter((c) => c.metadata.deletionTimestamp === undefined),
    deleting: claims.filter((c) => c.metadata.deletionTimestamp !== undefined),
  };
}

const names = (claims: readonly NodeClaim[]) => claims.map((c) => c.metadata.name ?? "").sort();

describe("the static NodePool controller (Karpenter pkg/controllers/static)", () => {
  it("creates NodeClaims up to spec.replicas, with every type the pool allows, no pods needed", async () => {
    const { active, events } = await reconcile([pool("fixed", 2)]);
    assert.equal(active.length, 2);
    for (const c of active) {
      assert.equal(c.metadata.labels?.["karpenter.sh/nodepool"], "fixed");
      const types = c.spec.requirements.find((r) => r.key === "node.kubernetes.io/instance-type");
      assert.deepEqual(types?.values, ["small", "medium", "large"]);
    }
    assert.equal(events.filter((e) => e.kind === "NodeClaimCreated").length, 2);
  });

  const upRows: {
    name: string;
    objects: (NodePool | NodeClaim)[];
    active: number;
    event?: string;
  }[] = [
    {
      name: "limits.nodes stops scale-up short of replicas, told once (ComputeNodeClaimsToProvision)",
      objects: [pool("fixed", 3, { limits: { nodes: "1" } })],
      active: 1,
    },
    {
      name: "at limits.nodes already: nothing created, NodePoolNodeLimitReached",
      objects: [pool("fixed", 3, { limits: { nodes: "1" } }), claim("fixed-a", "fixed", undefined)],
      active: 1,
      event: "NodePoolNodeLimitReached",
    },
    {
      name: "a pool not Ready (NodeClassReady=False) is not launched from",
      objects: [
        pool("fixed", 2, {
          status: {
            conditions: [
              {
                type: "NodeClassReady",
                status: "False",
                reason: "NodeClassNotFound",
                message: "gone",
                lastTransitionTime: now.toISOString(),
              },
            ],
          } as NodePool["status"],
        }),
      ],
      active: 0,
    },
    {
      name: "a dynamic pool (no spec.replicas) is left to provisioning",
      objects: [
        {
          ...pool("dynamic", 0),
          spec: { template: { spec: { nodeClassRef: ref, requirements: [] } } },
        } as NodePool,
      ],
      active: 0,
    },
  ];
  for (const row of upRows)
    it(row.name, async () => {
      const { active, events } = await reconcile(row.objects);
      assert.equal(active.length, row.active);
      if (row.event !== undefined)
        assert.deepEqual(
          events.map((e) => e.kind),
          [row.event],
        );
    });

  it("scale-up counts claims being deleted (TotalNodesForNodePool: running + deleting)", async () => {
    const leaving = claim("fixed-old", "fixed", undefined);
    const store = new InMemoryClusterStore(() => now);
    await store.create(pool("fixed", 1));
    await store.create(leaving);
    await store.delete({ kind: "NodeClaim", name: "fixed-old" });
    const { catalog } = catalogFromInstanceTypes(sizes);
    await new StaticNodePools({
      store,
      cloud: { instanceTypes: async () => catalog.instanceTypes } as never,
      clock: { now: () => now },
      events: { record: () => {} },
      unavailable: new UnavailableOfferings(),
    }).reconcile();
    assert.deepEqual(names(await store.list("NodeClaim")), ["fixed-old"]);
  });

  it("a drift replacement does not look like overprovisioning (only running claims count for scale-down)", async () => {
    const old = node("n-old");
    old.spec = { ...old.spec, taints: [{ key: "karpenter.sh/disrupted", effect: "NoSchedule" }] };
    const { active, deleting } = await reconcile([
      pool("fixed", 1),
      old,
      claim("fixed-old", "fixed", { providerID: "kwok://n-old", nodeName: "n-old" }),
      claim("fixed-replacement", "fixed", undefined),
    ]);
    assert.deepEqual(names(active), ["fixed-old", "fixed-replacement"]);
    assert.deepEqual(deleting, []);
  });

  it("scale-down deletes the claims above replicas, unlaunched then empty first", async () => {
    const { active, deleting } = await reconcile([
      pool("fixed", 1),
      node("n-busy"),
      node("n-empty"),
      claim("fixed-busy", "fixed", { providerID: "kwok://n-busy", nodeName: "n-busy" }),
      claim("fixed-empty", "fixed", { providerID: "kwok://n-empty", nodeName: "n-empty" }),
      claim("fixed-new", "fixed", undefined),
      pod("app", "n-busy"),
    ]);
    assert.deepEqual(names(active), ["fixed-busy"]);
    assert.deepEqual(names(deleting), ["fixed-empty", "fixed-new"]);
  });
});

describe("static scale-down order (Karpenter getDeprovisioningCandidates)", () => {
  const claims = [
    claim("a-protected", "p", { providerID: "kwok://n1", nodeName: "n1" }),
    claim("b-two-pods", "p", { providerID: "kwok://n2", nodeName: "n2" }),
    claim("c-one-pod", "p", { providerID: "kwok://n3", nodeName: "n3" }),
    claim("d-daemons-only", "p", { providerID: "kwok://n4", nodeName: "n4" }),
    claim("e-unlaunched", "p", undefined),
  ];
  const daemon = (name: string, nodeName: string) =>
    pod(name, nodeName, {
      ownerReferences: [{ apiVersion: "apps/v1", kind: "DaemonSet", name: "d", uid: "u" }],
    });
  const pods = [
    pod("guarded", "n1", { annotations: { "karpenter.sh/do-not-disrupt": "true" } }),
    pod("x", "n2"),
    pod("y", "n2"),
    pod("z", "n3"),
    daemon("ds", "n4"),
  ];
  const nodes = ["n1", "n2", "n3", "n4"].map(node);
  const rows: { name: string; count: number; want: string[] }[] = [
    { name: "unlaunched claims go first", count: 1, want: ["e-unlaunched"] },
    {
      name: "then empty nodes (DaemonSet pods only)",
      count: 2,
      want: ["e-unlaunched", "d-daemons-only"],
    },
    {
      name: "then the cheapest to disrupt (fewer pods to reschedule)",
      count: 3,
      want: ["e-unlaunched", "d-daemons-only", "c-one-pod"],
    },
    {
      name: "nodes with do-not-disrupt pods go last",
      count: 5,
      want: ["e-unlaunched", "d-daemons-only", "c-one-pod", "b-two-pods", "a-protected"],
    },
    { name: "nothing for a count of zero", count: 0, want: [] },
  ];
  for (const row of rows)
    it(row.name, () => {
      const chosen = scaleDownCandidates(
        { claims, nodes, pods, expireAfter: "720h", now: now.getTime() },
        row.count,
      );
      assert.deepEqual(
        chosen.map((c) => c.metadata.name),
        row.want,
      );
    });
});
