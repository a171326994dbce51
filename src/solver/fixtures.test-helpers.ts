import type { InstanceTypeObject } from "../api/instancetype.ts";
import type { Pod } from "../api/pod.ts";
import { plan } from "../plan.ts";
import type { Plan } from "./plan.ts";

/** Small builders for solver tests: manifests as plain objects, planned through the library. */
export const nodePool = (
  name: string,
  spec: Record<string, unknown> = {},
  template: Record<string, unknown> = {},
  labels?: Record<string, string>,
) => ({
  apiVersion: "karpenter.sh/v1",
  kind: "NodePool",
  metadata: { name },
  spec: {
    template: {
      ...(labels && { metadata: { labels } }),
      spec: {
        nodeClassRef: { group: "carpool.dev", kind: "K3sNodeClass", name: "default" },
        requirements: [],
        ...template,
      },
    },
    ...spec,
  },
});

export const instanceType = (
  name: string,
  cpu: number,
  memoryGi: number,
  price: number,
  extra: {
    zones?: string[];
    labels?: Record<string, string>;
    capacity?: Record<string, string>;
    capacityType?: string;
    unavailable?: string[];
  } = {},
): InstanceTypeObject => ({
  apiVersion: "carpool.dev/v1alpha1",
  kind: "InstanceType",
  metadata: { name },
  spec: {
    capacity: { cpu: String(cpu), memory: `${memoryGi}Gi`, pods: "110", ...extra.capacity },
    labels: { "kubernetes.io/arch": "amd64", ...extra.labels },
    offerings: (extra.zones ?? ["z1", "z2", "z3"]).map((zone) => ({
      zone,
      capacityType: extra.capacityType ?? "on-demand",
      price,
      ...(extra.unavailable?.includes(zone) && { available: false }),
    })),
  },
});

export const pod = (
  name: string,
  cpu: string,
  spec: Partial<Pod["spec"]> = {},
  labels: Record<string, string> = {},
): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default", labels },
  spec: { containers: [{ name: "c", resources: { requests: { cpu, memory: "256Mi" } } }], ...spec },
});

export const node = (
  name: string,
  cpu: string,
  labels: Record<string, string> = {},
  spec: Record<string, unknown> = {},
) => ({
  apiVersion: "v1",
  kind: "Node",
  metadata: { name, labels: { "kubernetes.io/hostname": name, ...labels } },
  spec,
  status: { allocatable: { cpu, memory: "16Gi", pods: "110" } },
});

/** The small catalog most rows use: three sizes, the price linear in cpu. */
export const sizes = [
  instanceType("small", 2, 4, 0.02),
  instanceType("medium", 4, 8, 0.04),
  instanceType("large", 8, 16, 0.08),
];

export function planOf(...objects: object[]): Plan {
  return plan(objects);
}

/** Where each pod went: claim name, existing node name, or "unschedulable". */
export function placements(result: Plan): Record<string, string> {
  const where: Record<string, string> = {};
  for (const claim of result.nodeClaims) for (const p of claim.pods) where[p] = claim.name;
  for (const existing of result.existingNodes)
    for (const p of existing.pods) where[p] = existing.name;
  for (const u of result.unschedulable) where[u.pod] = "unschedulable";
  return where;
}
