// A static NodePool (spec.replicas, Karpenter v1.8 #2521) against the real control plane: carpool's
// controller keeps that many nodes with no pod asking for them, takes pods onto them, never launches
// another for pending pods, and scales down when replicas drops through the scale subresource. And
// limits.nodes on a dynamic pool: one node, however many pods want one each.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, it } from "node:test";
import type { Node } from "../../src/api/node.ts";
import type { NodeClaim } from "../../src/api/nodeclaim.ts";
import type { NodePool } from "../../src/api/nodepool.ts";
import type { Pod } from "../../src/api/pod.ts";
import {
  type DevCluster,
  describeWithDevCluster,
  repoRoot,
  startDevCluster,
} from "../cluster/harness.ts";
import { ClusterClient, type Manifest, waitFor } from "./cluster-client.ts";
import { ControllerProcess } from "./controller-process.ts";
import { deployment, nodeClass } from "./manifests.ts";

/** m5.large on-demand on kwok, labelled team=static. */
const template = {
  metadata: { labels: { team: "static" } },
  spec: {
    nodeClassRef: { group: "carpool.dev", kind: "KwokNodeClass", name: "default" },
    requirements: [
      { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
      { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
      { key: "node.kubernetes.io/instance-type", operator: "In", values: ["m5.large"] },
    ],
  },
};

const fixedPool: Manifest = {
  apiVersion: "karpenter.sh/v1",
  kind: "NodePool",
  metadata: { name: "fixed" },
  spec: { replicas: 2, template, limits: { nodes: "3" } },
};

const cappedPool: Manifest = {
  apiVersion: "karpenter.sh/v1",
  kind: "NodePool",
  metadata: { name: "capped" },
  spec: { template, limits: { nodes: "1" } },
};

describeWithDevCluster("static NodePools and limits.nodes on a real control plane", () => {
  let cluster: DevCluster;
  let client: ClusterClient;
  let controller: ControllerProcess | undefined;

  const poolNodes = async () =>
    (await client.list<Node>("v1", "Node")).filter(
      (n) =>
        n.metadata.labels?.["karpenter.sh/nodepool"] === "fixed" &&
        n.metadata.deletionTimestamp === undefined,
    );
  const claims = () => client.list<NodeClaim>("karpenter.sh/v1", "NodeClaim");
  const pool = () => client.get<NodePool>("karpenter.sh/v1", "NodePool", "fixed");

  before(async () => {
    cluster = await startDevCluster();
    client = new ClusterClient(cluster.kubeconfig);
    for (const file of readdirSync(join(repoRoot, "crds")).sort())
      await client.applyFile(join(repoRoot, "crds", file));
    await waitFor("carpool's CRDs established", async () => {
      const crds = await client.list<{
        status?: { conditions?: { type: string; status: string }[] };
      }>("apiextensions.k8s.io/v1", "CustomResourceDefinition");
      return crds.length >= 4 &&
        crds.every((c) =>
          c.status?.conditions?.some((s) => s.type === "Established" && s.status === "True"),
        )
        ? true
        : undefined;
    });
    await client.apply(nodeClass);
    await client.apply(fixedPool);
  });

  after(async () => {
    await controller?.kill().catch(() => {});
    await cluster?.down();
  });

  it("keeps spec.replicas nodes with no pod pending, takes pods onto them, and scales down to 1", async () => {
    controller = new ControllerProcess(cluster.kubeconfig);
    const two = await waitFor(
      "2 nodes of the static pool, Ready",
      async () => {
        const list = await poolNodes();
        return list.length === 2 &&
          list.every((n) =>
            n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
          )
          ? list
          : undefined;
      },
      120_000,
    );
    for (const node of two) {
      assert.equal(node.metadata.labels?.["node.kubernetes.io/instance-type"], "m5.large");
      assert.equal(node.metadata.labels?.team, "static", "the template's labels are on the node");
    }
    const pods = await client.list<Pod>("v1", "Pod", "default");
    assert.equal(pods.length, 0, "no pod asked for these nodes");
    await waitFor("status.nodes is 2", async () =>
      (await pool())?.status?.nodes === 2 ? true : undefined,
    );

    // A pod lands on a static node; no node is launched for it, none beyond replicas.
    await client.apply(
      deployment({ name: "app", replicas: 1, requests: { cpu: "500m", memory: "512Mi" } }),
    );
    const running = await waitFor(
      "the app pod running on a static node",
      async () => {
        const list = (await client.list<Pod>("v1", "Pod", "default")).filter(
          (p) => p.metadata.labels?.app === "app" && p.status?.phase === "Running",
        );
        return list.length === 1 ? list : undefined;
      },
      120_000,
    );
    assert.ok(two.some((n) => n.metadata.name === running[0]?.spec.nodeName));
    assert.equal((await claims()).length, 2, "no claim beyond replicas");

    // kubectl scale nodepool fixed --replicas 1: the scale subresource the CRD declares.
    await client.rest.request(
      "PATCH",
      `${client.path("karpenter.sh/v1", "NodePool", undefined, "fixed")}/scale`,
      { body: { spec: { replicas: 1 } }, contentType: "application/merge-patch+json" },
    );
    const one = await waitFor(
      "1 node and 1 NodeClaim left",
      async () => {
        const [list, all] = await Promise.all([poolNodes(), claims()]);
        return list.length === 1 && all.length === 1 ? list : undefined;
      },
      120_000,
    );
    // The empty node went, not the one running the pod (Karpenter: empty nodes first).
    assert.equal(one[0]?.metadata.name, running[0]?.spec.nodeName);
    await waitFor("status.nodes is 1", async () =>
      (await pool())?.status?.nodes === 1 ? true : undefined,
    );
    assert.ok(controller.events("NodeClaimCreated").length >= 2);
  });

  it("limits.nodes: 1 on a dynamic pool launches one node for three pods that each need one", async () => {
    await client.apply(cappedPool);
    // 1500m each: one per m5.large (2 vCPU), on the capped pool only.
    await client.apply(
      deployment({
        name: "wide",
        replicas: 3,
        requests: { cpu: "1500m", memory: "512Mi" },
        nodeSelector: { "karpenter.sh/nodepool": "capped" },
      }),
    );
    const told = await controller?.waitForLog(
      "a pod told the node limit",
      (l) => l.reason === "PodUnschedulable" && /limit on nodes/.test(String(l.message ?? "")),
      120_000,
    );
    assert.match(
      String(told?.message),
      /NodePool\/capped: NodePool limit on nodes would be exceeded: 1 in use/,
    );
    // Settled: still one claim of the pool after the next passes.
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    const capped = (await claims()).filter(
      (c) => c.metadata.labels?.["karpenter.sh/nodepool"] === "capped",
    );
    assert.equal(capped.length, 1, "one node for limits.nodes: 1");
  });
});
