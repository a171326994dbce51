import type { EC2NodeClass } from "../../../api/ec2nodeclass.ts";
import { amiFamilyOf, ephemeralStorageSize } from "../../../api/ec2nodeclass-defaults.ts";
import { Labels } from "../../../api/wellknown.ts";
import type { InstanceType } from "../../../catalog/instance-type.ts";
import { kubeletAllocatable } from "../../../catalog/kubelet-allocatable.ts";
import { parseQuantity, quantityValue } from "../../../resources/quantity.ts";
import type { Resources } from "../../../resources/resource-list.ts";

/** Resources a kubelet counts but does not reserve for: the type's devices (GPUs, …). */
const Computed = new Set(["cpu", "memory", "pods", "ephemeral-storage"]);

/**
 * An instance type as a node of this EC2NodeClass has it: capacity and allocatable from the
 * class's `spec.kubelet` (maxPods, podsPerCore, reservations, eviction thresholds), AMI family
 * and root volume, as Karpenter computes them per node class. The type's catalog figures stand
 * for its hardware: vCPUs, memory (`karpenter.k8s.aws/instance-memory`, MiB), architecture, and
 * the ENI-limited pod count.
 */
export function forNodeClass(type: InstanceType, nodeClass: EC2NodeClass): InstanceType {
  const spec = nodeClass.spec;
  const memoryMiB = Number(type.labels[Labels.awsInstanceMemory]);
  if (spec === undefined || !(memoryMiB > 0)) return type;
  const devices: Resources = Object.fromEntries(
    Object.entries(type.capacity).filter(([name]) => !Computed.has(name)),
  );
  const node = kubeletAllocatable(
    {
      vcpu: (type.capacity.cpu ?? 0) / 1000,
      memoryMiB,
      architecture: type.labels[Labels.arch] === "arm64" ? "arm64" : "amd64",
      eniLimitedPods: type.capacity.pods ?? 0,
      ephemeralStorage: Number(quantityValue(parseQuantity(ephemeralStorageSize(spec)))),
      devices,
    },
    spec.kubelet,
    { amiFamily: amiFamilyOf(spec) },
  );
  return {
    ...type,
    capacity: node.capacity,
    overhead: node.overhead,
    allocatable: node.allocatable,
  };
}
