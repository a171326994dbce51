const mebi = 1024 * 1024;
const gibi = 1024 * mebi;

/**
 * kube-reserved CPU as EKS and Karpenter's AWS provider compute it (instancetype/types.go): 6% of
 * the first core, 1% of the second, 0.5% of the third and fourth, 0.25% of every core above four,
 * each range truncated to whole milli-cores.
 */
export function kubeReservedCpu(cpuMilli: number): number {
  const ranges = [
    { start: 0, end: 1000, basisPoints: 600 },
    { start: 1000, end: 2000, basisPoints: 100 },
    { start: 2000, end: 4000, basisPoints: 50 },
    { start: 4000, end: Number.MAX_SAFE_INTEGER, basisPoints: 25 },
  ];
  let reserved = 0;
  for (const { start, end, basisPoints } of ranges) {
    if (cpuMilli < start) break;
    const span = Math.min(cpuMilli, end) - start;
    reserved += Math.floor((span * basisPoints) / 10_000);
  }
  return reserved;
}

/** kube-reserved memory: 11 MiB per pod the node may run, plus 255 MiB. */
export function kubeReservedMemory(maxPods: number): number {
  return (11 * maxPods + 255) * mebi;
}

/** Memory the hypervisor keeps: Karpenter's VM_MEMORY_OVERHEAD_PERCENT (default 7.5%), rounded up to MiB. */
export function vmMemoryOverhead(memoryMiB: number, percent = 0.075): number {
  return Math.ceil(memoryMiB * percent) * mebi;
}

/** Karpenter's default root volume for AL2023 (no blockDeviceMappings): 20Gi. */
export const defaultEphemeralStorage = 20 * gibi;
