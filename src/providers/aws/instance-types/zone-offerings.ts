import {
  DescribeInstanceTypeOfferingsCommand,
  type DescribeInstanceTypeOfferingsCommandOutput,
} from "@aws-sdk/client-ec2";
import type { SdkClient } from "../catalog-source.ts";

/**
 * The zones each instance type is sold in (DescribeInstanceTypeOfferings by availability zone,
 * page by page), as Karpenter's instance type provider reads them: a type is offered only there.
 */
export async function zonesByInstanceType(ec2: SdkClient): Promise<Map<string, Set<string>>> {
  const zones = new Map<string, Set<string>>();
  let nextToken: string | undefined;
  do {
    const page = (await ec2.send(
      new DescribeInstanceTypeOfferingsCommand({
        LocationType: "availability-zone",
        NextToken: nextToken,
        MaxResults: 1000,
      }),
    )) as DescribeInstanceTypeOfferingsCommandOutput;
    for (const offering of page.InstanceTypeOfferings ?? []) {
      if (!offering.InstanceType || !offering.Location) continue;
      const set = zones.get(offering.InstanceType) ?? new Set<string>();
      set.add(offering.Location);
      zones.set(offering.InstanceType, set);
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return zones;
}
