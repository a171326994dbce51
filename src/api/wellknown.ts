/**
 * Well-known label, taint and annotation keys: Kubernetes' and Karpenter v1's, in one place.
 * Facts from kubernetes/api (core/v1/well_known_labels.go, well_known_taints.go) and
 * kubernetes-sigs/karpenter (pkg/apis/v1/labels.go, taints.go).
 */

export const Labels = {
  hostname: "kubernetes.io/hostname",
  arch: "kubernetes.io/arch",
  os: "kubernetes.io/os",
  instanceType: "node.kubernetes.io/instance-type",
  instanceTypeBeta: "beta.kubernetes.io/instance-type",
  zone: "topology.kubernetes.io/zone",
  zoneBeta: "failure-domain.beta.kubernetes.io/zone",
  region: "topology.kubernetes.io/region",
  regionBeta: "failure-domain.beta.kubernetes.io/region",
  windowsBuild: "node.kubernetes.io/windows-build",
  nodePool: "karpenter.sh/nodepool",
  capacityType: "karpenter.sh/capacity-type",
  initialized: "karpenter.sh/initialized",
  registered: "karpenter.sh/registered",
  nodeClassAws: "karpenter.k8s.aws/ec2nodeclass",
  /** The StaticNodeClass whose machines an instance type (and its nodes) belong to. */
  nodeClassStatic: "carpool.dev/staticnodeclass",
  // karpenter.k8s.aws/* instance labels (kubernetes-sigs/karpenter-provider-aws pkg/apis/v1/labels.go)
  awsInstanceFamily: "karpenter.k8s.aws/instance-family",
  awsInstanceCategory: "karpenter.k8s.aws/instance-category",
  awsInstanceGeneration: "karpenter.k8s.aws/instance-generation",
  awsInstanceSize: "karpenter.k8s.aws/instance-size",
  awsInstanceCpu: "karpenter.k8s.aws/instance-cpu",
  awsInstanceCpuManufacturer: "karpenter.k8s.aws/instance-cpu-manufacturer",
  awsInstanceMemory: "karpenter.k8s.aws/instance-memory",
  awsInstanceHypervisor: "karpenter.k8s.aws/instance-hypervisor",
  awsInstanceLocalNvme: "karpenter.k8s.aws/instance-local-nvme",
  awsInstanceNetworkBandwidth: "karpenter.k8s.aws/instance-network-bandwidth",
  awsInstanceEbsBandwidth: "karpenter.k8s.aws/instance-ebs-bandwidth",
  awsInstanceGpuCount: "karpenter.k8s.aws/instance-gpu-count",
  awsInstanceGpuName: "karpenter.k8s.aws/instance-gpu-name",
  awsInstanceGpuManufacturer: "karpenter.k8s.aws/instance-gpu-manufacturer",
  awsInstanceGpuMemory: "karpenter.k8s.aws/instance-gpu-memory",
  awsInstanceEncryptionInTransit: "karpenter.k8s.aws/instance-encryption-in-transit-supported",
  // Added to the AWS provider's well-known labels since v1.0 (its pkg/apis/v1/labels.go).
  awsZoneID: "topology.k8s.aws/zone-id",
  awsInstanceTenancy: "karpenter.k8s.aws/instance-tenancy",
  awsInstanceCapabilityFlex: "karpenter.k8s.aws/instance-capability-flex",
  awsInstanceCpuSustainedClockSpeedMhz: "karpenter.k8s.aws/instance-cpu-sustained-clock-speed-mhz",
  awsInstanceAcceleratorName: "karpenter.k8s.aws/instance-accelerator-name",
  awsInstanceAcceleratorManufacturer: "karpenter.k8s.aws/instance-accelerator-manufacturer",
  awsInstanceAcceleratorCount: "karpenter.k8s.aws/instance-accelerator-count",
  awsCapacityReservationID: "karpenter.k8s.aws/capacity-reservation-id",
  awsCapacityReservationType: "karpenter.k8s.aws/capacity-reservation-type",
  awsCapacityReservationInterruptible: "karpenter.k8s.aws/capacity-reservation-interruptible",
  awsPlacementGroupID: "karpenter.k8s.aws/placement-group-id",
  awsPlacementGroupPartition: "karpenter.k8s.aws/placement-group-partition",
} as const;

export const CapacityTypes = { onDemand: "on-demand", spot: "spot", reserved: "reserved" } as const;

export const Annotations = {
  doNotDisrupt: "karpenter.sh/do-not-disrupt",
  nodePoolHash: "karpenter.sh/nodepool-hash",
  nodePoolHashVersion: "karpenter.sh/nodepool-hash-version",
  nodeClaimTerminationTimestamp: "karpenter.sh/nodeclaim-termination-timestamp",
  nodeClassHash: "karpenter.k8s.aws/ec2nodeclass-hash",
} as const;

export const Taints = {
  /** Karpenter v1: put on a node being disrupted (pkg/apis/v1/taints.go). */
  disrupted: { key: "karpenter.sh/disrupted", effect: "NoSchedule" },
  /** Karpenter v1: put on a node until it is initialized. */
  unregistered: { key: "karpenter.sh/unregistered", effect: "NoExecute" },
  notReady: { key: "node.kubernetes.io/not-ready", effect: "NoSchedule" },
  unreachable: { key: "node.kubernetes.io/unreachable", effect: "NoSchedule" },
  unschedulable: { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" },
  uninitialized: { key: "node.cloudprovider.kubernetes.io/uninitialized", effect: "NoSchedule" },
} as const;

export const Finalizers = { termination: "karpenter.sh/termination" } as const;

/**
 * Labels a NodePool may leave undefined and a pod may still select: Karpenter's
 * WellKnownLabels (karpenter core plus the AWS provider's). A custom label must be defined
 * by the pool (template label or requirement) for a pod to select it.
 */
export const WellKnownLabelKeys: ReadonlySet<string> = new Set([
  Labels.nodePool,
  Labels.zone,
  Labels.region,
  Labels.instanceType,
  Labels.arch,
  Labels.os,
  Labels.capacityType,
  Labels.windowsBuild,
  Labels.awsInstanceFamily,
  Labels.awsInstanceCategory,
  Labels.awsInstanceGeneration,
  Labels.awsInstanceSize,
  Labels.awsInstanceCpu,
  Labels.awsInstanceCpuManufacturer,
  Labels.awsInstanceMemory,
  Labels.awsInstanceHypervisor,
  Labels.awsInstanceLocalNvme,
  Labels.awsInstanceNetworkBandwidth,
  Labels.awsInstanceEbsBandwidth,
  Labels.awsInstanceGpuCount,
  Labels.awsInstanceGpuName,
  Labels.awsInstanceGpuManufacturer,
  Labels.awsInstanceGpuMemory,
  Labels.awsInstanceEncryptionInTransit,
  Labels.awsZoneID,
  Labels.awsInstanceTenancy,
  Labels.awsInstanceCapabilityFlex,
  Labels.awsInstanceCpuSustainedClockSpeedMhz,
  Labels.awsInstanceAcceleratorName,
  Labels.awsInstanceAcceleratorManufacturer,
  Labels.awsInstanceAcceleratorCount,
  Labels.awsCapacityReservationID,
  Labels.awsCapacityReservationType,
  Labels.awsCapacityReservationInterruptible,
  Labels.awsPlacementGroupID,
  Labels.awsPlacementGroupPartition,
]);

/** Kubernetes normalises the deprecated beta labels to their GA keys (Karpenter's NormalizedLabels). */
export const NormalizedLabels: Readonly<Record<string, string>> = {
  [Labels.zoneBeta]: Labels.zone,
  [Labels.regionBeta]: Labels.region,
  [Labels.instanceTypeBeta]: Labels.instanceType,
  "beta.kubernetes.io/arch": Labels.arch,
  "beta.kubernetes.io/os": Labels.os,
};
