import { Labels } from "../../../api/wellknown.ts";
import type { InstanceTypeFacts } from "../catalog-source.ts";

/**
 * The karpenter.k8s.aws/* labels a type's DescribeInstanceTypes facts and name give (Karpenter's
 * instancetype/types.go computeRequirements): `m6g.2xlarge` is category m, family m6g,
 * generation 6, size 2xlarge. The built-in catalog's labels, where it knows the type, add the
 * rest (bandwidths, CPU manufacturer, …).
 */
export function factLabels(facts: InstanceTypeFacts): Record<string, string> {
  const [family = "", size = ""] = facts.name.split(".");
  const category = /^[a-z]+/.exec(family)?.[0] ?? "";
  const generation = /^[a-z]+(\d+)/.exec(family)?.[1];
  return {
    [Labels.arch]: facts.architecture,
    [Labels.awsInstanceFamily]: family,
    [Labels.awsInstanceCategory]: category,
    ...(generation !== undefined && { [Labels.awsInstanceGeneration]: generation }),
    [Labels.awsInstanceSize]: size,
    [Labels.awsInstanceCpu]: String(facts.vcpu),
    [Labels.awsInstanceMemory]: String(facts.memoryMiB),
    ...(facts.hypervisor !== undefined && { [Labels.awsInstanceHypervisor]: facts.hypervisor }),
    ...(facts.gpus !== undefined &&
      facts.gpus.count > 0 && {
        [Labels.awsInstanceGpuCount]: String(facts.gpus.count),
        [Labels.awsInstanceGpuName]: facts.gpus.name,
        [Labels.awsInstanceGpuManufacturer]: facts.gpus.manufacturer,
        [Labels.awsInstanceGpuMemory]: String(facts.gpus.memoryMiB),
      }),
  };
}

/** Accelerators and the extended resource their device plugin advertises. */
export const gpuResources: Readonly<Record<string, string>> = {
  nvidia: "nvidia.com/gpu",
  amd: "amd.com/gpu",
};
