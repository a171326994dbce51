// The dev cluster itself: a real apiserver, scheduler and controller-manager, and kwok behind fake nodes.
// Run alone with `npx tsx --test test/cluster/dev-cluster.test.ts`. The first run on a machine builds
// the binaries (many minutes); later runs start the cluster in seconds.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { after, before, it } from "node:test";
import {
  type DevCluster,
  describeWithDevCluster,
  type KubeResponse,
  kubeRequest,
  pinnedKubernetesVersion,
  startDevCluster,
} from "./harness.ts";

type Condition = { type: string; status: string };
type NodeObject = { status?: { conditions?: Condition[] } };
type PodObject = {
  metadata: { name: string };
  spec: { nodeName?: string };
  status?: { phase?: string; conditions?: Condition[] };
};
type List<T> = { items: T[] };

function json<T>(response: KubeResponse, expected: number[] = [200]): T {
  assert.ok(
    expected.includes(response.status),
    `HTTP ${response.status} (expected ${expected.join(" or ")}): ${response.body}`,
  );
  return JSON.parse(response.body) as T;
}

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last}` : ""}`);
}

function conditionTrue(conditions: Condition[] | undefined, type: string): boolean {
  return conditions?.some((c) => c.type === type && c.status === "True") ?? false;
}

// A process that has exited but is not yet reaped (a zombie) counts as gone.
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

describeWithDevCluster("dev cluster (scripts/dev-cluster)", () => {
  let cluster: DevCluster;
  // Unique names, so a reused cluster (CARPOOL_DEV_CLUSTER_DIR) can run this file again.
  const run = Date.now().toString(36);
  const nodeName = `kwok-fake-${run}`;
  const podName = `scheduled-${run}`;
  const app = `web-${run}`;
  const ns = "default";
  // No nodeName: kube-scheduler picks the node. The selector keeps it off nodes of earlier runs.
  const podSpec = {
    nodeSelector: { "kubernetes.io/hostname": nodeName },
    containers: [{ name: "app", image: "registry.k8s.io/pause:3.10" }],
  };

  const get = (path: string) => kubeRequest(cluster.credentials, "GET", path);
  const post = (path: string, body: unknown) =>
    kubeRequest(cluster.credentials, "POST", path, body);

  before(async () => {
    cluster = await startDevCluster();
  });

  after(async () => {
    await cluster?.down();
  });

  it("answers /readyz with ok", async () => {
    const response = await get("/readyz");
    assert.equal(response.status, 200);
    assert.equal(response.body, "ok");
    assert.match(cluster.server, /^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it("reports the pinned Kubernetes release on /version", async () => {
    const version = json<{ gitVersion: string; major: string; minor: string }>(
      await get("/version"),
    );
    const pinned = pinnedKubernetesVersion();
    assert.equal(version.gitVersion, pinned);
    assert.equal(`v${version.major}.${version.minor}`, pinned.split(".").slice(0, 2).join("."));
  });

  it("has kwok make an annotated node Ready and renew its lease", async () => {
    json(
      await post("/api/v1/nodes", {
        apiVersion: "v1",
        kind: "Node",
        metadata: {
          name: nodeName,
          annotations: { "kwok.x-k8s.io/node": "fake" },
          labels: { "kubernetes.io/hostname": nodeName, "kubernetes.io/os": "linux" },
        },
        spec: {},
      }),
      [201],
    );
    await eventually("the node to be Ready", async () => {
      const node = json<NodeObject>(await get(`/api/v1/nodes/${nodeName}`));
      return conditionTrue(node.status?.conditions, "Ready") ? node : undefined;
    });
    await eventually("the node's lease", async () => {
      const response = await get(
        `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${nodeName}`,
      );
      return response.status === 200 ? response : undefined;
    });
  });

  it("schedules a pod onto the fake node (kube-scheduler) and kwok runs it", async () => {
    json(
      await post(`/api/v1/namespaces/${ns}/pods`, {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: podName },
        spec: podSpec,
      }),
      [201],
    );
    const pod = await eventually("the pod to run", async () => {
      const pod = json<PodObject>(await get(`/api/v1/namespaces/${ns}/pods/${podName}`));
      return pod.status?.phase === "Running" && conditionTrue(pod.status.conditions, "Ready")
        ? pod
        : undefined;
    });
    assert.equal(pod.spec.nodeName, nodeName);
  });

  it("runs a Deployment's 2 replicas (kube-controller-manager)", async () => {
    const labels = { app };
    json(
      await post(`/apis/apps/v1/namespaces/${ns}/deployments`, {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: app },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: podSpec,
          },
        },
      }),
      [201],
    );
    const pods = await eventually("2 running pods of the Deployment", async () => {
      const list = json<List<PodObject>>(
        await get(`/api/v1/namespaces/${ns}/pods?labelSelector=app%3D${app}`),
      );
      const runningPods = list.items.filter((pod) => pod.status?.phase === "Running");
      return runningPods.length === 2 ? runningPods : undefined;
    });
    for (const pod of pods) assert.equal(pod.spec.nodeName, nodeName);
    await eventually("the Deployment to report 2 ready replicas", async () => {
      const deployment = json<{ status?: { readyReplicas?: number } }>(
        await get(`/apis/apps/v1/namespaces/${ns}/deployments/${app}`),
      );
      return deployment.status?.readyReplicas === 2 ? deployment : undefined;
    });
  });

  it("comes back after an apiserver restart, with its data", async () => {
    const before = cluster.processes().find((p) => p.name === "kube-apiserver");
    assert.ok(before, "kube-apiserver has a recorded pid");
    await cluster.restartApiServer();
    const after = cluster.processes().find((p) => p.name === "kube-apiserver");
    assert.ok(after && after.pid !== before.pid, "kube-apiserver runs under a new pid");
    assert.equal(alive(before.pid), false);
    const response = await get("/readyz");
    assert.equal(response.status, 200);
    assert.equal(response.body, "ok");
    json(await get(`/api/v1/nodes/${nodeName}`));
    json(await get(`/apis/apps/v1/namespaces/${ns}/deployments/${app}`));
  });

  it("goes down: the directory is removed and no process is left", async (t) => {
    if (cluster.reused) {
      t.skip("the cluster in CARPOOL_DEV_CLUSTER_DIR is reused, not stopped");
      return;
    }
    const processes = cluster.processes();
    assert.deepEqual(processes.map((p) => p.name).sort(), [
      "kine",
      "kube-apiserver",
      "kube-controller-manager",
      "kube-scheduler",
      "kwok",
    ]);
    for (const p of processes) assert.ok(alive(p.pid), `${p.name} (pid ${p.pid}) runs`);
    await cluster.down();
    assert.equal(existsSync(cluster.dir), false, `${cluster.dir} is removed`);
    for (const p of processes)
      assert.equal(alive(p.pid), false, `${p.name} (pid ${p.pid}) stopped`);
  });
});
