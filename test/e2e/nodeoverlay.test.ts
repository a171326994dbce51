// NodeOverlays and CapacityBuffers against the real control plane: the CRDs carpool ships are
// served and enforce Karpenter's rules, the controller writes each overlay's status as Karpenter
// does (a same-weight rival Conflicts), an overlay's price decides which instance type is bought,
// and a CapacityBuffer makes a node for room that no pod has asked for yet.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, it } from "node:test";
import type { CapacityBuffer } from "../../src/api/capacitybuffer.ts";
import type { NodeClaim } from "../../src/api/nodeclaim.ts";
import type { NodeOverlay } from "../../src/api/nodeoverlay.ts";
import {
  type DevCluster,
  describeWithDevCluster,
  repoRoot,
  startDevCluster,
} from "../cluster/harness.ts";
import { ClusterClient, type Manifest, waitFor } from "./cluster-client.ts";
import { ControllerProcess } from "./controller-process.ts";
import { nodeClass } from "./manifests.ts";

const pool: Manifest = {
  apiVersion: "karpenter.sh/v1",
  kind: "NodePool",
  metadata: { name: "overlaid" },
  spec: {
    template: {
      spec: {
        nodeClassRef: { group: "carpool.dev", kind: "KwokNodeClass", name: "default" },
        requirements: [
          { key: "karpenter.k8s.aws/instance-family", operator: "In", values: ["c6i", "m6i"] },
          { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
          { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
        ],
      },
    },
  },
};
const overlay = (name: string, spec: Record<string, unknown>): Manifest => ({
  apiVersion: "karpenter.sh/v1alpha1",
  kind: "NodeOverlay",
  metadata: { name },
  spec: { requirements: [], ...spec },
});

describeWithDevCluster("NodeOverlay and CapacityBuffer on a real control plane", () => {
  let cluster: DevCluster;
  let client: ClusterClient;
  let controller: ControllerProcess | undefined;

  before(async () => {
    cluster = await startDevCluster();
    client = new ClusterClient(cluster.kubeconfig);
    for (const file of readdirSync(join(repoRoot, "crds")).sort())
      await client.applyFile(join(repoRoot, "crds", file));
    await waitFor("the NodeOverlay and CapacityBuffer CRDs served", async () =>
      (await client.list("karpenter.sh/v1alpha1", "NodeOverlay").catch(() => undefined)) &&
      (await client.list("autoscaling.x-k8s.io/v1alpha1", "CapacityBuffer").catch(() => undefined))
        ? true
        : undefined,
    );
  });

  after(async () => {
    await controller?.kill().catch(() => {});
    await cluster?.down();
  });

  it("the API server refuses what Karpenter's CRD refuses (CEL rules and patterns)", async () => {
    const refused = [
      overlay("both-prices", { price: "1", priceAdjustment: "+1" }),
      overlay("cpu-capacity", { capacity: { cpu: "1" } }),
      overlay("hostname", {
        requirements: [{ key: "kubernetes.io/hostname", operator: "Exists" }],
      }),
      overlay("bad-adjustment", { priceAdjustment: "10%" }),
    ];
    for (const object of refused)
      await assert.rejects(client.apply(object), Error, `${object.metadata.name} refused`);
    await assert.rejects(
      client.apply({
        apiVersion: "autoscaling.x-k8s.io/v1alpha1",
        kind: "CapacityBuffer",
        metadata: { name: "no-count", namespace: "default" },
        spec: { podTemplateRef: { name: "t" } },
      }),
    );
  });

  it("overlay statuses, an overlay's price choosing the type, and a buffer's node", async () => {
    await client.apply(nodeClass);
    await client.apply(pool);
    // c6i is cheaper per core than m6i; the overlay makes m6i nearly free, so m6i is bought.
    await client.apply(
      overlay("m6i-discount", {
        weight: 10,
        requirements: [
          { key: "karpenter.k8s.aws/instance-family", operator: "In", values: ["m6i"] },
        ],
        priceAdjustment: "-90%",
      }),
    );
    // Two overlays of one weight giving the same extended resource: one of them conflicts.
    await client.apply(overlay("rival-a", { weight: 5, capacity: { "example.com/seat": "1" } }));
    await client.apply(overlay("rival-b", { weight: 5, capacity: { "example.com/seat": "2" } }));
    await client.apply({
      apiVersion: "v1",
      kind: "PodTemplate",
      metadata: { name: "chunk", namespace: "default" },
      template: {
        spec: {
          containers: [
            { name: "c", image: "none", resources: { requests: { cpu: "1", memory: "1Gi" } } },
          ],
        },
      },
    });
    await client.apply({
      apiVersion: "autoscaling.x-k8s.io/v1alpha1",
      kind: "CapacityBuffer",
      metadata: { name: "warm", namespace: "default" },
      spec: { podTemplateRef: { name: "chunk" }, replicas: 2 },
    });
    controller = new ControllerProcess(cluster.kubeconfig);
    const status = async (name: string) =>
      (
        await client.get<NodeOverlay>("karpenter.sh/v1alpha1", "NodeOverlay", name)
      )?.status?.conditions?.find((c) => c.type === "ValidationSucceeded");
    await waitFor(
      "overlay statuses written",
      async () => ((await status("rival-a")) && (await status("rival-b")) ? true : undefined),
      60_000,
    );
    assert.equal((await status("m6i-discount"))?.status, "True");
    assert.equal((await status("rival-b"))?.status, "True", "later in the alphabet wins");
    const rival = await status("rival-a");
    assert.equal(`${rival?.status}:${rival?.reason}`, "False:Conflict");
    const buffer = await waitFor(
      "buffer status",
      async () => {
        const b = await client.get<CapacityBuffer>(
          "autoscaling.x-k8s.io/v1alpha1",
          "CapacityBuffer",
          "warm",
          "default",
        );
        return b?.status?.conditions?.some((c) => c.type === "ReadyForProvisioning")
          ? b
          : undefined;
      },
      60_000,
    );
    assert.equal(buffer.status?.replicas, 2);
    assert.equal(buffer.status?.podTemplateRef?.name, "chunk");
    // No pod exists, yet the buffer's two virtual pods get a node — of the overlaid family.
    const [claim] = await waitFor(
      "a NodeClaim for the buffer",
      async () => {
        const claims = await client.list<NodeClaim>("karpenter.sh/v1", "NodeClaim");
        return claims.length > 0 ? claims : undefined;
      },
      60_000,
    );
    const types = claim?.spec.requirements.find(
      (r) => r.key === "node.kubernetes.io/instance-type",
    )?.values;
    // The options run cheapest first, as the solver priced them: the overlaid family leads.
    assert.match(
      types?.[0] ?? "",
      /^m6i\./,
      `the overlay's cheaper family: ${JSON.stringify(types)}`,
    );
    // After the run, the provisioner says where the buffer's room went (Provisioning).
    await waitFor(
      "the buffer's Provisioning condition",
      async () =>
        (
          await client.get<CapacityBuffer>(
            "autoscaling.x-k8s.io/v1alpha1",
            "CapacityBuffer",
            "warm",
            "default",
          )
        )?.status?.conditions?.find((c) => c.type === "Provisioning"),
      60_000,
    );
    assert.equal(
      controller.lines.filter(
        (l) => /capacity-buffer-warm/.test(JSON.stringify(l)) && l.reason === "PodUnschedulable",
      ).length,
      0,
    );
  });
});
