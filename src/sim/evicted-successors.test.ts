import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod } from "../api/pod.ts";
import { EvictedSuccessors } from "./evicted-successors.ts";

const pod = (name: string, owner?: string): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name,
    namespace: "shop",
    ...(owner && { ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: owner }] }),
  },
  spec: { containers: [] },
});

describe("which evicted pod a new pod stands in for (a ReplicaSet replaces pods one for one)", () => {
  it("new pods of the owner take the evicted pods' places, oldest eviction first", () => {
    const successors = new EvictedSuccessors();
    successors.evicted(pod("web-1", "web"));
    successors.evicted(pod("web-2", "web"));
    assert.equal(successors.bound(pod("api-9", "api")), undefined);
    assert.equal(successors.bound(pod("web-8", "web")), "shop/web-1");
    assert.equal(successors.bound(pod("web-9", "web")), "shop/web-2");
    assert.equal(successors.bound(pod("web-a", "web")), undefined);
  });
  it("a pod without an owner is not replaced by anything", () => {
    const successors = new EvictedSuccessors();
    successors.evicted(pod("bare"));
    assert.equal(successors.bound(pod("bare")), undefined);
  });
  it("scaling the owner forgets its evictions: the new replica count decides its pods", () => {
    const successors = new EvictedSuccessors();
    successors.evicted(pod("web-1", "web"));
    successors.rescaled("Deployment", "shop", "web");
    assert.equal(successors.bound(pod("web-8", "web")), undefined);
  });
});
