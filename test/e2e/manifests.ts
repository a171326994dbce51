// The objects the end-to-end tests apply: a KwokNodeClass, a general NodePool and a GPU NodePool
// tainted nvidia.com/gpu=true:NoSchedule (as examples/kwok has them, but consolidating at once so a
// test does not wait minutes), and Deployments.
import type { Manifest } from "./cluster-client.ts";

export const nodeClass: Manifest = {
  apiVersion: "carpool.dev/v1alpha1",
  kind: "KwokNodeClass",
  metadata: { name: "default" },
  spec: {},
};

const disruption = {
  consolidationPolicy: "WhenEmptyOrUnderutilized",
  consolidateAfter: "0s",
  budgets: [{ nodes: "100%" }],
};

export const generalPool: Manifest = {
  apiVersion: "karpenter.sh/v1",
  kind: "NodePool",
  metadata: { name: "general" },
  spec: {
    template: {
      metadata: { labels: { team: "e2e" } },
      spec: {
        nodeClassRef: { group: "carpool.dev", kind: "KwokNodeClass", name: "default" },
        requirements: [
          { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
          { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
          { key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["c", "m"] },
          {
            key: "topology.kubernetes.io/zone",
            operator: "In",
            values: ["us-east-1a", "us-east-1b", "us-east-1c"],
          },
        ],
      },
    },
    limits: { cpu: "64" },
    disruption,
  },
};

export const gpuPool: Manifest = {
  apiVersion: "karpenter.sh/v1",
  kind: "NodePool",
  metadata: { name: "gpu" },
  spec: {
    template: {
      spec: {
        nodeClassRef: { group: "carpool.dev", kind: "KwokNodeClass", name: "default" },
        requirements: [
          { key: "karpenter.k8s.aws/instance-family", operator: "In", values: ["g5", "g6"] },
          { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
        ],
        taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }],
      },
    },
    limits: { "nvidia.com/gpu": "8" },
    disruption,
  },
};

/** A pool whose node class does not exist: carpool must report it and leave it alone. */
export const orphanPool: Manifest = {
  apiVersion: "karpenter.sh/v1",
  kind: "NodePool",
  metadata: { name: "orphan" },
  spec: {
    template: {
      metadata: { labels: { orphan: "yes" } },
      spec: {
        nodeClassRef: { group: "carpool.dev", kind: "KwokNodeClass", name: "missing" },
        requirements: [],
      },
    },
  },
};

interface DeploymentSpec {
  readonly name: string;
  readonly replicas: number;
  readonly requests: Record<string, string>;
  readonly gpu?: boolean;
  readonly zoneSpread?: boolean;
  readonly nodeSelector?: Record<string, string>;
}

export function deployment(spec: DeploymentSpec): Manifest {
  const labels = { app: spec.name };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: spec.name, namespace: "default" },
    spec: {
      replicas: spec.replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [
            {
              name: "main",
              image: "registry.example/none:1",
              resources: {
                requests: spec.requests,
                ...(spec.gpu && { limits: { "nvidia.com/gpu": spec.requests["nvidia.com/gpu"] } }),
              },
            },
          ],
          ...(spec.gpu && {
            tolerations: [
              { key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" },
            ],
          }),
          ...(spec.nodeSelector && { nodeSelector: spec.nodeSelector }),
          ...(spec.zoneSpread && {
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: "topology.kubernetes.io/zone",
                whenUnsatisfiable: "DoNotSchedule",
                labelSelector: { matchLabels: labels },
              },
            ],
          }),
        },
      },
    },
  };
}
