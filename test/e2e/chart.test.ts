// The Helm chart (charts/carpool) with the real Helm (built into the tools cache by
// scripts/dev-cluster) and a real kube-apiserver: lint, render, values schema, the restricted Pod
// Security Standard as the API server's PodSecurity admission enforces it, install and uninstall.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Value } from "@sinclair/typebox/value";
import { parse } from "yaml";
import { ValuesSchema, valuesSchemaJson } from "../../scripts/chart-values-schema.ts";
import { ApiError } from "../../src/kube/api-error.ts";
import { type DevCluster, describeWithDevCluster, startDevCluster } from "../cluster/harness.ts";
import { ClusterClient, type Manifest, waitFor } from "./cluster-client.ts";
import { chartDir, helm, renderChart } from "./helm.ts";

type PodTemplate = { metadata?: Manifest["metadata"]; spec: Record<string, unknown> };
const deploymentOf = (objects: Manifest[]) =>
  objects.find((o) => o.kind === "Deployment") as Manifest & {
    spec: { template: PodTemplate; replicas: number };
  };

describeWithDevCluster("the Helm chart", () => {
  it("passes helm lint --strict", () => {
    const result = helm(["lint", "--strict", chartDir]);
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });

  it("values.yaml satisfies values.schema.json, which is what npm run chart-schema writes", () => {
    assert.equal(readFileSync(join(chartDir, "values.schema.json"), "utf8"), valuesSchemaJson());
    const values = parse(readFileSync(join(chartDir, "values.yaml"), "utf8"));
    assert.deepEqual(
      [...Value.Errors(ValuesSchema, values)].map((e) => `${e.path}: ${e.message}`),
      [],
    );
  });

  it("every value is documented in the chart's README", () => {
    const values = parse(readFileSync(join(chartDir, "values.yaml"), "utf8")) as Record<
      string,
      unknown
    >;
    const readme = readFileSync(join(chartDir, "README.md"), "utf8");
    const leaves = (object: Record<string, unknown>, prefix = ""): string[] =>
      Object.entries(object).flatMap(([key, value]) =>
        value !== null &&
        typeof value === "object" &&
        !Array.isArray(value) &&
        Object.keys(value).length > 0 &&
        !["affinity", "resources", "nodeSelector"].includes(key)
          ? leaves(value as Record<string, unknown>, `${prefix}${key}.`)
          : [`${prefix}${key}`],
      );
    const missing = leaves(values).filter((key) => !readme.includes(`\`${key}\``));
    assert.deepEqual(missing, []);
  });

  it("helm refuses a misspelt value, a provider carpool does not have, and two replicas without leader election", () => {
    for (const [set, says] of [
      ["replica=3", "additional properties 'replica' not allowed"],
      ["settings.cloudProvider=gce", "/settings/cloudProvider"],
      [
        "settings.leaderElection.enabled=false",
        "leaderElection.enabled must be true with more than one replica",
      ],
    ] as const) {
      const result = helm(["template", "carpool", chartDir, "--set", set]);
      assert.notEqual(result.status, 0, set);
      assert.match(result.stderr, new RegExp(says.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")), set);
    }
  });

  it("renders what Karpenter's chart has: two replicas, zone spread, critical priority, PDB, probes, metrics Service", () => {
    const objects = renderChart("carpool");
    const kinds = objects.map((o) => o.kind).sort();
    assert.deepEqual(kinds, [
      "ClusterRole",
      "ClusterRoleBinding",
      "Deployment",
      "PodDisruptionBudget",
      "Role",
      "RoleBinding",
      "Service",
      "ServiceAccount",
    ]);
    const deployment = deploymentOf(objects);
    const pod = deployment.spec.template.spec as {
      priorityClassName: string;
      topologySpreadConstraints: { topologyKey: string; labelSelector: unknown }[];
      tolerations: { key: string }[];
      containers: {
        env: { name: string; value?: string }[];
        livenessProbe: unknown;
        readinessProbe: unknown;
      }[];
    };
    assert.equal(deployment.spec.replicas, 2);
    assert.equal(pod.priorityClassName, "system-cluster-critical");
    assert.equal(pod.topologySpreadConstraints[0]?.topologyKey, "topology.kubernetes.io/zone");
    assert.ok(
      pod.topologySpreadConstraints[0]?.labelSelector,
      "the spread selects the pods themselves",
    );
    assert.deepEqual(
      pod.tolerations.map((t) => t.key),
      ["CriticalAddonsOnly", "node-role.kubernetes.io/control-plane"],
    );
    const env = Object.fromEntries((pod.containers[0]?.env ?? []).map((e) => [e.name, e.value]));
    assert.equal(env.LEADER_ELECT, "true");
    assert.equal(env.CLOUD_PROVIDER, "kwok");
    assert.ok(pod.containers[0]?.livenessProbe && pod.containers[0]?.readinessProbe);
    // The ServiceMonitor only where prometheus-operator's CRD is: never without it.
    assert.ok(
      !renderChart("carpool", ["serviceMonitor.enabled=true"]).some(
        (o) => o.kind === "ServiceMonitor",
      ),
    );
    const withCrd = helm([
      "template",
      "carpool",
      chartDir,
      "--set",
      "serviceMonitor.enabled=true",
      "--api-versions",
      "monitoring.coreos.com/v1",
    ]);
    assert.match(withCrd.stdout, /kind: ServiceMonitor/);
  });

  describe("on a real API server", () => {
    let cluster: DevCluster;
    let client: ClusterClient;
    before(async () => {
      cluster = await startDevCluster();
      client = new ClusterClient(cluster.kubeconfig);
    });
    after(async () => {
      await cluster?.down();
    });

    it("the controller's pod is admitted by PodSecurity at `restricted`, and one weakened is refused", async () => {
      await client.apply({
        apiVersion: "v1",
        kind: "Namespace",
        metadata: {
          name: "restricted",
          labels: { "pod-security.kubernetes.io/enforce": "restricted" },
        },
      });
      const rendered = renderChart("restricted");
      for (const account of rendered.filter((o) => o.kind === "ServiceAccount"))
        await client.apply(account);
      const template = deploymentOf(rendered).spec.template;
      const pod = (spec: Record<string, unknown>) => ({
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
          name: "carpool-psa",
          namespace: "restricted",
          labels: template.metadata?.labels,
        },
        spec,
      });
      const create = (body: unknown) =>
        client.rest.request("POST", "/api/v1/namespaces/restricted/pods", {
          body,
          query: { dryRun: "All" },
        });
      await create(pod(template.spec));
      // Without the container's capability drop the same pod violates the standard: the check is real.
      const containers = (template.spec.containers as Record<string, unknown>[]).map((c) => ({
        ...c,
        securityContext: { ...(c.securityContext as object), capabilities: {} },
      }));
      await assert.rejects(create(pod({ ...template.spec, containers })), (error: unknown) => {
        assert.ok(error instanceof ApiError && error.status === 403, String(error));
        assert.match(error.message, /violates PodSecurity "restricted:latest".*capabilities/);
        return true;
      });
    });

    it("helm install creates the release and its CRDs; helm uninstall removes the release and keeps the CRDs", async () => {
      const install = helm(
        ["install", "carpool", chartDir, "--namespace", "carpool", "--create-namespace"],
        cluster.kubeconfig,
      );
      assert.equal(install.status, 0, install.stderr);
      const deployment = await client.get("apps/v1", "Deployment", "carpool", "carpool");
      assert.ok(deployment, "the Deployment exists");
      for (const crd of [
        "nodepools.karpenter.sh",
        "nodeclaims.karpenter.sh",
        "kwoknodeclasses.carpool.dev",
        "instancetypes.carpool.dev",
      ])
        assert.ok(
          await client.get("apiextensions.k8s.io/v1", "CustomResourceDefinition", crd),
          crd,
        );
      const uninstall = helm(
        ["uninstall", "carpool", "--namespace", "carpool", "--wait"],
        cluster.kubeconfig,
      );
      assert.equal(uninstall.status, 0, uninstall.stderr);
      await waitFor("the Deployment gone", async () =>
        (await client.get("apps/v1", "Deployment", "carpool", "carpool")) === undefined
          ? true
          : undefined,
      );
      assert.ok(
        await client.get(
          "apiextensions.k8s.io/v1",
          "CustomResourceDefinition",
          "nodepools.karpenter.sh",
        ),
      );
    });
  });
});
