import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NodeClaim } from "../../api/nodeclaim.ts";
import type { CloudProvider } from "../../ports/cloud-provider.ts";
import { InMemoryClusterStore } from "../../sim/store.ts";
import { LaunchRetryMs, Lifecycle, RegistrationTtlMs } from "./lifecycle.ts";
import { UnavailableOfferings } from "./unavailable-offerings.ts";

/** A cloud whose every launch fails as a site's power hook might. */
function failingCloud(message: string): CloudProvider & { calls: number } {
  const cloud = {
    calls: 0,
    async create(): Promise<NodeClaim> {
      cloud.calls++;
      throw new Error(message);
    },
    delete: async () => {},
    get: async () => {
      throw new Error("none");
    },
    list: async () => [],
    instanceTypes: async () => [],
    isDrifted: async () => undefined,
  };
  return cloud;
}

describe("lifecycle: a launch that fails for another reason than capacity", () => {
  it("is Launched=False with the reason on the claim and an Event; tried again after LaunchRetryMs; given up after the registration TTL", async () => {
    let now = Date.parse("2026-12-01T12:00:00Z");
    const store = new InMemoryClusterStore(() => new Date(now));
    const cloud = failingCloud("box-01: relay does not answer");
    const events: { kind: string; message: string }[] = [];
    const lifecycle = new Lifecycle({
      store,
      cloud,
      clock: { now: () => new Date(now) },
      events: { record: (e) => events.push(e) },
      unavailable: new UnavailableOfferings(),
    });
    await store.create({
      apiVersion: "karpenter.sh/v1",
      kind: "NodeClaim",
      metadata: { name: "rack-abcde" },
      spec: {
        nodeClassRef: { group: "carpool.dev", kind: "StaticNodeClass", name: "rack" },
        requirements: [],
      },
    });
    await lifecycle.reconcile();
    const launched = (await store.get("NodeClaim", "rack-abcde"))?.status?.conditions?.find(
      (c) => c.type === "Launched",
    );
    assert.equal(launched?.status, "False");
    assert.equal(launched?.reason, "LaunchFailed");
    assert.equal(launched?.message, "box-01: relay does not answer");
    assert.deepEqual(
      events.map((e) => e.kind),
      ["LaunchFailed"],
    );

    await lifecycle.reconcile();
    assert.equal(cloud.calls, 1, "not tried again at once");
    now += LaunchRetryMs;
    await lifecycle.reconcile();
    assert.equal(cloud.calls, 2, "tried again after the retry delay");

    now += RegistrationTtlMs;
    await lifecycle.reconcile();
    assert.equal(
      await store.get("NodeClaim", "rack-abcde"),
      undefined,
      "given up, so its pods are planned again",
    );
  });
});

describe("lifecycle: the conditions it writes", () => {
  it("carry a reason and a message, which Karpenter's CRD requires (operatorpkg SetTrue)", async () => {
    const now = Date.parse("2026-12-01T12:00:00Z");
    const store = new InMemoryClusterStore(() => new Date(now));
    const cloud = failingCloud("unused");
    cloud.create = async (claim: NodeClaim) => ({
      ...claim,
      status: { providerID: "test://box-01", capacity: { cpu: "2" }, allocatable: { cpu: "2" } },
    });
    const lifecycle = new Lifecycle({
      store,
      cloud,
      clock: { now: () => new Date(now) },
      events: { record: () => {} },
      unavailable: new UnavailableOfferings(),
    });
    await store.create({
      apiVersion: "karpenter.sh/v1",
      kind: "NodeClaim",
      metadata: { name: "rack-fghij" },
      spec: {
        nodeClassRef: { group: "carpool.dev", kind: "StaticNodeClass", name: "rack" },
        requirements: [],
      },
    });
    await lifecycle.reconcile();
    const conditions = (await store.get("NodeClaim", "rack-fghij"))?.status?.conditions ?? [];
    assert.deepEqual(conditions, [
      {
        type: "Launched",
        status: "True",
        reason: "Launched",
        message: "",
        lastTransitionTime: "2026-12-01T12:00:00.000Z",
      },
    ]);
  });
});
