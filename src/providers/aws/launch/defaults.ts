import type { BlockDeviceMapping, MetadataOptions } from "./node-class.ts";

/**
 * Karpenter v1's EC2NodeClass defaults for what a class leaves out (pkg/apis/v1 CRD defaults and
 * amifamily DefaultBlockDeviceMappings). Used only when the class's spec has none; the API
 * module's defaulting is the place these belong once it lands, and this then reads from it.
 */
export const DefaultMetadataOptions: Required<MetadataOptions> = {
  httpEndpoint: "enabled",
  httpProtocolIPv6: "disabled",
  httpPutResponseHopLimit: 1,
  httpTokens: "required",
};

const encryptedGp3 = (volumeSize: string) =>
  ({ volumeSize, volumeType: "gp3", encrypted: true }) as const;

/** The root (and, for Bottlerocket, data) volumes Karpenter gives an AMI family by default. */
export function defaultBlockDeviceMappings(amiFamily: string | undefined): BlockDeviceMapping[] {
  switch (amiFamily) {
    case "Bottlerocket":
      // Bottlerocket boots from a small OS volume and keeps containers on a second one.
      return [
        { deviceName: "/dev/xvda", ebs: encryptedGp3("4Gi") },
        { deviceName: "/dev/xvdb", ebs: encryptedGp3("20Gi") },
      ];
    case "Windows2019":
    case "Windows2022":
      return [{ deviceName: "/dev/sda1", ebs: encryptedGp3("50Gi") }];
    case "Custom":
      // A custom AMI's own mappings apply: Karpenter adds none.
      return [];
    default:
      return [{ deviceName: "/dev/xvda", ebs: encryptedGp3("20Gi") }];
  }
}
