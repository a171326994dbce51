import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Node } from "../api/node.ts";
import type { NodeClaim } from "../api/nodeclaim.ts";
import type { NodePool } from "../api/nodepool.ts";
import { capacityBreaches } from "./invariants.ts";

const pool: NodePool = {
  apiVersion: "karpenter.sh/v1",
  kind: "NodePool",
  metadata: { name: "p" },
  spec: {
    template: { spec: { nodeClassRef: { group: "g", kind: "k", name: "n" }, requirements: [] } },
    limits: { cpu: "8" },
  },
};
const claim = (name: string, cpu: string): NodeClaim => ({
  apiVersion: "karpenter.sh/v1",
  kind: "NodeClaim",
  metadata: { name, labels: { "karpenter.sh/nodepool": "p" } },
  spec: { nodeClassRef: { group: "g", kind: "k", name: "n" }, requirements: [] },
  status: { nodeName: name, capacity: { cpu } },
});
const node = (name: string, disrupted: boolean): Node => ({
  apiVersion: "v1",
  kind: "Node",
  metadata: { name },
  spec: disrupted ? { taints: [{ key: "karpenter.sh/disrupted", effect: "NoSchedule" }] } : {},
  status: { allocatable: { cpu: "8" } },
});

// Karpenter's disruption simulates scheduling without its candidates (their capacity is room
// under the limits: scheduler.go remainingResources less the nodes it is given), then launches the
// replacement before the candidates go.
describe("the pool-limit invariant", () => {
  const claims = [claim("a", "4"), claim("b", "4"), claim("r", "8")];
  it("a replacement coming up beside the nodes it replaces is within the limits", () => {
    const nodes = [node("a", true), node("b", true), node("r", false)];
    assert.deepEqual(capacityBreaches(nodes, [], claims, [pool]), []);
  });
  it("the same capacity with nothing being replaced is over them", () => {
    const nodes = [node("a", false), node("b", false), node("r", false)];
    assert.deepEqual(
      capacityBreaches(nodes, [], claims, [pool]).map((b) => b.invariant),
      ["pool_limit"],
    );
  });
});
