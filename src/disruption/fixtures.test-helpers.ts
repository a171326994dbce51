import type { Pod } from "../api/pod.ts";
import { type DisruptionPlan, disrupt } from "../disrupt.ts";
import { instanceType, nodePool } from "../solver/fixtures.test-helpers.ts";

/** Small builders for disruption tests: a cluster snapshot as plain objects. */
export const NOW = new Date("2026-11-25T20:00:00Z");
export const LONG_AGO = "2026-11-20T00:00:00Z";

/** A catalog of three sizes, priced so that one large costs less than two mediums. */
export const catalog = [
  instanceType("small", 2, 4, 0.05),
  instanceType("medium", 4, 8, 0.1),
  instanceType("large", 8, 16, 0.18),
];

export { instanceType, nodePool };

export interface NodeOptions {
  readonly pool?: string;
  readonly zone?: string;
  readonly capacityType?: string;
  readonly created?: string;
  readonly nodeAnnotations?: Record<string, string>;
  readonly claimAnnotations?: Record<string, string>;
  readonly claimTaints?: { key: string; value?: string; effect: string }[];
  readonly labels?: Record<string, string>;
  readonly claimLabels?: Record<string, string>;
  readonly expireAfter?: string;
  readonly lastPodEventTime?: string;
  readonly imageID?: string;
  readonly nodeClassRef?: { group: string; kind: string; name: string };
}

const sizes: Record<string, { cpu: string; memory: string }> = {
  small: { cpu: "2", memory: "4Gi" },
  medium: { cpu: "4", memory: "8Gi" },
  large: { cpu: "8", memory: "16Gi" },
};

/** A Node launched by a NodePool and its NodeClaim, as Karpenter leaves them. */
export function managed(name: string, type: string, options: NodeOptions = {}): object[] {
  const pool = options.pool ?? "default";
  const size = sizes[type] ?? { cpu: "1", memory: "1Gi" };
  const resources = { ...size, pods: "110" };
  const created = options.created ?? LONG_AGO;
  const labels = {
    "karpenter.sh/nodepool": pool,
    "node.kubernetes.io/instance-type": type,
    "topology.kubernetes.io/zone": options.zone ?? "z1",
    "karpenter.sh/capacity-type": options.capacityType ?? "on-demand",
    "kubernetes.io/arch": "amd64",
    ...options.labels,
  };
  return [
    {
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name,
        creationTimestamp: created,
        labels: { ...labels, "kubernetes.io/hostname": name },
        ...(options.nodeAnnotations && { annotations: options.nodeAnnotations }),
      },
      spec: {},
      status: { capacity: resources, allocatable: resources },
    },
    {
      apiVersion: "karpenter.sh/v1",
      kind: "NodeClaim",
      metadata: {
        name: `claim-${name}`,
        creationTimestamp: created,
        labels: { ...labels, ...options.claimLabels },
        ...(options.claimAnnotations && { annotations: options.claimAnnotations }),
      },
      spec: {
        nodeClassRef: options.nodeClassRef ?? {
          group: "carpool.dev",
          kind: "K3sNodeClass",
          name: "default",
        },
        requirements: [],
        ...(options.claimTaints && { taints: options.claimTaints }),
        ...(options.expireAfter && { expireAfter: options.expireAfter }),
      },
      status: {
        nodeName: name,
        ...(options.imageID && { imageID: options.imageID }),
        ...(options.lastPodEventTime && { lastPodEventTime: options.lastPodEventTime }),
        conditions: [{ type: "Initialized", status: "True", lastTransitionTime: created }],
      },
    },
  ];
}

/** A pod bound to a node. */
export function bound(
  name: string,
  nodeName: string,
  cpu: string,
  options: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    spec?: Partial<Pod["spec"]>;
  } = {},
): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: "default",
      labels: options.labels ?? {},
      ...(options.annotations && { annotations: options.annotations }),
    },
    spec: {
      nodeName,
      containers: [{ name: "c", resources: { requests: { cpu, memory: "256Mi" } } }],
      ...options.spec,
    },
  };
}

/** A pool that consolidates at once (consolidateAfter 0s) with no budget to speak of, unless told. */
export function pool(
  name = "default",
  disruption: Record<string, unknown> = {},
  template: Record<string, unknown> = {},
) {
  return nodePool(
    name,
    { disruption: { consolidateAfter: "0s", budgets: [{ nodes: "100%" }], ...disruption } },
    template,
  );
}

export function disruptOf(
  objects: readonly object[],
  options: { now?: Date; spotToSpot?: boolean } = {},
): DisruptionPlan {
  return disrupt(objects, {
    now: options.now ?? NOW,
    ...(options.spotToSpot !== undefined && { spotToSpot: options.spotToSpot }),
  });
}

/** Commands as `REASON action nodes → replacement types`, for compact assertions. */
export function summary(plan: DisruptionPlan): string[] {
  return plan.commands.map(
    (c) =>
      `${c.reason} ${c.action} ${c.nodes.join(",")}${c.replacements.length > 0 ? ` → ${c.replacements.map((r) => r.instanceType).join(",")}` : ""}`,
  );
}

export function blockedOf(plan: DisruptionPlan): Record<string, string> {
  return Object.fromEntries(plan.blocked.map((b) => [b.node, b.reason]));
}
