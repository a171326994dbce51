// carpool controller against the real control plane (issue 12 §6): kube-apiserver, kube-scheduler and
// kube-controller-manager built from upstream, kwok keeping the nodes carpool launches Ready. Nothing
// here is a stand-in: the scheduler that binds the pods is kube-scheduler, the ReplicaSets are
// kube-controller-manager's.
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
import { ClusterClient, waitFor } from "./cluster-client.ts";
import { ControllerProcess } from "./controller-process.ts";
import { deployment, generalPool, gpuPool, nodeClass, orphanPool } from "./manifests.ts";

interface KubeEvent {
  reason?: string;
  note?: string;
  type?: string;
  regarding?: { kind?: string; name?: string };
}
interface Lease {
  spec: { holderIdentity?: string };
}

describeWithDevCluster("carpool controller on a real control plane", () => {
  let cluster: DevCluster;
  let client: ClusterClient;
  const controllers: ControllerProcess[] = [];
  const start = (...extra: string[]) => {
    const controller = new ControllerProcess(cluster.kubeconfig, extra);
    controllers.push(controller);
    return controller;
  };

  const pods = async (app: string) =>
    (await client.list<Pod>("v1", "Pod", "default")).filter(
      (p) => p.metadata.labels?.app === app && p.metadata.deletionTimestamp === undefined,
    );
  const nodes = () => client.list<Node>("v1", "Node");
  const claims = () => client.list<NodeClaim>("karpenter.sh/v1", "NodeClaim");
  const scale = (name: string, replicas: number) =>
    client.patch("apps/v1", "Deployment", name, { spec: { replicas } }, "default");
  /** Every pod of the app bound by kube-scheduler and running (kwok runs them). */
  const allRunning = (app: string, count: number) =>
    waitFor(
      `${count} ${app} pods running`,
      async () => {
        const list = await pods(app);
        return list.length === count &&
          list.every((p) => p.spec.nodeName && p.status?.phase === "Running")
          ? list
          : undefined;
      },
      120_000,
    );

  before(async () => {
    cluster = await startDevCluster();
    client = new ClusterClient(cluster.kubeconfig);
    for (const file of readdirSync(join(repoRoot, "crds")).sort())
      await client.applyFile(join(repoRoot, "crds", file));
    await waitFor("carpool's CRDs established", async () => {
      const crds = await client.list<{
        metadata: { name: string };
        status?: { conditions?: { type: string; status: string }[] };
      }>("apiextensions.k8s.io/v1", "CustomResourceDefinition");
      return crds.length >= 4 &&
        crds.every((c) =>
          c.status?.conditions?.some((s) => s.type === "Established" && s.status === "True"),
        )
        ? true
        : undefined;
    });
    for (const object of [nodeClass, generalPool, gpuPool]) await client.apply(object);
  });

  after(async () => {
    for (const controller of controllers) await controller.kill().catch(() => {});
    await cluster?.down();
  });

  it("launches nodes on the right pools; kube-scheduler binds every pod to a node carpool made", async () => {
    const controller = start();
    await client.apply(
      deployment({
        name: "web",
        replicas: 4,
        requests: { cpu: "500m", memory: "1Gi" },
        zoneSpread: true,
      }),
    );
    await client.apply(
      deployment({
        name: "inference",
        replicas: 2,
        requests: { cpu: "1", memory: "4Gi", "nvidia.com/gpu": "1" },
        gpu: true,
      }),
    );
    const web = await allRunning("web", 4);
    const inference = await allRunning("inference", 2);
    const byName = new Map((await nodes()).map((n) => [n.metadata.name, n]));
    const claimed = new Map((await claims()).map((c) => [c.status?.nodeName, c]));
    for (const [pods, pool] of [
      [web, "general"],
      [inference, "gpu"],
    ] as const) {
      for (const pod of pods) {
        const node = byName.get(pod.spec.nodeName);
        assert.ok(node, `${pod.metadata.name} is bound to ${pod.spec.nodeName}, which exists`);
        assert.equal(
          node.metadata.labels?.["karpenter.sh/nodepool"],
          pool,
          `${pod.metadata.name} runs on pool ${pool}`,
        );
        assert.ok(claimed.has(node.metadata.name), `Node/${node.metadata.name} has a NodeClaim`);
        assert.equal(node.metadata.labels?.["karpenter.sh/registered"], "true");
        assert.equal(node.metadata.labels?.["karpenter.sh/initialized"], "true");
        const taints = (node.spec?.taints ?? []).map(
          (t) => `${t.key}=${t.value ?? ""}:${t.effect}`,
        );
        assert.ok(
          !taints.some((t) => t.startsWith("karpenter.sh/unregistered")),
          "registration removed the unregistered taint",
        );
        if (pool === "gpu")
          assert.ok(
            taints.includes("nvidia.com/gpu=true:NoSchedule"),
            "GPU nodes carry the pool's taint",
          );
        else {
          assert.deepEqual(taints, [], "general nodes are untainted");
          assert.equal(node.metadata.labels?.team, "e2e", "the template's labels are on the node");
        }
      }
    }
    // The web pods' zone spread (maxSkew 1, DoNotSchedule), as kube-scheduler enforced it on carpool's nodes.
    const zones = new Map<string, number>();
    for (const pod of web) {
      const zone =
        byName.get(pod.spec.nodeName)?.metadata.labels?.["topology.kubernetes.io/zone"] ?? "";
      zones.set(zone, (zones.get(zone) ?? 0) + 1);
    }
    const counts = [...zones.values()];
    assert.ok(zones.size >= 2, `web spread over zones: ${JSON.stringify([...zones])}`);
    assert.ok(
      Math.max(...counts) - Math.min(...counts) <= 1,
      `skew ≤ 1: ${JSON.stringify([...zones])}`,
    );
    // The NodePools' status, as Karpenter writes it.
    await waitFor("NodePool status counts the nodes", async () => {
      const general = await client.get<NodePool>("karpenter.sh/v1", "NodePool", "general");
      const ready = general?.status?.conditions?.find((c) => c.type === "Ready");
      const count = (await nodes()).filter(
        (n) => n.metadata.labels?.["karpenter.sh/nodepool"] === "general",
      ).length;
      return ready?.status === "True" && general?.status?.nodes === count ? true : undefined;
    });
    assert.ok(controller.events("NodeClaimCreated").length >= 3);
    // Probes and Karpenter's metrics, on the ports the controller reports it bound.
    const started = await controller.waitForLog("its ports", (l) => l.message === "starting");
    const readyz = await fetch(`http://127.0.0.1:${started.healthPort}/readyz`);
    assert.equal(readyz.status, 200);
    assert.equal((await fetch(`http://127.0.0.1:${started.healthPort}/healthz`)).status, 200);
    const metrics = await (await fetch(`http://127.0.0.1:${started.metricsPort}/metrics`)).text();
    assert.match(
      metrics,
      /karpenter_nodeclaims_created_total\{[^}]*nodepool="general"[^}]*\} [1-9]/,
    );
    assert.match(
      metrics,
      /karpenter_cloudprovider_duration_seconds_count\{[^}]*method="Create"[^}]*provider="kwok"/,
    );
  });

  it("says on the pod why it cannot place it, and marks a NodePool without its node class not Ready", async () => {
    await client.apply(orphanPool);
    await client.apply(
      deployment({
        name: "nowhere",
        replicas: 1,
        requests: { cpu: "1" },
        nodeSelector: { "example.com/rack": "r9" },
      }),
    );
    const pool = await waitFor("NodePool orphan reported not Ready", async () => {
      const orphan = await client.get<NodePool>("karpenter.sh/v1", "NodePool", "orphan");
      const condition = orphan?.status?.conditions?.find((c) => c.type === "NodeClassReady");
      return condition?.status === "False" ? orphan : undefined;
    });
    const condition = pool.status?.conditions?.find((c) => c.type === "NodeClassReady");
    assert.equal(condition?.reason, "NodeClassNotFound");
    assert.match(condition?.message ?? "", /KwokNodeClass missing not found/);
    const events = () => client.list<KubeEvent>("events.k8s.io/v1", "Event", "default");
    await waitFor("an Event on NodePool/orphan", async () =>
      (await events()).find(
        (e) =>
          e.regarding?.kind === "NodePool" && e.regarding.name === "orphan" && e.type === "Warning",
      ),
    );
    const [pod] = await pods("nowhere");
    const event = await waitFor("a PodUnschedulable Event on the pod", async () =>
      (await events()).find(
        (e) => e.regarding?.name === pod?.metadata.name && e.reason === "PodUnschedulable",
      ),
    );
    // The reasons explain gives: the general pool cannot offer the selected label; orphan is not used.
    assert.match(event.note ?? "", /example\.com\/rack/);
    assert.equal(event.type, "Warning");
    assert.ok(
      !(await claims()).some((c) => c.metadata.labels?.["karpenter.sh/nodepool"] === "orphan"),
    );
    await client.delete("apps/v1", "Deployment", "nowhere", "default");
    await client.delete("karpenter.sh/v1", "NodePool", "orphan");
  });

  it("scaling to zero empties the nodes and removes them (consolidation)", async () => {
    await scale("web", 0);
    await scale("inference", 0);
    await waitFor(
      "every NodeClaim and kwok Node gone",
      async () => {
        const left = [
          ...(await claims()).map((c) => c.metadata.name),
          ...(await nodes()).map((n) => n.metadata.name),
        ];
        return left.length === 0 ? true : undefined;
      },
      240_000,
      2000,
    );
    const controller = controllers[0];
    assert.ok(controller !== undefined && controller.events("NodeClaimTerminated").length >= 3);
    assert.equal(await controller.stop(), 0, "SIGTERM stops the controller cleanly");
  });

  it("a controller killed by SIGKILL during a scale-up and started again leaves nothing orphaned", async () => {
    const first = start();
    await scale("web", 6);
    await first.waitForLog("a NodeClaim created", (l) => l.reason === "NodeClaimCreated");
    await first.kill();
    start();
    await allRunning("web", 6);
    await waitFor("every Node has a NodeClaim and every NodeClaim a Node", async () => {
      const nodeList = await nodes();
      const claimList = await claims();
      const claimedNodes = new Set(claimList.map((c) => c.status?.nodeName));
      const providerIDs = new Set(nodeList.map((n) => n.spec?.providerID));
      const orphanNodes = nodeList.filter((n) => !claimedNodes.has(n.metadata.name));
      const orphanClaims = claimList.filter((c) => !providerIDs.has(c.status?.providerID));
      return orphanNodes.length === 0 && orphanClaims.length === 0 ? true : undefined;
    });
  });

  it("with leader election only the leader acts, and a standby takes over when it stops", async () => {
    for (const controller of controllers.splice(0)) await controller.stop().catch(() => {});
    const flags = ["--leader-elect", "--leader-election-namespace", "default"];
    const a = start(...flags);
    const b = start(...flags);
    const leaderLine = (c: ControllerProcess) =>
      c.lines.find((l) => l.message === "became the leader");
    const leader = await waitFor("a leader", async () =>
      [a, b].find((c) => leaderLine(c) !== undefined),
    );
    const standby = leader === a ? b : a;
    const lease = await client.get<Lease>(
      "coordination.k8s.io/v1",
      "Lease",
      "carpool-leader-election",
      "default",
    );
    assert.equal(lease?.spec.holderIdentity, leaderLine(leader)?.identity);
    // Pods larger than any node there is, so each needs a new one.
    await client.apply(
      deployment({ name: "big-a", replicas: 2, requests: { cpu: "3", memory: "2Gi" } }),
    );
    await allRunning("big-a", 2);
    assert.ok(leader.events("NodeClaimCreated").length >= 1, "the leader launched the new nodes");
    assert.equal(standby.events("NodeClaimCreated").length, 0, "the standby launched nothing");
    // A leader stopping hands the Lease back, so the standby takes over within a retry period or
    // two rather than after the 15 s lease duration.
    const stopped = Date.now();
    assert.equal(await leader.stop(), 0);
    await standby.waitForLog("leadership", (l) => l.message === "became the leader", 20_000);
    assert.ok(Date.now() - stopped < 10_000, `took over in ${Date.now() - stopped} ms`);
    await client.apply(
      deployment({ name: "big-b", replicas: 2, requests: { cpu: "3", memory: "2Gi" } }),
    );
    await allRunning("big-b", 2);
    assert.ok(standby.events("NodeClaimCreated").length >= 1, "the new leader launches");
  });

  it("watches resume after kube-apiserver restarts", async () => {
    // The replica leading now: the first leader has stopped and handed over.
    const [controller] = controllers.filter(
      (c) => c.running && c.lines.some((l) => l.message === "became the leader"),
    );
    assert.ok(controller);
    await cluster.restartApiServer();
    const before = controller.events("NodeClaimCreated").length;
    // Right after a restart the server may still answer 429 while its caches fill: the user's
    // apply is retried; what is tested is that the controller's watches resume.
    await waitFor("the apply accepted after the restart", () =>
      client
        .apply(deployment({ name: "big-c", replicas: 2, requests: { cpu: "3", memory: "2Gi" } }))
        .then(() => true),
    );
    await allRunning("big-c", 2);
    assert.ok(controller.events("NodeClaimCreated").length > before, "new nodes after the restart");
  });
});
