// Least privilege for a provider whose machines join as k3s agents (static, exec; issue 15), on
// the dev cluster's real API server. The chart is rendered for the provider, with the k3s token
// Secret in settings.bootstrapTokenSecrets; the controller runs as the chart's ServiceAccount
// through its job — a pod gets a machine switched on with user data that holds the token read
// through the Secret grant (a join-token check in front of the machine refuses any other token),
// then is scaled away, and the machine is switched off and its NodeClaim gone — and no request is
// refused. Then, for each grant that is the provider's own (its node class's list and watch, the
// Role's get on the token Secret), the same job fails without it. rbac.test.ts proves the rest.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import type { NodeClaim } from "../../src/api/nodeclaim.ts";
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
import { deployment } from "./manifests.ts";
import { grants, type RbacRole, without } from "./rbac-grants.ts";
import { serviceAccountKubeconfig } from "./service-account.ts";

const namespace = "carpool-system";
const tokenSecret = { namespace: "kube-system", name: "k3s-token", key: "token" };

/** Where a case's machines keep their state and logs; emptied between runs. */
export interface MachineSite {
  readonly clusterDir: string;
  readonly stateDir: string;
  /** One JSON line per machine switched on or off: {"power":"on"|"off","machine":...}. */
  readonly powerLog: string;
  /** The join-token check's (machines/join-token.mjs): the cluster token's SHA-256, and its log. */
  readonly tokenSha256: string;
  readonly joinLog: string;
  /** A hook command behind the join-token check (machines/join-token-check.mjs). */
  readonly tokenChecked: (command: readonly string[]) => string[];
}

export interface K3sProviderCase {
  readonly provider: "static" | "exec";
  readonly nodeClassKind: "StaticNodeClass" | "ExecNodeClass";
  /** The node class `rbac`, whose spec.bootstrap is `k3sBootstrap`, and what else it needs. */
  readonly objects: (site: MachineSite) => Manifest[];
}

/** The bootstrap every case's node class has: k3s, its token in the granted Secret. */
export const k3sBootstrap = {
  k3s: {
    serverURL: "https://10.0.0.1:6443",
    tokenSecretRef: tokenSecret,
    version: "v1.31.4+k3s1",
  },
};

export const machinesDir = join(repoRoot, "test", "e2e", "machines");

interface PowerLine {
  readonly power: "on" | "off" | "starting";
  readonly machine: string;
}
interface JoinLine {
  readonly join: "accepted" | "refused";
  readonly node: string;
}

function jsonLines<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as T);
}

export function describeK3sProviderRbac(subject: K3sProviderCase): void {
  const { provider, nodeClassKind } = subject;
  const resource = `${nodeClassKind.toLowerCase()}es`;
  describeWithDevCluster(`least privilege: the chart's ${provider} provider RBAC`, () => {
    let cluster: DevCluster;
    let admin: ClusterClient;
    let clusterRole: RbacRole;
    let tokenRole: RbacRole;
    let saKubeconfig: string;
    const scratch = mkdtempSync(join(tmpdir(), `carpool-rbac-${provider}-`));
    const stateDir = join(scratch, "machines");
    const joinLog = join(stateDir, "join.log");
    const token = `K10${randomBytes(32).toString("hex")}::server:${randomBytes(16).toString("hex")}`;
    const tokenSha256 = createHash("sha256").update(token).digest("hex");
    const site = (): MachineSite => ({
      clusterDir: cluster.dir,
      stateDir,
      powerLog: join(stateDir, "power.log"),
      tokenSha256,
      joinLog,
      tokenChecked: (command) => [
        process.execPath,
        join(machinesDir, "join-token-check.mjs"),
        "--token-sha256",
        tokenSha256,
        "--log",
        joinLog,
        "--",
        ...command,
      ],
    });

    before(async () => {
      cluster = await startDevCluster();
      admin = new ClusterClient(cluster.kubeconfig);
      for (const file of readdirSync(join(repoRoot, "crds")).sort())
        await admin.applyFile(join(repoRoot, "crds", file));
      await admin.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
      const rendered = renderChart(namespace, [
        `settings.cloudProvider=${provider}`,
        `settings.bootstrapTokenSecrets[0].namespace=${tokenSecret.namespace}`,
        `settings.bootstrapTokenSecrets[0].name=${tokenSecret.name}`,
      ]);
      clusterRole = rendered.find((o) => o.kind === "ClusterRole") as RbacRole;
      const role = rendered.find(
        (o) => o.kind === "Role" && o.metadata.namespace === tokenSecret.namespace,
      );
      assert.ok(role, "the chart renders a Role in the token Secret's namespace");
      tokenRole = role as RbacRole;
      for (const object of rendered.filter((o) =>
        ["ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"].includes(
          o.kind,
        ),
      ))
        await admin.apply(object);
      const account = rendered.find((o) => o.kind === "ServiceAccount")?.metadata.name ?? "";
      saKubeconfig = await serviceAccountKubeconfig(
        admin,
        cluster.kubeconfig,
        { namespace, name: account },
        join(scratch, "sa.kubeconfig"),
      );
      await admin.apply({
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: tokenSecret.name, namespace: tokenSecret.namespace },
        stringData: { [tokenSecret.key]: token },
      } as Manifest);
      await waitFor("the CRDs served", () =>
        admin.list("carpool.dev/v1alpha1", nodeClassKind).then(() => true),
      );
      mkdirSync(stateDir, { recursive: true });
    });

    after(async () => {
      await cluster?.down();
      rmSync(scratch, { recursive: true, force: true });
    });

    const controller = () => new ControllerProcess(saKubeconfig, ["--cloud-provider", provider]);

    const pool: Manifest = {
      apiVersion: "karpenter.sh/v1",
      kind: "NodePool",
      metadata: { name: "rbac" },
      spec: {
        template: {
          spec: {
            nodeClassRef: { group: "carpool.dev", kind: nodeClassKind, name: "rbac" },
            requirements: [],
          },
        },
        disruption: {
          consolidationPolicy: "WhenEmpty",
          consolidateAfter: "0s",
          budgets: [{ nodes: "100%" }],
        },
      },
    };

    /** The provider's part of the job; throws naming the step that did not happen in time. */
    async function scenario(proc: ControllerProcess, patience: number): Promise<void> {
      const step = <T>(what: string, check: () => Promise<T | undefined>, ms: number) =>
        waitFor(what, check, ms * patience);
      const machines = site();
      await proc.waitForLog("start", (l) => l.message === "starting", 30_000 * patience);
      for (const object of [
        ...subject.objects(machines),
        pool,
        deployment({ name: "mover", replicas: 1, requests: { cpu: "1500m", memory: "1Gi" } }),
      ])
        await admin.apply(object);
      const pod = await step(
        "the pod running on a machine carpool switched on",
        async () => {
          const [running] = (await admin.list<Pod>("v1", "Pod", "default")).filter(
            (p) => p.metadata.labels?.app === "mover" && p.status?.phase === "Running",
          );
          return running;
        },
        120_000,
      );
      const on = jsonLines<PowerLine>(machines.powerLog).filter((l) => l.power === "on");
      assert.equal(on.length, 1, "one machine switched on for the one pod");
      assert.deepEqual(
        jsonLines<JoinLine>(joinLog),
        [{ join: "accepted", node: pod.spec.nodeName }],
        "the pod's node joined with the token read from the Secret",
      );
      await admin.patch("apps/v1", "Deployment", "mover", { spec: { replicas: 0 } }, "default");
      await step(
        "the empty node's NodeClaim gone and its machine switched off",
        async () => {
          const off = jsonLines<PowerLine>(machines.powerLog).filter((l) => l.power === "off");
          return (await admin.list("karpenter.sh/v1", "NodeClaim")).length === 0 &&
            off.some((l) => l.machine === on[0]?.machine)
            ? true
            : undefined;
        },
        90_000,
      );
      assert.ok(proc.running, `the controller is still running: ${proc.tail(5)}`);
    }

    /** Removes what a run left, as an administrator would (finalizers included). */
    async function reset(): Promise<void> {
      await admin.delete("apps/v1", "Deployment", "mover", "default");
      await admin.delete("karpenter.sh/v1", "NodePool", "rbac");
      for (const claim of await admin.list<NodeClaim>("karpenter.sh/v1", "NodeClaim")) {
        await admin.patch("karpenter.sh/v1", "NodeClaim", claim.metadata.name ?? "", {
          metadata: { finalizers: null },
        });
        await admin.delete("karpenter.sh/v1", "NodeClaim", claim.metadata.name ?? "");
      }
      for (const object of subject.objects(site()))
        await admin.delete(
          object.apiVersion,
          object.kind,
          object.metadata.name ?? "",
          object.metadata.namespace,
        );
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
        (await admin.list("karpenter.sh/v1", "NodeClaim")).length === 0 &&
        (await admin.list("v1", "Node")).length === 0
          ? true
          : undefined,
      );
      rmSync(stateDir, { recursive: true, force: true });
      mkdirSync(stateDir, { recursive: true });
    }

    it(`the ${provider} provider does its job as the chart's ServiceAccount, and no request is refused`, async () => {
      const proc = controller();
      try {
        await scenario(proc, 1);
        // A pass skipped before the first watches open logs the stale notice with nothing refused.
        const refused = proc.lines.filter(
          (l) =>
            /forbidden/i.test(JSON.stringify(l)) ||
            (Array.isArray(l.refused) && l.refused.length > 0),
        );
        assert.deepEqual(refused, [], "no request refused");
        assert.ok(!JSON.stringify(proc.lines).includes(token), "the token is in no log line");
      } catch (error) {
        const machines = site();
        const logs = [machines.powerLog, machines.joinLog].map((f) =>
          existsSync(f) ? readFileSync(f, "utf8") : "",
        );
        throw new Error(`${(error as Error).message}\nmachines:\n${logs.join("")}\n${proc.tail()}`);
      } finally {
        await proc.kill();
        await reset();
      }
    });

    it(`every grant that is the ${provider} provider's own is needed: without any one of them the job fails`, async (t) => {
      const own = [
        ...grants(clusterRole).filter((g) => g.resource === resource),
        ...grants(tokenRole),
      ];
      assert.deepEqual(
        own.map((g) => `${g.role.split("/")[0]} ${g.resource} ${g.verb}`),
        [`ClusterRole ${resource} list`, `ClusterRole ${resource} watch`, "Role secrets get"],
      );
      assert.deepEqual(
        tokenRole.rules.map((r) => r.resourceNames),
        [[tokenSecret.name]],
        "get on the token Secret only",
      );
      for (const grant of own) {
        await t.test(
          `without ${grant.role.split("/")[0]} ${grant.resource} ${grant.verb}`,
          async () => {
            await admin.apply(without(clusterRole, grant));
            await admin.apply(without(tokenRole, grant));
            const proc = controller();
            try {
              // The job stops at a step that never happens, not at a mistake of this test, and the
              // controller was refused on the way.
              const failed = await scenario(proc, 0.5).then(
                () => assert.fail("the job succeeded without it"),
                (error: Error) => error,
              );
              t.diagnostic(`${grant.resource} ${grant.verb}: ${failed.message.split("\n")[0]}`);
              assert.match(failed.message, /timed out|never logged/);
              const refused = proc.lines.filter((l) =>
                /forbidden|may not read it/i.test(JSON.stringify(l)),
              );
              t.diagnostic(`refused: ${JSON.stringify(refused[0])?.slice(0, 400)}`);
              assert.ok(refused.length > 0, "a request refused");
            } finally {
              await proc.kill();
              await admin.apply(clusterRole);
              await admin.apply(tokenRole);
              await reset();
            }
          },
        );
      }
    });
  });
}
