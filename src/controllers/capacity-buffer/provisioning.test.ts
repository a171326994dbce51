import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CapacityBuffer } from "../../api/capacitybuffer.ts";
import { virtualPods } from "../../api/capacitybuffer-pods.ts";
import type { Plan } from "../../solver/plan.ts";
import { stamped } from "../nodeoverlay/conditions.ts";
import { bufferPlacements, provisioningCondition } from "./provisioning.ts";

const buffer = (ready: "True" | "False", replicas: number): CapacityBuffer => ({
  apiVersion: "autoscaling.x-k8s.io/v1alpha1",
  kind: "CapacityBuffer",
  metadata: { name: "warm", namespace: "shop" },
  spec: { podTemplateRef: { name: "t" }, replicas },
  status: {
    replicas,
    conditions: [
      {
        type: "ReadyForProvisioning",
        status: ready,
        reason: "r",
        message: "",
        lastTransitionTime: "t",
      },
    ],
  },
});

// kubernetes-sigs/karpenter pkg/controllers/provisioning/buffers.go computeProvisioningCondition.
describe("CapacityBuffer Provisioning condition", () => {
  const rows: [
    string,
    CapacityBuffer,
    Parameters<typeof provisioningCondition>[1],
    string | undefined,
  ][] = [
    ["not ReadyForProvisioning", buffer("False", 2), undefined, "False:NotReadyForProvisioning"],
    ["zero replicas: BufferEmpty", buffer("True", 0), undefined, "False:BufferEmpty"],
    ["no virtual pods in this run: left as it is", buffer("True", 2), undefined, undefined],
    [
      "some needed a new node: RequiresNewCapacity",
      buffer("True", 2),
      { existing: 1, requiresNewClaim: 1, failed: 0 },
      "False:RequiresNewCapacity",
    ],
    [
      "some fit nowhere: RequiresNewCapacity",
      buffer("True", 2),
      { existing: 1, requiresNewClaim: 0, failed: 1 },
      "False:RequiresNewCapacity",
    ],
    [
      "all on existing capacity: FitsExistingCapacity",
      buffer("True", 2),
      { existing: 2, requiresNewClaim: 0, failed: 0 },
      "True:FitsExistingCapacity",
    ],
  ];
  for (const [name, b, placement, expected] of rows)
    it(name, () => {
      const c = provisioningCondition(b, placement);
      assert.equal(c === undefined ? undefined : `${c.status}:${c.reason}`, expected);
    });
  it("placements count each buffer's virtual pods by where the plan put them", () => {
    const pods = virtualPods(buffer("True", 3), { containers: [] }, 3);
    const plan = {
      existingNodes: [{ name: "n", pods: ["shop/capacity-buffer-warm-1", "shop/real"] }],
      nodeClaims: [{ pods: ["shop/capacity-buffer-warm-2"] }],
      unschedulable: [{ pod: "shop/capacity-buffer-warm-3", reasons: [] }],
    } as unknown as Plan;
    assert.deepEqual(bufferPlacements(pods, plan).get("shop/warm"), {
      existing: 1,
      requiresNewClaim: 1,
      failed: 1,
    });
  });
  it("two writers' conditions keep their order (no write when nothing changed)", () => {
    const previous = [
      { type: "A", status: "True", reason: "a", message: "", lastTransitionTime: "t0" },
      { type: "B", status: "True", reason: "b", message: "", lastTransitionTime: "t0" },
    ];
    const next = stamped(
      [{ type: "A", status: "True", reason: "a", message: "" }],
      previous,
      "t1",
      1,
    );
    assert.deepEqual(
      next.map((c) => `${c.type}@${c.lastTransitionTime}`),
      ["A@t0", "B@t0"],
    );
  });
});
