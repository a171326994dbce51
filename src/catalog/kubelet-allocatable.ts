import type { AMIFamily } from "../api/ec2nodeclass-cel.ts";
import type { KubeletConfiguration } from "../api/ec2nodeclass-kubelet.ts";
import { parseQuantity } from "../resources/quantity.ts";
import {
  addResources,
  type Resources,
  subtractResources,
  toSchedulerUnits,
} from "../resources/resource-list.ts";
import { kubeReservedCpu, kubeReservedMemory, vmMemoryOverhead } from "./aws-overhead.ts";

const mebi = 1024 * 1024;
const gibi = 1024 * mebi;

/** What an instance type brings, before the node class's kubelet settings are applied. */
export interface InstanceTypeFacts {
  readonly vcpu: number;
  readonly memoryMiB: number;
  /** Graviton (arm64) keeps 64 MiB of CMA memory the OS cannot use. */
  readonly architecture: "amd64" | "arm64";
  /** ENIs × (IPv4 addresses per ENI − 1) + 2: the VPC CNI's pod limit (eni-max-pods.txt). */
  readonly eniLimitedPods: number;
  /** Bytes of the kubelet's volume (ec2NodeClass ephemeralStorageSize, parsed). */
  readonly ephemeralStorage: number;
  /** GPUs and other devices, in capacity as they are (`nvidia.com/gpu`: 1). */
  readonly devices?: Resources;
}

export interface KubeletAllocatable {
  readonly capacity: Resources;
  readonly kubeReserved: Resources;
  readonly systemReserved: Resources;
  readonly evictionThreshold: Resources;
  /** kubeReserved + systemReserved + evictionThreshold. */
  readonly overhead: Resources;
  /** capacity − overhead: what pods may request. */
  readonly allocatable: Resources;
}

export interface KubeletAllocatableOptions {
  readonly amiFamily?: AMIFamily;
  /** Karpenter's VM_MEMORY_OVERHEAD_PERCENT. */
  readonly vmMemoryOverheadPercent?: number;
}

/**
 * Capacity and allocatable of a node as Karpenter's AWS provider computes them from the instance
 * type and the EC2NodeClass's `spec.kubelet` (v1.x pkg/providers/instancetype/types.go):
 *
 * - pods: kubelet.maxPods, else the ENI limit (110 on Windows, whose CNI is not ENI-limited),
 *   capped at podsPerCore × vCPUs when podsPerCore > 0 (ignored on Bottlerocket);
 * - kube-reserved: CPU by the EKS ranges; memory 11 MiB per pod + 255 MiB, counting the ENI limit
 *   on AL2, AL2023 and Custom (even under maxPods) and the pod capacity on Bottlerocket and
 *   Windows; 1Gi ephemeral-storage; then kubelet.kubeReserved per resource;
 * - system-reserved: kubelet.systemReserved only;
 * - eviction: memory.available 100Mi and nodefs.available 10% unless kubelet sets them, the larger
 *   of evictionHard and evictionSoft per signal (evictionSoft not on Bottlerocket), a percentage
 *   taken of capacity (100% means off: 0).
 */
export function kubeletAllocatable(
  facts: InstanceTypeFacts,
  kubelet: KubeletConfiguration | undefined = undefined,
  options: KubeletAllocatableOptions = {},
): KubeletAllocatable {
  const family = options.amiFamily ?? "AL2023";
  const usableMiB = facts.memoryMiB - (facts.architecture === "arm64" ? 64 : 0);
  const memory = usableMiB * mebi - vmMemoryOverhead(usableMiB, options.vmMemoryOverheadPercent);
  const pods = podCapacity(facts, kubelet, family);
  const capacity: Resources = {
    cpu: facts.vcpu * 1000,
    memory,
    "ephemeral-storage": facts.ephemeralStorage,
    pods,
    ...facts.devices,
  };
  const memoryPods =
    family === "Bottlerocket" || family.startsWith("Windows") ? pods : facts.eniLimitedPods;
  const kubeReserved: Resources = {
    cpu: kubeReservedCpu(capacity.cpu ?? 0),
    memory: kubeReservedMemory(memoryPods),
    "ephemeral-storage": gibi,
    ...reservedResources(kubelet?.kubeReserved),
  };
  const systemReserved = reservedResources(kubelet?.systemReserved);
  const evictionThreshold = evictionThresholds(capacity, kubelet, family);
  const overhead = addResources(addResources(kubeReserved, systemReserved), evictionThreshold);
  return {
    capacity,
    kubeReserved,
    systemReserved,
    evictionThreshold,
    overhead,
    allocatable: subtractResources(capacity, overhead),
  };
}

function podCapacity(
  facts: InstanceTypeFacts,
  kubelet: KubeletConfiguration | undefined,
  family: AMIFamily,
): number {
  const byDensity = family.startsWith("Windows") ? 110 : facts.eniLimitedPods;
  const pods = kubelet?.maxPods ?? byDensity;
  const perCore = kubelet?.podsPerCore ?? 0;
  // Bottlerocket's settings have no pods-per-core; Karpenter ignores it there.
  if (perCore > 0 && family !== "Bottlerocket") return Math.min(perCore * facts.vcpu, pods);
  return pods;
}

/**
 * kubeReserved / systemReserved as resources. `pid` is a kubelet reservation of process IDs, not
 * a resource pods request, so it is left out of the node's overhead.
 */
function reservedResources(reserved: Readonly<Record<string, string>> | undefined): Resources {
  const resources: Record<string, number> = {};
  for (const [name, text] of Object.entries(reserved ?? {})) {
    if (name === "pid") continue;
    resources[name] = toSchedulerUnits(name, parseQuantity(text));
  }
  return resources;
}

function evictionThresholds(
  capacity: Resources,
  kubelet: KubeletConfiguration | undefined,
  family: AMIFamily,
): Resources {
  const thresholds: Record<string, number> = {
    memory: 100 * mebi,
    "ephemeral-storage": evictionSignal(capacity["ephemeral-storage"] ?? 0, "10%"),
  };
  const signalMaps = [kubelet?.evictionHard];
  if (family !== "Bottlerocket") signalMaps.push(kubelet?.evictionSoft);
  const configured: Record<string, number> = {};
  for (const signals of signalMaps) {
    if (signals === undefined) continue;
    for (const [signal, resource] of [
      ["memory.available", "memory"],
      ["nodefs.available", "ephemeral-storage"],
    ] as const) {
      const value = signals[signal];
      // The CRD's pattern lets an empty threshold through; like an absent one, it sets nothing.
      if (value === undefined || value === "") continue;
      const amount = evictionSignal(capacity[resource] ?? 0, value);
      configured[resource] = Math.max(configured[resource] ?? 0, amount);
    }
  }
  return { ...thresholds, ...configured };
}

/** A threshold as a percentage of capacity (rounded up; 100% disables it) or a quantity. */
function evictionSignal(capacity: number, value: string): number {
  if (!value.endsWith("%")) return toSchedulerUnits("memory", parseQuantity(value));
  const percent = Number(value.slice(0, -1));
  return Math.ceil((capacity / 100) * (percent === 100 ? 0 : percent));
}
