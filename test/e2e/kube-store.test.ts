// The Kubernetes adapter (src/kube/) against a real kube-apiserver: the ClusterStore semantics the
// controllers rely on, as the server itself enforces them — optimistic concurrency, the status
// subresource, finalizers, evictions through PodDisruptionBudgets — and the informer cache.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, it } from "node:test";
import type { NodeClaim } from "../../src/api/nodeclaim.ts";
import type { Pod } from "../../src/api/pod.ts";
import { loadKubeConfig } from "../../src/kube/config.ts";
import { KubeRest } from "../../src/kube/rest.ts";
import { KubeClusterStore } from "../../src/kube/store.ts";
import {
  ConflictError,
  NotFoundError,
  type StoredObject,
  TooManyRequestsError,
} from "../../src/ports/cluster-store.ts";
import {
  type DevCluster,
  describeWithDevCluster,
  repoRoot,
  startDevCluster,
} from "../cluster/harness.ts";
import { ClusterClient, waitFor } from "./cluster-client.ts";

const claim = (name: string): NodeClaim => ({
  apiVersion: "karpenter.sh/v1",
  kind: "NodeClaim",
  metadata: {
    name,
    finalizers: ["karpenter.sh/termination"],
    labels: { "karpenter.sh/nodepool": "p" },
  },
  spec: {
    nodeClassRef: { group: "carpool.dev", kind: "KwokNodeClass", name: "default" },
    requirements: [
      { key: "node.kubernetes.io/instance-type", operator: "In", values: ["m5.large"] },
    ],
  },
});

describeWithDevCluster("the Kubernetes ClusterStore on a real API server", () => {
  let cluster: DevCluster;
  let client: ClusterClient;
  let store: KubeClusterStore;
  const changes: { object: StoredObject; deleted: boolean }[] = [];
  const invalid: { name: string | undefined; errors: string }[] = [];

  before(async () => {
    cluster = await startDevCluster();
    client = new ClusterClient(cluster.kubeconfig);
    for (const file of readdirSync(join(repoRoot, "crds")).sort())
      await client.applyFile(join(repoRoot, "crds", file));
    const rest = new KubeRest(loadKubeConfig({ kubeconfig: cluster.kubeconfig }));
    await waitFor("the NodeClaim CRD served", () =>
      rest.request("GET", "/apis/karpenter.sh/v1/nodeclaims").then(() => true),
    );
    store = new KubeClusterStore(rest, ["NodeClaim", "Pod", "PodDisruptionBudget", "NodePool"], {
      onChange: (object, deleted) => changes.push({ object, deleted }),
      onInvalid: (object, errors) =>
        invalid.push({
          name: object.metadata?.name,
          errors: errors.map((e) => `${e.path}: ${e.message}`).join("; "),
        }),
      onError: () => {},
    });
    store.start();
    await store.synced();
  });

  after(async () => {
    store?.stop();
    await cluster?.down();
  });

  it("creates with generateName, reads its own write at once, and sees others' writes through the watch", async () => {
    const created = await store.create({
      ...claim(""),
      metadata: { ...claim("").metadata, name: undefined, generateName: "p-" },
    });
    assert.match(
      created.metadata.name ?? "",
      /^p-[a-z0-9]{5}$/,
      "the server names it as Karpenter's claims are named",
    );
    assert.equal(
      (await store.get("NodeClaim", created.metadata.name ?? ""))?.metadata.uid,
      created.metadata.uid,
    );
    await client.patch("karpenter.sh/v1", "NodeClaim", created.metadata.name ?? "", {
      metadata: { labels: { by: "someone-else" } },
    });
    await waitFor("the watch brings another client's change", async () =>
      (await store.get("NodeClaim", created.metadata.name ?? ""))?.metadata.labels?.by ===
      "someone-else"
        ? true
        : undefined,
    );
  });

  it("an update from a stale read is a ConflictError (optimistic concurrency)", async () => {
    const created = await store.create(claim("stale"));
    await store.update({ ...created, metadata: { ...created.metadata, labels: { a: "1" } } });
    await assert.rejects(
      store.update({ ...created, metadata: { ...created.metadata, labels: { a: "2" } } }),
      ConflictError,
    );
  });

  it("status goes through the /status subresource, spec and status in one update", async () => {
    const created = await store.create(claim("status"));
    const updated = await store.update({
      ...created,
      metadata: { ...created.metadata, labels: { ...created.metadata.labels, step: "launched" } },
      status: {
        providerID: "kwok://status",
        conditions: [
          { type: "Launched", status: "True", lastTransitionTime: new Date().toISOString() },
        ],
      },
    });
    const stored = await client.get<NodeClaim>("karpenter.sh/v1", "NodeClaim", "status");
    assert.equal(stored?.metadata.labels?.step, "launched");
    assert.equal(stored?.status?.providerID, "kwok://status");
    assert.equal(updated.metadata.resourceVersion, stored?.metadata.resourceVersion);
  });

  it("deleting an object with a finalizer marks it; removing the finalizer removes it", async () => {
    await store.create(claim("final"));
    await store.delete({ kind: "NodeClaim", name: "final" });
    const marked = await store.get("NodeClaim", "final");
    assert.ok(marked?.metadata.deletionTimestamp, "deletionTimestamp set, object kept");
    await store.update({ ...marked, metadata: { ...marked.metadata, finalizers: [] } });
    assert.equal(await store.get("NodeClaim", "final"), undefined, "gone from the cache at once");
    assert.equal(
      await client.get("karpenter.sh/v1", "NodeClaim", "final"),
      undefined,
      "gone from the server",
    );
    await assert.rejects(store.delete({ kind: "NodeClaim", name: "final" }), NotFoundError);
  });

  it("an eviction a PodDisruptionBudget forbids is a TooManyRequestsError (HTTP 429 from the eviction API)", async () => {
    await client.apply({
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "keep", namespace: "default" },
      spec: { minAvailable: 1, selector: { matchLabels: { app: "kept" } } },
    });
    // A Pending pod is evicted whatever its budget says (the eviction REST handler lets pods that are
    // not running go), so the pod runs: on a Node kwok keeps Ready, which runs the pods bound to it.
    await client.apply({
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name: "kwok-0",
        annotations: { "kwok.x-k8s.io/node": "fake" },
        labels: { "kubernetes.io/hostname": "kwok-0" },
      },
      spec: {},
    });
    await client.apply({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "kept", namespace: "default", labels: { app: "kept" } },
      spec: { nodeName: "kwok-0", containers: [{ name: "c", image: "none" }] },
    });
    // kube-controller-manager's disruption controller computes the budget's status.
    await waitFor("the PDB sees the pod healthy", async () =>
      (
        await client.get<{ status?: { currentHealthy?: number } }>(
          "policy/v1",
          "PodDisruptionBudget",
          "keep",
          "default",
        )
      )?.status?.currentHealthy === 1
        ? true
        : undefined,
    );
    const pod = await waitFor("the pod cached", () => store.get("Pod", "kept", "default"));
    await assert.rejects(store.evict(pod as Pod), TooManyRequestsError);
  });

  it("an object carpool cannot use is reported with its field path and kept out of the cache", async () => {
    await client
      .apply({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "bad-request", namespace: "default" },
        spec: {
          containers: [
            { name: "c", image: "none", resources: { requests: { "example.com/widgets": "-1" } } },
          ],
        },
      })
      .catch((error: unknown) => {
        // The server itself may refuse it; then there is nothing for carpool to read.
        assert.match(String(error), /422|Invalid/);
      });
    const stored = await client.get("v1", "Pod", "bad-request", "default");
    if (stored === undefined) return;
    await waitFor("the report", async () =>
      invalid.some((i) => i.name === "bad-request") ? true : undefined,
    );
    assert.equal(await store.get("Pod", "bad-request", "default"), undefined);
  });

  it("the watches come back after kube-apiserver restarts", async () => {
    await cluster.restartApiServer();
    await client.apply(claim("after-restart"));
    await waitFor("the watch resumed", () => store.get("NodeClaim", "after-restart"), 60_000);
    assert.ok(changes.length > 0);
  });
});
