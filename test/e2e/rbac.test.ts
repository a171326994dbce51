// Least privilege, proven on a real API server (issue 15): the controller runs as the chart's
// ServiceAccount (a token from the TokenRequest API, not the admin's certificate) through a
// scenario that uses every part of its job — caches, leader election, launching, registering,
// NodePool status, Events, a user deleting a NodeClaim (drain by eviction, daemonset pods left on
// the node deleted) — and no request is refused. Then, for every verb of every rule of the
// chart's ClusterRole and Role, the same scenario runs without that one verb and fails.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import type { NodeClaim } from "../../src/api/nodeclaim.ts";
import type { NodePool } from "../../src/api/nodepool.ts";
import type { Pod } from "../../src/api/pod.ts";
import {
  type DevCluster,
  devClusterAvailability,
  repoRoot,
  startDevCluster,
} from "../cluster/harness.ts";
import { ClusterClient, type Manifest, waitFor } from "./cluster-client.ts";
import { ControllerProcess } from "./controller-process.ts";
import { renderChart } from "./helm.ts";
import { nodeClass } from "./manifests.ts";

const availability = devClusterAvailability();
const skip = availability.available ? false : `${availability.reason}: ${availability.enable}`;
const namespace = "carpool-system";

interface Rule {
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
  verbs: string[];
}
type RbacRole = Manifest & { rules: Rule[] };

/** One verb on one resource of one rule: what a removal takes away. */
interface Grant {
  readonly role: "ClusterRole" | "Role";
  readonly rule: number;
  readonly resource: string;
  readonly verb: string;
}

function grants(role: RbacRole): Grant[] {
  return role.rules.flatMap((rule, index) =>
    rule.resources.flatMap((resource) =>
      rule.verbs.map((verb) => ({ role: role.kind as Grant["role"], rule: index, resource, verb })),
    ),
  );
}

function without(role: RbacRole, grant: Grant): RbacRole {
  if (role.kind !== grant.role) return role;
  const rules = role.rules.flatMap((rule, index) => {
    if (index !== grant.rule) return [rule];
    const others = rule.resources.filter((r) => r !== grant.resource);
    const verbs = rule.verbs.filter((v) => v !== grant.verb);
    return [
      ...(others.length > 0 ? [{ ...rule, resources: others }] : []),
      ...(verbs.length > 0 ? [{ ...rule, resources: [grant.resource], verbs }] : []),
    ];
  });
  return { ...role, rules };
}

const pool: Manifest = {
  apiVersion: "karpenter.sh/v1",
  kind: "NodePool",
  metadata: { name: "rbac" },
  spec: {
    template: {
      spec: {
        nodeClassRef: { group: "carpool.dev", kind: "KwokNodeClass", name: "default" },
        // Pods whose eviction a PodDisruptionBudget refuses are deleted when this runs out.
        terminationGracePeriod: "15s",
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
/** No web pod may be evicted: draining one waits for terminationGracePeriod, then deletes it. */
const webBudget: Manifest = {
  apiVersion: "policy/v1",
  kind: "PodDisruptionBudget",
  metadata: { name: "web", namespace: "default" },
  spec: { minAvailable: 2, selector: { matchLabels: { app: "web" } } },
};
const web: Manifest = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "default" },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: {
        terminationGracePeriodSeconds: 0,
        affinity: {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              {
                topologyKey: "kubernetes.io/hostname",
                labelSelector: { matchLabels: { app: "web" } },
              },
            ],
          },
        },
        containers: [
          { name: "web", image: "none", resources: { requests: { cpu: "800m", memory: "512Mi" } } },
        ],
      },
    },
  },
};

describe("least privilege: the chart's RBAC on a real API server", { skip }, () => {
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
      rendered.find((o) => o.kind === "ServiceAccount")?.metadata.name ?? "",
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

  /** A kubeconfig that authenticates as the ServiceAccount, with a token the API server issues. */
  async function serviceAccountKubeconfig(name: string): Promise<string> {
    const answer = await admin.rest.request<{ status: { token: string } }>(
      "POST",
      `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`,
      {
        body: {
          apiVersion: "authentication.k8s.io/v1",
          kind: "TokenRequest",
          spec: { expirationSeconds: 7200 },
        },
      },
    );
    const adminConfig = parse(readFileSync(cluster.kubeconfig, "utf8")) as {
      clusters: { cluster: Record<string, string> }[];
    };
    const file = join(scratch, "sa.kubeconfig");
    writeFileSync(
      file,
      JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "dev", cluster: adminConfig.clusters[0]?.cluster }],
        users: [{ name: name, user: { token: answer.status.token } }],
        contexts: [{ name: "sa", context: { cluster: "dev", user: name } }],
        "current-context": "sa",
      }),
    );
    return file;
  }

  /** Removes what a scenario left, as an administrator would (finalizers included). */
  async function reset(): Promise<void> {
    await admin.delete("apps/v1", "Deployment", "web", "default");
    await admin.delete("apps/v1", "DaemonSet", "agent", "default");
    await admin.delete("policy/v1", "PodDisruptionBudget", "web", "default");
    await admin.delete("karpenter.sh/v1", "NodePool", "rbac");
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
    for (const object of [nodeClass, pool, agent, webBudget, web]) await admin.apply(object);
    const running = async (app: string, count: number) => {
      const pods = (await admin.list<Pod>("v1", "Pod", "default")).filter(
        (p) => p.metadata.labels?.app === app && p.metadata.deletionTimestamp === undefined,
      );
      return pods.length >= count &&
        pods.filter((p) => p.status?.phase === "Running").length >= count
        ? pods
        : undefined;
    };
    const webPods = await step(
      "two web pods running on nodes carpool launched",
      () => running("web", 2),
      60_000,
    );
    await step(
      "a running agent pod on each node (daemonset overhead counted)",
      () => running("agent", 2),
      30_000,
    );
    await step(
      "NodePool status Ready with its nodes counted",
      async () => {
        const written = await admin.get<NodePool>("karpenter.sh/v1", "NodePool", "rbac");
        const ready =
          written?.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";
        return ready && (written?.status?.nodes ?? 0) >= 2 ? true : undefined;
      },
      20_000,
    );
    await step(
      "an Event for a NodeClaim",
      async () =>
        (await admin.list<{ reason?: string }>("events.k8s.io/v1", "Event", "default")).find(
          (e) => e.reason === "NodeClaimCreated",
        ),
      10_000,
    );
    // A user deletes the NodeClaim under a web pod: the controller drains the node — the eviction is
    // refused by the budget, so the pod is deleted once terminationGracePeriod runs out — deletes
    // the instance and the claim's finalizer; the pod gets a new node.
    const victim = webPods[0]?.spec.nodeName ?? "";
    const claim = (await admin.list<NodeClaim>("karpenter.sh/v1", "NodeClaim")).find(
      (c) => c.status?.nodeName === victim,
    );
    assert.ok(claim, `a NodeClaim for node ${victim}`);
    await admin.delete("karpenter.sh/v1", "NodeClaim", claim.metadata.name ?? "");
    await step(
      "the deleted NodeClaim drained and gone",
      async () =>
        (await admin.get("karpenter.sh/v1", "NodeClaim", claim.metadata.name ?? "")) === undefined
          ? true
          : undefined,
      30_000,
    );
    await step(
      "the evicted web pod running again elsewhere",
      async () => {
        const pods = await running("web", 2);
        return pods?.every((p) => p.spec.nodeName !== victim) ? pods : undefined;
      },
      60_000,
    );
    // Scaled to zero, the nodes are empty: disruption deletes their NodeClaims (emptiness).
    await admin.patch("apps/v1", "Deployment", "web", { spec: { replicas: 0 } }, "default");
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
        /forbidden|refuses|403/i.test(JSON.stringify(l)),
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
    for (const grant of all) {
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
