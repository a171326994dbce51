import { type EbsVolumeType, extrasPrices, HoursPerMonth } from "./aws-node-extras-prices.ts";

/** One EBS volume a node is launched with. */
export interface NodeVolume {
  readonly volumeType: EbsVolumeType;
  readonly sizeGiB: number;
  /** Provisioned IOPS (gp3, io1, io2); gp3 defaults to its included 3,000. */
  readonly iops?: number;
  /** Provisioned throughput (gp3); defaults to its included 125 MiB/s. */
  readonly throughputMiBps?: number;
}

/**
 * What every node of a node class pays for besides its instance, whatever the instance type:
 * the volumes it is launched with and whether it gets a public IPv4 address.
 */
export interface NodeCostModel {
  readonly volumes: readonly NodeVolume[];
  readonly publicIPv4: boolean;
}

/** USD per hour. */
export interface NodeExtras {
  readonly volumes: number;
  readonly publicIPv4: number;
  readonly total: number;
}

export const NoExtras: NodeExtras = { volumes: 0, publicIPv4: 0, total: 0 };

/** The hourly price of a node's extras in a region, from the list prices of aws-node-extras-prices.ts. */
export function nodeExtrasPerHour(model: NodeCostModel, region: string): NodeExtras {
  const prices = extrasPrices(region);
  let monthly = 0;
  for (const volume of model.volumes) {
    const price = prices.volumes[volume.volumeType];
    const iops = volume.iops ?? price.includedIops;
    const throughput = volume.throughputMiBps ?? price.includedThroughputMiBps;
    monthly +=
      volume.sizeGiB * price.perGiBMonth +
      Math.max(0, iops - price.includedIops) * price.perIopsMonth +
      Math.max(0, throughput - price.includedThroughputMiBps) * price.perThroughputMiBpsMonth;
  }
  const volumes = monthly / HoursPerMonth;
  const publicIPv4 = model.publicIPv4 ? prices.publicIPv4PerHour : 0;
  return { volumes, publicIPv4, total: volumes + publicIPv4 };
}
