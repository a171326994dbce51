// Least privilege, proven on a real API server (issue 15): the controller runs as the chart's
// ServiceAccount (a token from the TokenRequest API, not the admin's certificate) through a
// scenario that uses every part of its job — caches, leader election, launching, registering,
// NodePool status, Events, a user deleting a NodeClaim (drain by eviction, daemonset pods left on
// the node deleted) — and no request is refused. Then, for every verb of every rule of the
// chart's ClusterRole and Role, the same scenario runs without that one verb and fails. That is the
// chart as rendered for the kwok provider; each other provider's own grants are proven the same
// way in its own file: rbac-aws.test.ts (EC2NodeClasses), rbac-static.test.ts and
// rbac-exec.test.ts (their node classes and the Role's get on the k3s token Secret).
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
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
import { renderChart } from "./helm.ts";
import { nodeClass } from "./manifests.ts";
import { grants, type RbacRole, without } from "./rbac-grants.ts";
import { serviceAccountKubeconfig } from "./service-account.ts";

const namespace = "carpool-system";

/** Two pools: nodes of `rbac` drain by eviction alone; `grace` nodes delete what cannot be evicted after 15 s. */
function pool(name: string, terminationGracePeriod?: string): Manifest {
  return {
    apiVersion: "karpenter.sh/v1",
    kind: "NodePool",
    metadata: { name },
    spec: {
      template: {
        spec: {
          nodeClassRef: { group: "carpool.dev", kind: "KwokNodeClass", name: "default" },
          ...(terminationGracePeriod && { terminationGracePeriod }),
          requirements: [
            { key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["c", "m"] },
            { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
          ],
        },
      },
      disruption: {
        consolidationPolicy: "WhenEmpty",
        consolidateAfter: "0s",
        budgets: [{ nodes: "100%" }],
      },
    },
  };
}
const agent: Manifest = {
  apiVersion: "apps/v1",
  kind: "DaemonSet",
  metadata: { name: "agent", namespace: "default" },
  spec: {
    selector: { matchLabels: { app: "agent" } },
    template: {
      metadata: { labels: { app: "agent" } },
      spec: {
        tolerations: [{ operator: "Exists" }],
        containers: [
          {
            name: "agent",
            image: "none",
            resources: { requests: { cpu: "300m", memory: "128Mi" } },
          },
        ],
      },
    },
  },
};
/** One pod on a node of the given pool. */
function app(name: string, nodePool: string): Manifest {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "default" },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 0,
          nodeSelector: { "karpenter.sh/nodepool": nodePool },
          containers: [
            { name, image: "none", resources: { requests: { cpu: "800m", memory: "512Mi" } } },
          ],
        },
      },
    },
  };
}
/** A NodeOverlay and an empty CapacityBuffer: the controller writes their status, changing nothing else. */
const overlay: Manifest = {
  apiVersion: "karpenter.sh/v1alpha1",
  kind: "NodeOverlay",
  metadata: { name: "rbac" },
  spec: { requirements: [], capacity: { "example.com/rbac": "1" } },
};
const chunk: Manifest = {
  apiVersion: "v1",
  kind: "PodTemplate",
  metadata: { name: "rbac", namespace: "default" },
  template: { spec: { containers: [{ name: "c", image: "none" }] } },
};
const buffer: Manifest = {
  apiVersion: "autoscaling.x-k8s.io/v1alpha1",
  kind: "CapacityBuffer",
  metadata: { name: "rbac", namespace: "default" },
  spec: { podTemplateRef: { name: "rbac" }, replicas: 0 },
};
/** The `pinned` pod may not be evicted: draining its node waits out terminationGracePeriod, then deletes it. */
const pinnedBudget: Manifest = {
  apiVersion: "policy/v1",
  kind: "PodDisruptionBudget",
  metadata: { name: "pinned", namespace: "default" },
  spec: { minAvailable: 1, selector: { matchLabels: { app: "pinned" } } },
};

describeWithDevCluster("least privilege: the chart's RBAC on a real API server", () => {
  let cluster: DevCluster;
  let admin: ClusterClient;
  let clusterRole: RbacRole;
  let role: RbacRole;
  let saKubeconfig: string;
  const scratch = mkdtempSync(join(tmpdir(), "carpool-rbac-"));

  before(async () => {
    cluster = await startDevCluster();
    admin = new ClusterClient(cluster.kubeconfig);
    for (const file of readdirSync(join(repoRoot, "crds")).sort())
      await admin.applyFile(join(repoRoot, "crds", file));
    await admin.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
    const rendered = renderChart(namespace);
    clusterRole = rendered.find((o) => o.kind === "ClusterRole") as RbacRole;
    role = rendered.find((o) => o.kind === "Role") as RbacRole;
    for (const object of rendered.filter((o) =>
      ["ServiceAccount", "ClusterRoleBinding", "RoleBinding"].includes(o.kind),
    ))
      await admin.apply(object);
    await applyRoles(clusterRole, role);
    saKubeconfig = await serviceAccountKubeconfig(
      admin,
      cluster.kubeconfig,
      { namespace, name: rendered.find((o) => o.kind === "ServiceAccount")?.metadata.name ?? "" },
      join(scratch, "sa.kubeconfig"),
    );
    await waitFor("the CRDs served", () =>
      admin.list("karpenter.sh/v1", "NodeClaim").then(() => true),
    );
  });

  after(async () => {
    await cluster?.down();
  });

  async function applyRoles(cr: RbacRole, r: RbacRole): Promise<void> {
    await admin.apply(cr);
    await admin.apply(r);
  }

  /** Removes what a scenario left, as an administrator would (finalizers included). */
  async function reset(): Promise<void> {
    for (const name of ["mover", "pinned"])
      await admin.delete("apps/v1", "Deployment", name, "default");
    await admin.delete("apps/v1", "DaemonSet", "agent", "default");
    await admin.delete("policy/v1", "PodDisruptionBudget", "pinned", "default");
    await admin.delete("karpenter.sh/v1alpha1", "NodeOverlay", "rbac");
    await admin.delete("autoscaling.x-k8s.io/v1alpha1", "CapacityBuffer", "rbac", "default");
    await admin.delete("v1", "PodTemplate", "rbac", "default");
    for (const name of ["rbac", "grace"]) await admin.delete("karpenter.sh/v1", "NodePool", name);
    await admin.delete("carpool.dev/v1alpha1", "KwokNodeClass", "default");
    await admin.delete("coordination.k8s.io/v1", "Lease", "carpool-leader-election", namespace);
    for (const claim of await admin.list<NodeClaim>("karpenter.sh/v1", "NodeClaim")) {
      await admin.patch("karpenter.sh/v1", "NodeClaim", claim.metadata.name ?? "", {
        metadata: { finalizers: null },
      });
      await admin.delete("karpenter.sh/v1", "NodeClaim", claim.metadata.name ?? "");
    }
    for (const node of await admin.list<Manifest>("v1", "Node"))
      await admin.delete("v1", "Node", node.metadata.name ?? "");
    for (const pod of await admin.list<Pod>("v1", "Pod", "default"))
      await admin.rest
        .request("DELETE", `/api/v1/namespaces/default/pods/${pod.metadata.name}`, {
          query: { gracePeriodSeconds: 0 },
        })
        .catch(() => {});
    await waitFor("a clean cluster", async () =>
      (await admin.list("v1", "Pod", "default")).length === 0 &&
      (await admin.list("karpenter.sh/v1", "NodeClaim")).length === 0
        ? true
        : undefined,
    );
  }

  /**
   * The controller's job, step by step; throws naming the step that did not happen in time.
   * `patience` scales the waits: a run expected to fail gives up sooner.
   */
  async function scenario(controller: ControllerProcess, patience: number): Promise<void> {
    const step = <T>(what: string, check: () => Promise<T | undefined>, ms: number) =>
      waitFor(what, check, ms * patience);
    const started = await controller.waitForLog(
      "start",
      (l) => l.message === "starting",
      15_000 * patience,
    );
    await step(
      "ready: every cache synced and current",
      async () =>
        (await fetch(`http://127.0.0.1:${started.healthPort}/readyz`)).status === 200
          ? true
          : undefined,
      20_000,
    );
    await step(
      "leadership",
      async () => controller.lines.find((l) => l.message === "became the leader"),
      20_000,
    );
    const objects = [
      nodeClass,
      pool("rbac"),
      pool("grace", "15s"),
      agent,
      pinnedBudget,
      app("mover", "rbac"),
      app("pinned", "grace"),
      overlay,
      chunk,
      buffer,
    ];
    for (const object of objects) await admin.apply(object);
    const running = async (name: string) => {
      const pods = (await admin.list<Pod>("v1", "Pod", "default")).filter(
        (p) => p.metadata.labels?.app === name && p.metadata.deletionTimestamp === undefined,
      );
      return pods.length > 0 && pods.every((p) => p.status?.phase === "Running") ? pods : undefined;
    };
    const [mover] = await step(
      "the mover pod running on a node carpool launched",
      () => running("mover"),
      60_000,
    );
    const [pinned] = await step(
      "the pinned pod running on another",
      () => running("pinned"),
      60_000,
    );
    await step(
      "a running agent pod on each node (daemonset overhead counted)",
      async () => (((await running("agent"))?.length ?? 0) >= 2 ? true : undefined),
      30_000,
    );
    await step(
      "NodePool status Ready with its nodes counted",
      async () => {
        const written = await admin.get<NodePool>("karpenter.sh/v1", "NodePool", "rbac");
        const ready =
          written?.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";
        return ready && (written?.status?.nodes ?? 0) >= 1 ? true : undefined;
      },
      20_000,
    );
    await step(
      "NodeOverlay and CapacityBuffer status written",
      async () => {
        const o = await admin.get<Manifest & { status?: { conditions?: unknown[] } }>(
          "karpenter.sh/v1alpha1",
          "NodeOverlay",
          "rbac",
        );
        const b = await admin.get<Manifest & { status?: { conditions?: unknown[] } }>(
          "autoscaling.x-k8s.io/v1alpha1",
          "CapacityBuffer",
          "rbac",
          "default",
        );
        return o?.status?.conditions?.length && b?.status?.conditions?.length ? true : undefined;
      },
      20_000,
    );
    const thisRun = new Set(
      (await admin.list<NodeClaim>("karpenter.sh/v1", "NodeClaim")).map((c) => c.metadata.name),
    );
    await step(
      "an Event for one of this run's NodeClaims",
      async () =>
        (
          await admin.list<{ reason?: string; regarding?: { name?: string } }>(
            "events.k8s.io/v1",
            "Event",
            "default",
          )
        ).find((e) => e.reason === "NodeClaimCreated" && thisRun.has(e.regarding?.name)),
      10_000,
    );
    // A user deletes the NodeClaims under both pods. The mover's node drains by eviction; the
    // pinned pod's eviction is refused by its budget, so it is deleted once the grace pool's
    // terminationGracePeriod runs out. Each pod gets a new node.
    for (const pod of [mover, pinned]) {
      const node = pod?.spec.nodeName ?? "";
      const claim = (await admin.list<NodeClaim>("karpenter.sh/v1", "NodeClaim")).find(
        (c) => c.status?.nodeName === node,
      );
      assert.ok(claim, `a NodeClaim for node ${node}`);
      await admin.delete("karpenter.sh/v1", "NodeClaim", claim.metadata.name ?? "");
      await step(
        `the NodeClaim under ${pod?.metadata.labels?.app} drained and gone`,
        async () =>
          (await admin.get("karpenter.sh/v1", "NodeClaim", claim.metadata.name ?? "")) === undefined
            ? true
            : undefined,
        45_000,
      );
      await step(
        `${pod?.metadata.labels?.app} running again elsewhere`,
        async () => {
          const pods = await running(pod?.metadata.labels?.app ?? "");
          return pods?.every((p) => p.spec.nodeName !== node) ? pods : undefined;
        },
        60_000,
      );
    }
    // Scaled to zero, the nodes are empty: disruption deletes their NodeClaims (emptiness).
    for (const name of ["mover", "pinned"])
      await admin.patch("apps/v1", "Deployment", name, { spec: { replicas: 0 } }, "default");
    await step(
      "every NodeClaim removed by emptiness",
      async () =>
        (await admin.list("karpenter.sh/v1", "NodeClaim")).length === 0 ? true : undefined,
      60_000,
    );
    assert.ok(controller.running, `the controller is still running: ${controller.tail(5)}`);
  }

  it("the controller does its whole job as the chart's ServiceAccount, and no request is refused", async () => {
    const controller = new ControllerProcess(saKubeconfig, [
      "--leader-elect",
      "--leader-election-namespace",
      namespace,
    ]);
    try {
      await scenario(controller, 1);
      const refused = controller.lines.filter((l) =>
        /forbidden|refuses carpool/i.test(JSON.stringify(l)),
      );
      assert.deepEqual(refused, [], "no request refused");
    } finally {
      await controller.kill();
      await reset();
    }
  });

  it("every verb the chart grants is needed: without any one of them the job fails", async (t) => {
    const all = [...grants(clusterRole), ...grants(role)];
    assert.ok(all.length >= 30, `${all.length} grants`);
    // RBAC_GRANT="nodes delete" runs that one removal only, when looking into it.
    const only = process.env.RBAC_GRANT;
    for (const grant of all.filter(
      (g) => only === undefined || `${g.resource} ${g.verb}` === only,
    )) {
      await t.test(`without ${grant.role} ${grant.resource} ${grant.verb}`, async () => {
        await applyRoles(without(clusterRole, grant), without(role, grant));
        const controller = new ControllerProcess(saKubeconfig, [
          "--leader-elect",
          "--leader-election-namespace",
          namespace,
        ]);
        try {
          await assert.rejects(scenario(controller, 0.5), (error: unknown) => {
            assert.ok(error instanceof Error);
            return true;
          });
        } finally {
          await controller.kill();
          await applyRoles(clusterRole, role);
          await reset();
        }
      });
    }
  });
});
