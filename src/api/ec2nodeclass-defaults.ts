import type { EC2NodeClass, EC2NodeClassSpec, MetadataOptions } from "./ec2nodeclass.ts";
import type { BlockDeviceMapping } from "./ec2nodeclass-block-devices.ts";
import { type AMIFamily, familyOfAlias } from "./ec2nodeclass-cel.ts";

/**
 * Karpenter's defaults for an EC2NodeClass: the CRD's `default:` values (metadataOptions) and the
 * AMI family's block devices (pkg/providers/amifamily), used when the spec leaves them out.
 */

/** `al2023@v20240807` → { family: "al2023", version: "v20240807" }; the first alias term's. */
export function aliasOf(
  spec: Pick<EC2NodeClassSpec, "amiSelectorTerms">,
): { readonly family: string; readonly version: string } | undefined {
  const alias = spec.amiSelectorTerms.find((term) => term.alias !== undefined)?.alias;
  if (alias === undefined) return undefined;
  const at = alias.indexOf("@");
  return { family: alias.slice(0, at), version: alias.slice(at + 1) };
}

/**
 * spec.amiFamily, else the alias's family (Karpenter's EC2NodeClass.AMIFamily()); Custom when
 * neither, which validation does not let through.
 */
export function amiFamilyOf(
  spec: Pick<EC2NodeClassSpec, "amiFamily" | "amiSelectorTerms">,
): AMIFamily {
  if (spec.amiFamily !== undefined) return spec.amiFamily;
  const alias = aliasOf(spec);
  return (alias && familyOfAlias(alias.family)) ?? "Custom";
}

/** The CRD's default: IMDS on, IPv6 endpoint off, one hop (pods cannot reach it), IMDSv2 only. */
export const defaultMetadataOptions: Required<MetadataOptions> = {
  httpEndpoint: "enabled",
  httpProtocolIPv6: "disabled",
  httpPutResponseHopLimit: 1,
  httpTokens: "required",
};

/**
 * The spec as the API server stores it: metadataOptions defaulted as a whole when absent and per
 * field when given (the CRD has both defaults).
 */
export function ec2NodeClassDefaults(nodeClass: EC2NodeClass): EC2NodeClass {
  if (nodeClass.spec === undefined) return nodeClass;
  return {
    ...nodeClass,
    spec: {
      ...nodeClass.spec,
      metadataOptions: { ...defaultMetadataOptions, ...nodeClass.spec.metadataOptions },
    },
  };
}

const encryptedGp3 = (volumeSize: string) => ({
  encrypted: true,
  volumeType: "gp3" as const,
  volumeSize,
});

/** Karpenter's DefaultEBS: what a volume is when nothing says otherwise. */
export const defaultEBS = encryptedGp3("20Gi");

/**
 * The AMI family's block devices when the spec has none: AL2 and AL2023 one 20Gi root volume;
 * Bottlerocket a 4Gi OS volume and a 20Gi data volume (the kubelet's); Windows a 50Gi C: drive;
 * Custom none (the AMI's own).
 */
export function defaultBlockDeviceMappings(family: AMIFamily): BlockDeviceMapping[] {
  switch (family) {
    case "AL2":
    case "AL2023":
      return [{ deviceName: "/dev/xvda", ebs: encryptedGp3("20Gi") }];
    case "Bottlerocket":
      return [
        { deviceName: "/dev/xvda", ebs: encryptedGp3("4Gi") },
        { deviceName: "/dev/xvdb", ebs: encryptedGp3("20Gi") },
      ];
    case "Windows2019":
    case "Windows2022":
    case "Windows2025":
      return [{ deviceName: "/dev/sda1", ebs: encryptedGp3("50Gi") }];
    case "Custom":
      return [];
  }
}

/** The device the kubelet's root directory lives on, per AMI family (none known for Custom). */
export function ephemeralBlockDevice(family: AMIFamily): string | undefined {
  switch (family) {
    case "AL2":
    case "AL2023":
      return "/dev/xvda";
    case "Bottlerocket":
      return "/dev/xvdb";
    case "Custom":
      return undefined;
    default:
      return "/dev/sda1";
  }
}

/** spec.blockDeviceMappings, or the family's defaults when it has none (Karpenter's launch template). */
export function resolvedBlockDeviceMappings(spec: EC2NodeClassSpec): BlockDeviceMapping[] {
  const mappings = spec.blockDeviceMappings ?? [];
  return mappings.length > 0 ? [...mappings] : defaultBlockDeviceMappings(amiFamilyOf(spec));
}

/**
 * The size of a node's ephemeral-storage as Karpenter's instancetype ephemeralStorage() picks it:
 * the instance store total (decimal GB) under RAID0; else the rootVolume mapping's size; else for
 * Custom the last mapping's, for the other families the mapping on the family's kubelet device;
 * else the family's default for that device; else 20Gi.
 */
export function ephemeralStorageSize(spec: EC2NodeClassSpec, instanceStorageGB?: number): string {
  if (spec.instanceStorePolicy === "RAID0" && instanceStorageGB !== undefined)
    return `${instanceStorageGB}G`;
  const family = amiFamilyOf(spec);
  const device = ephemeralBlockDevice(family);
  const mappings = spec.blockDeviceMappings ?? [];
  if (mappings.length > 0) {
    const root = mappings.find((m) => m.rootVolume === true)?.ebs?.volumeSize;
    if (root !== undefined) return root;
    if (family === "Custom") return mappings.at(-1)?.ebs?.volumeSize ?? defaultEBS.volumeSize;
    const onDevice = mappings.find((m) => m.deviceName === device)?.ebs?.volumeSize;
    if (onDevice !== undefined) return onDevice;
  }
  const fallback = defaultBlockDeviceMappings(family).find((m) => m.deviceName === device);
  return fallback?.ebs?.volumeSize ?? defaultEBS.volumeSize;
}
