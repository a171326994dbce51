import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { plan } from "../plan.ts";

// Karpenter's AWS provider puts labels on offerings that differ between a type's offerings
// (topology.k8s.aws/zone-id; capacity-reservation-id, -type, -interruptible on reserved ones), and
// its scheduler launches reserved capacity first and holds a reservation for at most as many
// claims as it can still launch (kubernetes-sigs/karpenter ReservationManager, the AWS provider's
// getCapacityType: reserved, then spot, then on-demand).
const type = {
  apiVersion: "carpool.dev/v1alpha1",
  kind: "InstanceType",
  metadata: { name: "m5.large" },
  spec: {
    capacity: { cpu: "2", memory: "8Gi", pods: "29" },
    offerings: [
      {
        zone: "z1",
        capacityType: "on-demand",
        price: 0.096,
        labels: { "topology.k8s.aws/zone-id": "use1-az1" },
      },
      {
        zone: "z2",
        capacityType: "on-demand",
        price: 0.096,
        labels: { "topology.k8s.aws/zone-id": "use1-az2" },
      },
      {
        zone: "z1",
        capacityType: "reserved",
        price: 0.0000000096,
        reservationCapacity: 2,
        labels: {
          "topology.k8s.aws/zone-id": "use1-az1",
          "karpenter.k8s.aws/capacity-reservation-id": "cr-0123456789abcdef0",
          "karpenter.k8s.aws/capacity-reservation-type": "default",
          "karpenter.k8s.aws/capacity-reservation-interruptible": "false",
        },
      },
    ],
  },
};
const pool = (capacityTypes: string[]) => ({
  apiVersion: "karpenter.sh/v1",
  kind: "NodePool",
  metadata: { name: "default" },
  spec: {
    template: {
      spec: {
        nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" },
        requirements: [
          { key: "karpenter.sh/capacity-type", operator: "In", values: capacityTypes },
        ],
      },
    },
  },
});
const pods = (n: number, nodeSelector?: Record<string, string>) =>
  Array.from({ length: n }, (_, i) => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `p${i}`, namespace: "default" },
    spec: {
      ...(nodeSelector && { nodeSelector }),
      containers: [{ name: "c", image: "i", resources: { requests: { cpu: "1500m" } } }],
    },
  }));
const launched = (objects: object[]) =>
  plan(objects).nodeClaims.map(
    (c) =>
      `${c.capacityType} ${c.zone} ${c.labels["karpenter.k8s.aws/capacity-reservation-id"] ?? "-"}`,
  );

describe("offering labels and reserved capacity", () => {
  it("reserved capacity launches first, for as many nodes as the reservation has room", () => {
    assert.deepEqual(launched([type, pool(["reserved", "on-demand"]), ...pods(3)]), [
      "reserved z1 cr-0123456789abcdef0",
      "reserved z1 cr-0123456789abcdef0",
      "on-demand z1 -",
    ]);
  });
  it("a pool that does not allow reserved never uses the reservation", () => {
    assert.deepEqual(launched([type, pool(["on-demand"]), ...pods(1)]), ["on-demand z1 -"]);
  });
  it("a node carries its offering's labels", () => {
    const [claim] = plan([type, pool(["reserved", "on-demand"]), ...pods(1)]).nodeClaims;
    assert.equal(claim?.labels["topology.k8s.aws/zone-id"], "use1-az1");
    assert.equal(claim?.labels["karpenter.k8s.aws/capacity-reservation-type"], "default");
  });
  it("a pod may select a zone ID (a well-known label on the offerings)", () => {
    const result = plan([
      type,
      pool(["on-demand"]),
      ...pods(1, { "topology.k8s.aws/zone-id": "use1-az2" }),
    ]);
    assert.deepEqual(
      result.nodeClaims.map((c) => c.zone),
      ["z2"],
    );
  });
  it("a pod selecting a reservation gets it, and none other once it is full", () => {
    const result = plan([
      type,
      pool(["reserved", "on-demand"]),
      ...pods(3, { "karpenter.k8s.aws/capacity-reservation-id": "cr-0123456789abcdef0" }),
    ]);
    assert.equal(result.nodeClaims.length, 2);
    assert.equal(result.summary.unschedulable, 1);
  });
});
