/**
 * The Helm chart's values, as a TypeBox schema: charts/carpool/values.schema.json is generated from
 * it (npm run chart-schema), so Helm refuses a misspelt or mistyped value at install time.
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type TSchema, Type } from "@sinclair/typebox";

const closed = <T extends Parameters<typeof Type.Object>[0]>(properties: T, description?: string) =>
  Type.Object(properties, { additionalProperties: false, ...(description && { description }) });
const anyObject = (description: string) =>
  Type.Object({}, { additionalProperties: true, description });
const anyList = (description: string) => Type.Array(anyObject("an item"), { description });
const port = (description: string) => Type.Integer({ minimum: 1, maximum: 65535, description });
/** A Kubernetes resource name (DNS-1123 label). */
const dnsLabel = Type.String({ pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", maxLength: 63 });

export const ValuesSchema: TSchema = closed({
  replicas: Type.Integer({
    minimum: 1,
    description: "controller replicas; more than one elect a leader",
  }),
  revisionHistoryLimit: Type.Integer({ minimum: 0 }),
  image: closed({
    repository: Type.String({ minLength: 1 }),
    tag: Type.String(),
    digest: Type.String({ pattern: "^(|sha256:[a-f0-9]{64})$" }),
    pullPolicy: Type.Union([
      Type.Literal("Always"),
      Type.Literal("IfNotPresent"),
      Type.Literal("Never"),
    ]),
  }),
  imagePullSecrets: anyList("image pull secrets of the pod"),
  nameOverride: Type.String(),
  fullnameOverride: Type.String(),
  serviceAccount: closed({
    create: Type.Boolean(),
    name: Type.String(),
    annotations: Type.Record(Type.String(), Type.String()),
  }),
  podAnnotations: Type.Record(Type.String(), Type.String()),
  podLabels: Type.Record(Type.String(), Type.String()),
  priorityClassName: Type.String(),
  dnsPolicy: Type.Union([
    Type.Literal("ClusterFirst"),
    Type.Literal("ClusterFirstWithHostNet"),
    Type.Literal("Default"),
    Type.Literal("None"),
  ]),
  terminationGracePeriodSeconds: Type.Integer({ minimum: 0 }),
  nodeSelector: Type.Record(Type.String(), Type.String()),
  affinity: anyObject("the pod's affinity (core/v1 Affinity)"),
  topologySpreadConstraints: anyList("core/v1 TopologySpreadConstraints without labelSelector"),
  tolerations: anyList("core/v1 Tolerations"),
  resources: anyObject("core/v1 ResourceRequirements"),
  podDisruptionBudget: closed({
    enabled: Type.Boolean(),
    maxUnavailable: Type.Union([
      Type.Integer({ minimum: 0 }),
      Type.String({ pattern: "^[0-9]+%$" }),
    ]),
  }),
  metricsPort: port("Prometheus metrics"),
  healthProbePort: port("/healthz and /readyz"),
  serviceMonitor: closed({
    enabled: Type.Boolean(),
    additionalLabels: Type.Record(Type.String(), Type.String()),
    interval: Type.String({ pattern: "^(|[0-9]+(ms|s|m|h))$" }),
  }),
  logLevel: Type.Union([
    Type.Literal("debug"),
    Type.Literal("info"),
    Type.Literal("warn"),
    Type.Literal("error"),
  ]),
  logFormat: Type.Union([Type.Literal("json"), Type.Literal("text")]),
  settings: closed({
    cloudProvider: Type.Union(
      [Type.Literal("kwok"), Type.Literal("static"), Type.Literal("exec"), Type.Literal("aws")],
      {
        description: "where nodes come from",
      },
    ),
    bootstrapTokenSecrets: Type.Array(
      closed({ namespace: dnsLabel, name: Type.String({ minLength: 1, maxLength: 253 }) }),
    ),
    clusterName: Type.String(),
    region: Type.String({ pattern: "^[a-z]{2}(-[a-z]+)+-[0-9]+$" }),
    aws: closed({
      clusterEndpoint: Type.String({ pattern: "^(|https://.+)$" }),
      clusterCABundle: Type.String({ pattern: "^[A-Za-z0-9+/=]*$" }),
      interruptionQueue: Type.String({ pattern: "^[A-Za-z0-9_-]{0,80}$" }),
    }),
    leaderElection: closed({ enabled: Type.Boolean(), name: dnsLabel }),
    featureGates: closed({ spotToSpotConsolidation: Type.Boolean() }),
  }),
  extraEnv: anyList("core/v1 EnvVars added to the controller"),
});

/** JSON Schema draft 7 for Helm, without TypeBox's own markers. */
export function valuesSchemaJson(): string {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, strip(v)]),
    );
  };
  const schema = {
    $schema: "http://json-schema.org/draft-07/schema#",
    ...(strip(ValuesSchema) as object),
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = join(
    dirname(fileURLToPath(import.meta.url)),
    "..",
    "charts",
    "carpool",
    "values.schema.json",
  );
  writeFileSync(file, valuesSchemaJson());
  console.log("wrote charts/carpool/values.schema.json");
}
