/** Inputs for the benchmark cases other than the Karpenter mix. Deterministic. */

const cpus = [100, 250, 500, 1000, 1500];
const memories = [128, 256, 512, 1024, 2048, 4096];

/** An on-demand pool of the built-in AWS catalog, with more requirements and a budget if given. */
export function generalPool(
  budget?: string,
  requirements: readonly object[] = [],
  disruption: Record<string, unknown> = {},
): object {
  return {
    apiVersion: "karpenter.sh/v1",
    kind: "NodePool",
    metadata: { name: "general" },
    spec: {
      template: {
        spec: {
          nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" },
          requirements: [
            { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
            ...requirements,
          ],
        },
      },
      ...(budget !== undefined && {
        disruption: { consolidateAfter: "0s", ...disruption, budgets: [{ nodes: budget }] },
      }),
    },
  };
}

/** `count` plain pods of assorted sizes, for the built-in AWS catalog (all of us-east-1). */
export function plainPods(count: number): object {
  const items = Array.from({ length: count }, (_, i) => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `pod-${i}`, namespace: "default" },
    spec: {
      containers: [
        {
          name: "c",
          image: "x",
          resources: {
            requests: {
              cpu: `${cpus[i % cpus.length]}m`,
              memory: `${memories[(i * 7) % memories.length]}Mi`,
            },
          },
        },
      ],
    },
  }));
  return { apiVersion: "v1", kind: "List", items: [generalPool(), ...items] };
}

/**
 * A running cluster for one disruption pass: `nodes` m5.2xlarge nodes holding `pods` pods, every
 * other node underutilized (a quarter of the pods of a full one). The pool keeps Karpenter's
 * default budget (10% of its nodes at a time).
 */
export function disruptionSnapshot(nodes: number, pods: number): object {
  const allocatable = { cpu: "7910m", memory: "29317Mi", pods: "58" };
  const items: object[] = [generalPool("10%")];
  const full = Math.round((pods / nodes) * 1.6);
  let made = 0;
  for (let n = 0; n < nodes; n++) {
    const name = `node-${String(n).padStart(4, "0")}`;
    const zone = ["us-east-1a", "us-east-1b", "us-east-1c"][n % 3];
    items.push({
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name,
        creationTimestamp: "2026-11-20T00:00:00Z",
        labels: {
          "karpenter.sh/nodepool": "general",
          "node.kubernetes.io/instance-type": "m5.2xlarge",
          "topology.kubernetes.io/zone": zone,
          "karpenter.sh/capacity-type": "on-demand",
          "kubernetes.io/arch": "amd64",
          "kubernetes.io/os": "linux",
          "kubernetes.io/hostname": name,
        },
      },
      status: { allocatable, capacity: allocatable },
    });
    const here = n % 2 === 1 ? Math.round(full / 4) : full;
    for (let p = 0; p < here && made < pods; p++, made++) {
      items.push({
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
          name: `pod-${made}`,
          namespace: "default",
          labels: { app: `app-${made % 20}` },
        },
        spec: {
          nodeName: name,
          containers: [
            { name: "c", image: "x", resources: { requests: { cpu: "200m", memory: "512Mi" } } },
          ],
        },
      });
    }
  }
  return { apiVersion: "v1", kind: "List", items };
}
