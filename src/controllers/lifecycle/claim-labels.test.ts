import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NodePool } from "../../api/nodepool.ts";
import { Labels } from "../../api/wellknown.ts";
import { awsCatalog } from "../../catalog/aws-catalog.ts";
import { allowedOfferings } from "../../providers/offering-choice.ts";
import { Requirements } from "../../scheduling/requirements.ts";
import { nodeClaimFor } from "../nodeclaim-template.ts";

const pool: NodePool = {
  apiVersion: "karpenter.sh/v1",
  kind: "NodePool",
  metadata: { name: "sized" },
  spec: {
    template: {
      metadata: { labels: { team: "platform" } },
      spec: {
        nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" },
        requirements: [
          // kubernetes.io and k8s.io keys, allowed since v1.9.0 (kubernetes-sigs/karpenter#2586).
          { key: "node-role.kubernetes.io/worker", operator: "In", values: [""] },
          { key: "example.k8s.io/tier", operator: "In", values: ["gold"] },
          { key: "example.com/rack", operator: "In", values: ["r1", "r2"] },
          { key: Labels.awsInstanceCpu, operator: "Gte", values: ["4"] },
          { key: Labels.awsInstanceCpu, operator: "Lte", values: ["8"] },
        ],
      },
    },
  },
};

// Karpenter's claims carry their pool's requirements (the scheduler's NodeClaim template) and the
// single values among them as labels, which the node gets at registration; a provider filters
// instance types with `claim.Compatible(type, AllowUndefinedWellKnownLabels)`, where a custom key
// only the claim names is no type's concern.
describe("a claim from a pool with custom and kubernetes.io requirement keys", () => {
  const claim = nodeClaimFor({
    nodePool: pool,
    instanceTypeOptions: ["c6a.xlarge", "m6a.2xlarge"],
    zone: "us-east-1a",
    capacityType: "on-demand",
  });
  it("is labelled with the single values of the pool's requirements, and its template labels", () => {
    assert.deepEqual(claim.metadata.labels, {
      "node-role.kubernetes.io/worker": "",
      "example.k8s.io/tier": "gold",
      team: "platform",
      [Labels.nodePool]: "sized",
    });
  });
  it("carries the pool's requirements, narrowed to the plan's options", () => {
    const requirements = Requirements.from(claim.spec.requirements);
    assert.ok(requirements.get("example.com/rack")?.has("r2"));
    assert.ok(requirements.get(Labels.awsInstanceCpu)?.has("8"));
    assert.ok(!requirements.get(Labels.awsInstanceCpu)?.has("16"));
    assert.deepEqual([...(requirements.get(Labels.instanceType)?.values ?? [])].sort(), [
      "c6a.xlarge",
      "m6a.2xlarge",
    ]);
  });
  it("a provider finds offerings for it: the custom keys do not rule the types out", () => {
    const choices = allowedOfferings(
      awsCatalog().instanceTypes,
      Requirements.from(claim.spec.requirements),
    );
    assert.deepEqual([...new Set(choices.map((c) => c.instanceType.name))].sort(), [
      "c6a.xlarge",
      "m6a.2xlarge",
    ]);
    assert.ok(choices.every((c) => c.offering.zone === "us-east-1a"));
  });
});
