import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { KubernetesUnreadLocations } from "../../src/api/strict-fields-kubernetes.ts";
import { validateObject } from "../../src/api/validate.ts";
import { ApiError } from "../../src/kube/api-error.ts";
import { type DevCluster, describeWithDevCluster, startDevCluster } from "../cluster/harness.ts";
import { ClusterClient, type Manifest } from "./cluster-client.ts";

/**
 * What carpool's loader refuses, checked against a real API server: each object is created with
 * dryRun=All and must be refused there too, at the same field, in words carpool repeats.
 */
interface RefusedCase {
  readonly rule: string;
  readonly object: Manifest;
  /** The field as the API server names it (`requests[cpu]`) and as carpool does. */
  readonly serverField: string;
  readonly carpoolField?: string;
  /** Whether carpool's message is the API server's, word for word. */
  readonly sameWords: boolean;
}

const pod = (spec: Record<string, unknown>, name = "input-check"): Manifest => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default" },
  spec: { containers: [{ name: "c", image: "busybox" }], ...spec },
});

const withResources = (resources: Record<string, unknown>) =>
  pod({ containers: [{ name: "c", image: "busybox", resources }] });

const refused: readonly RefusedCase[] = [
  {
    rule: "a pod name is a DNS-1123 subdomain",
    object: pod({}, "Web_1"),
    serverField: "metadata.name",
    sameWords: true,
  },
  {
    rule: "a Service name is a DNS label",
    object: {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "Web", namespace: "default" },
      spec: { ports: [{ port: 80 }] },
    },
    serverField: "metadata.name",
    sameWords: true,
  },
  {
    rule: "a Namespace name is a DNS label (no dots)",
    object: { apiVersion: "v1", kind: "Namespace", metadata: { name: "team.a" } },
    serverField: "metadata.name",
    sameWords: true,
  },
  {
    rule: "a negative request",
    object: withResources({ requests: { cpu: "-1" } }),
    serverField: "spec.containers[0].resources.requests[cpu]",
    carpoolField: "spec.containers[0].resources.requests.cpu",
    sameWords: true,
  },
  {
    rule: "a request above its limit",
    object: withResources({ requests: { cpu: "2" }, limits: { cpu: "1" } }),
    serverField: "spec.containers[0].resources.requests",
    carpoolField: "spec.containers[0].resources.requests.cpu",
    sameWords: true,
  },
  {
    rule: "container names are DNS labels",
    object: pod({ containers: [{ name: "Web", image: "busybox" }] }),
    serverField: "spec.containers[0].name",
    sameWords: true,
  },
  {
    rule: "an init container may not reuse a container's name",
    object: pod({ initContainers: [{ name: "c", image: "busybox" }] }),
    serverField: "spec.initContainers[0].name",
    sameWords: true,
  },
  {
    rule: "a pod affinity selector with In needs values",
    object: pod({
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            {
              topologyKey: "kubernetes.io/hostname",
              labelSelector: { matchExpressions: [{ key: "app", operator: "In" }] },
            },
          ],
        },
      },
    }),
    serverField:
      "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].values",
    sameWords: true,
  },
  {
    rule: "a Deployment's replicas are not negative",
    object: {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "input-check", namespace: "default" },
      spec: {
        replicas: -1,
        selector: { matchLabels: { app: "x" } },
        template: {
          metadata: { labels: { app: "x" } },
          spec: { containers: [{ name: "c", image: "busybox" }] },
        },
      },
    },
    serverField: "spec.replicas",
    sameWords: true,
  },
];

describeWithDevCluster("carpool's input checks against a real API server", () => {
  let cluster: DevCluster | undefined;
  let client: ClusterClient;

  before(async () => {
    cluster = await startDevCluster();
    client = new ClusterClient(cluster.kubeconfig);
  });
  after(async () => {
    await cluster?.down();
  });

  async function refusal(object: Manifest, query: Record<string, string>): Promise<string> {
    const path = client.path(object.apiVersion, object.kind, object.metadata.namespace);
    try {
      await client.rest.request("POST", path, { body: object, query: { dryRun: "All", ...query } });
    } catch (error) {
      if (error instanceof ApiError) return error.message;
      throw error;
    }
    return "";
  }

  for (const row of refused) {
    it(`refused by both: ${row.rule} (${row.serverField})`, async () => {
      const server = await refusal(row.object, {});
      assert.match(server, /422/, `the API server accepted it: ${server}`);
      const validation = validateObject(row.object);
      assert.equal(validation.ok, false, "carpool accepted it");
      const errors = validation.ok ? [] : validation.errors;
      const mine = errors.find((e) => e.path === (row.carpoolField ?? row.serverField));
      assert.ok(mine, `carpool has no error at the field: ${JSON.stringify(errors)}`);
      assert.ok(server.includes(`${row.serverField}: `), server);
      if (row.sameWords) assert.ok(server.includes(mine.message), `${mine.message}\n${server}`);
    });
  }

  it("valid objects pass both (no false refusals from names, values or selectors)", async () => {
    const valid = pod({
      initContainers: [{ name: "init", image: "busybox" }],
      containers: [
        {
          name: "c",
          image: "busybox",
          resources: { requests: { cpu: "1000m" }, limits: { cpu: "1" } },
        },
      ],
    });
    assert.equal(await refusal(valid, {}), "");
    assert.deepEqual(validateObject(valid).ok, true);
  });

  it("an unknown field: strict field validation names the same path", async () => {
    const typo = pod({ nodeSelectr: { disk: "ssd" } });
    const server = await refusal(typo, { fieldValidation: "Strict" });
    assert.match(server, /unknown field "spec\.nodeSelectr"/);
    assert.deepEqual(validateObject(typo).unknownFields, ["spec.nodeSelectr"]);
  });

  it("fields of a real Pod that carpool does not read are not unknown to either", async () => {
    const full = pod({
      serviceAccountName: "default",
      dnsPolicy: "ClusterFirst",
      containers: [
        {
          name: "c",
          image: "busybox",
          command: ["sleep", "1"],
          env: [{ name: "A", value: "1" }],
          volumeMounts: [{ name: "v", mountPath: "/v" }],
          securityContext: { runAsNonRoot: true },
        },
      ],
      volumes: [{ name: "v", emptyDir: {} }],
    });
    assert.equal(await refusal(full, { fieldValidation: "Strict" }), "");
    assert.deepEqual(validateObject(full).unknownFields, []);
  });

  // The API server's OpenAPI v3 documents are the Kubernetes types' field lists: every field is
  // either in carpool's schema or listed as unread, and no unread field is made up.
  it("every Kubernetes field is in carpool's schema or listed as unread, per the server's OpenAPI", async () => {
    const groups = [
      "api/v1",
      "apis/apps/v1",
      "apis/batch/v1",
      "apis/policy/v1",
      "apis/storage.k8s.io/v1",
    ];
    const definitions: Record<string, { properties?: Record<string, unknown> }> = {};
    for (const group of groups) {
      const document = await client.rest.request<{
        components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
      }>("GET", `/openapi/v3/${group}`);
      Object.assign(definitions, document.components.schemas);
    }
    const problems: string[] = [];
    for (const [schema, openApi, unread] of KubernetesUnreadLocations) {
      const names = openApi.split(" ");
      const server = new Set<string>();
      for (const name of names) {
        const definition = definitions[name];
        if (definition === undefined) problems.push(`${name}: not in the server's OpenAPI`);
        for (const field of Object.keys(definition?.properties ?? {})) server.add(field);
      }
      const modelled = new Set(Object.keys((schema.properties ?? {}) as object));
      const missing = [...server].filter((f) => !modelled.has(f) && !unread.includes(f));
      const invented = [...unread, ...modelled].filter((f) => !server.has(f));
      if (missing.length > 0)
        problems.push(`${openApi}: neither modelled nor unread: ${missing.join(", ")}`);
      if (invented.length > 0)
        problems.push(`${openApi}: not Kubernetes fields: ${invented.join(", ")}`);
    }
    assert.deepEqual(problems, []);
  });
});
