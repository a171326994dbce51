import { type Static, Type } from "@sinclair/typebox";
import { blockDeviceRules } from "./ec2nodeclass-cel.ts";

/** EBS volume types (EC2 VolumeType) Karpenter's CRD accepts. */
export const VolumeTypes = ["standard", "io1", "io2", "gp2", "sc1", "st1", "gp3"] as const;
export type VolumeType = (typeof VolumeTypes)[number];

/**
 * An EBS volume: a size in Gi, G, Ti or T within EBS's limits (Karpenter's CRD pattern), or a
 * snapshot to create it from.
 */
export const BlockDeviceSchema = Type.Object(
  {
    deleteOnTermination: Type.Optional(Type.Boolean()),
    encrypted: Type.Optional(Type.Boolean()),
    /** gp3 3,000–16,000; io1/io2 100–64,000 (EC2's ranges; EC2 checks them at launch). */
    iops: Type.Optional(Type.Integer()),
    /** Key ID, alias or ARN of the customer managed KMS key. */
    kmsKeyID: Type.Optional(Type.String()),
    snapshotID: Type.Optional(Type.String()),
    /** gp3 MiB/s, 125–1000. */
    throughput: Type.Optional(Type.Integer()),
    /** MiB/s at which a snapshot's blocks are fetched; only with snapshotID. */
    volumeInitializationRate: Type.Optional(Type.Integer({ minimum: 100, maximum: 300 })),
    volumeSize: Type.Optional(
      Type.String({
        pattern:
          "^((?:[1-9][0-9]{0,3}|[1-4][0-9]{4}|[5][0-8][0-9]{3}|59000)Gi|(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|[6][0-3][0-9]{3}|64000)G|([1-9]||[1-5][0-7]|58)Ti|([1-9]||[1-5][0-9]|6[0-3]|64)T)$",
      }),
    ),
    volumeType: Type.Optional(Type.Union(VolumeTypes.map((t) => Type.Literal(t)))),
  },
  {
    "x-kubernetes-validations": [
      blockDeviceRules.sizeOrSnapshot,
      blockDeviceRules.initializationRateNeedsSnapshot,
    ],
  },
);
export type BlockDevice = Static<typeof BlockDeviceSchema>;

export const BlockDeviceMappingSchema = Type.Object({
  /** `/dev/xvda`, `xvdh`. */
  deviceName: Type.Optional(Type.String()),
  ebs: Type.Optional(BlockDeviceSchema),
  /** The volume the kubelet's root directory is on (its size is the node's ephemeral-storage). */
  rootVolume: Type.Optional(Type.Boolean()),
});
export type BlockDeviceMapping = Static<typeof BlockDeviceMappingSchema>;

export const BlockDeviceMappingsSchema = Type.Array(BlockDeviceMappingSchema, {
  maxItems: 50,
  "x-kubernetes-validations": [blockDeviceRules.oneRootVolume],
});
