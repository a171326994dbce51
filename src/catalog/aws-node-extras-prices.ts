/**
 * List prices of what an EC2 node pays for besides its instance, in USD. Source: the public
 * Amazon EBS pricing page (us-east-1, "Amazon EBS volumes" table) and the Amazon VPC pricing
 * page ("Public IPv4 address", in-use address per hour). Both bill per GB-month or per hour;
 * AWS's pricing pages count a month as 730 hours.
 *
 * Only us-east-1 is recorded: other regions differ by a few percent, and without their real
 * figures every region is priced as us-east-1 (see `extrasPrices`).
 */
export interface EbsVolumePrice {
  /** Per GiB of provisioned size, per month. */
  readonly perGiBMonth: number;
  /** Per provisioned IOPS above `includedIops`, per month (0 where IOPS are not provisioned). */
  readonly perIopsMonth: number;
  readonly includedIops: number;
  /** Per MiB/s of provisioned throughput above `includedThroughputMiBps`, per month. */
  readonly perThroughputMiBpsMonth: number;
  readonly includedThroughputMiBps: number;
}

export const EbsVolumeTypes = ["gp2", "gp3", "io1", "io2", "st1", "sc1", "standard"] as const;
export type EbsVolumeType = (typeof EbsVolumeTypes)[number];

export interface NodeExtrasPrices {
  readonly volumes: Readonly<Record<EbsVolumeType, EbsVolumePrice>>;
  /** One in-use public IPv4 address, per hour. */
  readonly publicIPv4PerHour: number;
}

export const HoursPerMonth = 730;

const sizeOnly = (perGiBMonth: number): EbsVolumePrice => ({
  perGiBMonth,
  perIopsMonth: 0,
  includedIops: 0,
  perThroughputMiBpsMonth: 0,
  includedThroughputMiBps: 0,
});

const usEast1: NodeExtrasPrices = {
  volumes: {
    // gp3 includes 3,000 IOPS and 125 MiB/s; only what is provisioned above them is billed.
    gp3: {
      perGiBMonth: 0.08,
      perIopsMonth: 0.005,
      includedIops: 3000,
      perThroughputMiBpsMonth: 0.04,
      includedThroughputMiBps: 125,
    },
    gp2: sizeOnly(0.1),
    io1: { ...sizeOnly(0.125), perIopsMonth: 0.065 },
    // io2 IOPS are tiered ($0.065 up to 32,000, less above); every IOPS is priced at the first tier,
    // an upper bound that is exact for all but the largest volumes.
    io2: { ...sizeOnly(0.125), perIopsMonth: 0.065 },
    st1: sizeOnly(0.045),
    sc1: sizeOnly(0.015),
    standard: sizeOnly(0.05),
  },
  publicIPv4PerHour: 0.005,
};

const byRegion: Readonly<Record<string, NodeExtrasPrices>> = { "us-east-1": usEast1 };

/** The prices of a region; us-east-1's wherever no other region's figures are recorded. */
export function extrasPrices(region: string): NodeExtrasPrices {
  return byRegion[region] ?? usEast1;
}
