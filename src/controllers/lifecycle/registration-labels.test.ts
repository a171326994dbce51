import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NodeClaim } from "../../api/nodeclaim.ts";
import { Labels, Taints } from "../../api/wellknown.ts";
import { partitionLabels } from "../../bootstrap/kubelet-labels.ts";
import type { CloudProvider } from "../../ports/cloud-provider.ts";
import { InMemoryClusterStore } from "../../sim/store.ts";
import { Lifecycle } from "./lifecycle.ts";
import { UnavailableOfferings } from "./unavailable-offerings.ts";

/** A cloud with no instances of its own: the claim below is launched already. */
const idleCloud: CloudProvider = {
  create: async () => {
    throw new Error("not called: the claim is launched");
  },
  delete: async () => {},
  get: async () => {
    throw new Error("none");
  },
  list: async () => [],
  instanceTypes: async () => [],
  isDrifted: async () => undefined,
};

// Since Karpenter v1.9.0 (kubernetes-sigs/karpenter#2586) a NodePool may label its nodes under
// kubernetes.io and k8s.io. The kubelet may not set most of those on itself (NodeRestriction,
// k8s.io/kubelet IsKubeletLabel), so the bootstrap leaves them out of --node-labels and the
// lifecycle controller puts them on the Node when it registers, as Karpenter's registration syncs
// the NodeClaim's labels (pkg/controllers/nodeclaim/lifecycle/registration.go).
describe("lifecycle: labels the kubelet may not set are put on at registration", () => {
  it("the node ends with every claim label, those the kubelet registered and those it could not", async () => {
    const now = new Date("2026-12-01T12:00:00Z");
    const store = new InMemoryClusterStore(() => now);
    const claimLabels = {
      [Labels.nodePool]: "sized",
      "node-role.kubernetes.io/worker": "",
      "node-restriction.kubernetes.io/team": "payments",
      "example.k8s.io/tier": "gold",
      "node.kubernetes.io/pool": "sized",
      team: "platform",
    };
    const claim: NodeClaim = {
      apiVersion: "karpenter.sh/v1",
      kind: "NodeClaim",
      metadata: { name: "sized-abcde", labels: claimLabels },
      spec: {
        nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" },
        requirements: [],
      },
      status: {
        providerID: "aws:///us-east-1a/i-0123",
        conditions: [{ type: "Launched", status: "True", lastTransitionTime: now.toISOString() }],
      },
    };
    await store.create(claim);
    const { kubelet, afterRegistration } = partitionLabels(claimLabels);
    assert.deepEqual(Object.keys(afterRegistration).sort(), [
      "example.k8s.io/tier",
      "node-restriction.kubernetes.io/team",
      "node-role.kubernetes.io/worker",
    ]);
    // The kubelet joins with what --node-labels carried: only the labels it may set.
    await store.create({
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "ip-10-0-0-1", labels: { ...kubelet, [Labels.hostname]: "ip-10-0-0-1" } },
      spec: { providerID: "aws:///us-east-1a/i-0123", taints: [{ ...Taints.unregistered }] },
    });
    await new Lifecycle({
      store,
      cloud: idleCloud,
      clock: { now: () => now },
      events: { record: () => {} },
      unavailable: new UnavailableOfferings(),
    }).reconcile();

    const node = await store.get("Node", "ip-10-0-0-1");
    assert.deepEqual(node?.metadata.labels, {
      ...claimLabels,
      [Labels.hostname]: "ip-10-0-0-1",
      [Labels.registered]: "true",
    });
    assert.deepEqual(node?.spec?.taints, [], "the unregistered taint is off");
    assert.equal((await store.get("NodeClaim", "sized-abcde"))?.status?.nodeName, "ip-10-0-0-1");
  });
});
