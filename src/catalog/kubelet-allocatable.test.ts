import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AMIFamily } from "../api/ec2nodeclass-cel.ts";
import type { KubeletConfiguration } from "../api/ec2nodeclass-kubelet.ts";
import { type InstanceTypeFacts, kubeletAllocatable } from "./kubelet-allocatable.ts";

const Mi = 1024 * 1024;
const Gi = 1024 * Mi;

// m5.xlarge: 4 vCPU, 16 GiB, 3 ENIs × 15 IPv4 → 58 pods; AL2023's default 20Gi root volume.
const m5xlarge: InstanceTypeFacts = {
  vcpu: 4,
  memoryMiB: 16384,
  architecture: "amd64",
  eniLimitedPods: 58,
  ephemeralStorage: 20 * Gi,
};
// 16384Mi less Karpenter's 7.5% VM overhead (1229Mi, rounded up).
const m5Memory = 15155 * Mi;

interface Row {
  readonly rule: string;
  readonly facts?: InstanceTypeFacts;
  readonly kubelet?: KubeletConfiguration;
  readonly amiFamily?: AMIFamily;
  readonly capacity?: Record<string, number>;
  readonly allocatable: Record<string, number>;
}

describe("kubeletAllocatable: Karpenter's capacity and allocatable from spec.kubelet (instancetype/types.go)", () => {
  const rows: Row[] = [
    {
      rule: "no kubelet block: ENI pods, EKS kube-reserved, 100Mi and 10% eviction (the m5.xlarge of examples/)",
      capacity: { cpu: 4000, memory: m5Memory, "ephemeral-storage": 20 * Gi, pods: 58 },
      allocatable: {
        cpu: 3920,
        memory: 14162 * Mi,
        "ephemeral-storage": 20 * Gi - Gi - 2 * Gi,
        pods: 58,
      },
    },
    {
      rule: "maxPods overrides pods; on AL2023 kube-reserved memory still counts the ENI limit (UsesENILimitedMemoryOverhead)",
      kubelet: { maxPods: 110 },
      allocatable: { cpu: 3920, memory: 14162 * Mi, "ephemeral-storage": 17 * Gi, pods: 110 },
    },
    {
      rule: "maxPods on Bottlerocket: kube-reserved memory counts the pods (11 × 110 + 255 MiB)",
      kubelet: { maxPods: 110 },
      amiFamily: "Bottlerocket",
      allocatable: {
        cpu: 3920,
        memory: (15155 - 1465 - 100) * Mi,
        "ephemeral-storage": 17 * Gi,
        pods: 110,
      },
    },
    {
      rule: "podsPerCore caps pods at podsPerCore × vCPUs",
      kubelet: { podsPerCore: 10 },
      allocatable: { cpu: 3920, memory: 14162 * Mi, "ephemeral-storage": 17 * Gi, pods: 40 },
    },
    {
      rule: "podsPerCore does not raise pods above maxPods",
      kubelet: { podsPerCore: 10, maxPods: 20 },
      allocatable: { cpu: 3920, memory: 14162 * Mi, "ephemeral-storage": 17 * Gi, pods: 20 },
    },
    {
      rule: "podsPerCore is ignored on Bottlerocket (PodsPerCoreEnabled false)",
      kubelet: { podsPerCore: 10 },
      amiFamily: "Bottlerocket",
      allocatable: { cpu: 3920, memory: 14162 * Mi, "ephemeral-storage": 17 * Gi, pods: 58 },
    },
    {
      rule: "Windows is not ENI-limited: 110 pods, kube-reserved memory for 110",
      amiFamily: "Windows2022",
      allocatable: {
        cpu: 3920,
        memory: (15155 - 1465 - 100) * Mi,
        "ephemeral-storage": 17 * Gi,
        pods: 110,
      },
    },
    {
      rule: "kubeReserved replaces the computed reservation per resource (ephemeral-storage keeps 1Gi)",
      kubelet: { kubeReserved: { cpu: "500m", memory: "1Gi" } },
      allocatable: {
        cpu: 3500,
        memory: (15155 - 1024 - 100) * Mi,
        "ephemeral-storage": 17 * Gi,
        pods: 58,
      },
    },
    {
      rule: "systemReserved adds to kube-reserved; pid reserves no schedulable resource",
      kubelet: { systemReserved: { cpu: "100m", memory: "100Mi", pid: "1000" } },
      allocatable: {
        cpu: 3820,
        memory: (14162 - 100) * Mi,
        "ephemeral-storage": 17 * Gi,
        pods: 58,
      },
    },
    {
      rule: "evictionHard memory.available as a percentage of capacity, rounded up",
      kubelet: { evictionHard: { "memory.available": "5%" } },
      // 5% of 15155Mi = 794558464 bytes.
      allocatable: { cpu: 3920, memory: 14160232448, "ephemeral-storage": 17 * Gi, pods: 58 },
    },
    {
      rule: "a lower evictionHard replaces the 100Mi default",
      kubelet: { evictionHard: { "memory.available": "50Mi" } },
      allocatable: { cpu: 3920, memory: (14162 + 50) * Mi, "ephemeral-storage": 17 * Gi, pods: 58 },
    },
    {
      rule: "the larger of evictionHard and evictionSoft per signal",
      kubelet: {
        evictionHard: { "memory.available": "500Mi" },
        evictionSoft: { "memory.available": "1Gi" },
        evictionSoftGracePeriod: { "memory.available": "1m" },
      },
      allocatable: {
        cpu: 3920,
        memory: (15155 - 893 - 1024) * Mi,
        "ephemeral-storage": 17 * Gi,
        pods: 58,
      },
    },
    {
      rule: "evictionSoft is ignored on Bottlerocket (EvictionSoftEnabled false)",
      kubelet: {
        evictionHard: { "memory.available": "500Mi" },
        evictionSoft: { "memory.available": "1Gi" },
        evictionSoftGracePeriod: { "memory.available": "1m" },
      },
      amiFamily: "Bottlerocket",
      allocatable: {
        cpu: 3920,
        memory: (15155 - 893 - 500) * Mi,
        "ephemeral-storage": 17 * Gi,
        pods: 58,
      },
    },
    {
      rule: "nodefs.available as a percentage of the root volume (100Gi)",
      facts: { ...m5xlarge, ephemeralStorage: 100 * Gi },
      kubelet: { evictionHard: { "nodefs.available": "15%" } },
      allocatable: {
        cpu: 3920,
        memory: 14162 * Mi,
        "ephemeral-storage": 100 * Gi - Gi - 16106127360,
        pods: 58,
      },
    },
    {
      rule: "a threshold of 100% turns the signal off (kubelet config: 100% disables)",
      kubelet: { evictionHard: { "memory.available": "100%" } },
      allocatable: {
        cpu: 3920,
        memory: (15155 - 893) * Mi,
        "ephemeral-storage": 17 * Gi,
        pods: 58,
      },
    },
    {
      rule: "Graviton keeps 64 MiB of CMA memory before the VM overhead (c6g.large)",
      facts: {
        vcpu: 2,
        memoryMiB: 4096,
        architecture: "arm64",
        eniLimitedPods: 29,
        ephemeralStorage: 20 * Gi,
      },
      capacity: { cpu: 2000, memory: 3729 * Mi, "ephemeral-storage": 20 * Gi, pods: 29 },
      // kube-reserved cpu 60 + 10; memory 11 × 29 + 255 = 574Mi.
      allocatable: {
        cpu: 1930,
        memory: (3729 - 574 - 100) * Mi,
        "ephemeral-storage": 17 * Gi,
        pods: 29,
      },
    },
  ];
  for (const row of rows) {
    it(row.rule, () => {
      const result = kubeletAllocatable(row.facts ?? m5xlarge, row.kubelet, {
        ...(row.amiFamily !== undefined && { amiFamily: row.amiFamily }),
      });
      if (row.capacity !== undefined) assert.deepEqual(result.capacity, row.capacity);
      assert.deepEqual(result.allocatable, row.allocatable);
    });
  }
});
