import { DescribeSubnetsCommand, type DescribeSubnetsCommandOutput } from "@aws-sdk/client-ec2";
import type { SdkClient } from "../catalog-source.ts";
import { type Ec2Filter, tagFilters } from "./filters.ts";
import type { SubnetTerm } from "./spec.ts";

/** A subnet as `status.subnets` records it. */
export interface ResolvedSubnet {
  readonly id: string;
  readonly zone: string;
  readonly zoneID?: string;
  /** Not written to status; the order of `status.subnets` comes from it. */
  readonly availableIpAddressCount: number;
}

/**
 * The subnets the terms select: one DescribeSubnets per term (its fields ANDed), the terms
 * ORed, each subnet once. Karpenter's subnet controller orders them by free IPv4 addresses,
 * most first, then by ID, so launches prefer the roomiest subnet of a zone.
 */
export async function resolveSubnets(
  ec2: SdkClient,
  terms: readonly SubnetTerm[],
): Promise<ResolvedSubnet[]> {
  const byId = new Map<string, ResolvedSubnet>();
  for (const term of terms) {
    const filters: Ec2Filter[] = [
      ...(term.id === undefined ? [] : [{ Name: "subnet-id", Values: [term.id] }]),
      ...tagFilters(term.tags),
    ];
    let nextToken: string | undefined;
    do {
      const page = (await ec2.send(
        new DescribeSubnetsCommand({ Filters: filters, NextToken: nextToken }),
      )) as DescribeSubnetsCommandOutput;
      for (const subnet of page.Subnets ?? []) {
        if (!subnet.SubnetId || !subnet.AvailabilityZone) continue;
        byId.set(subnet.SubnetId, {
          id: subnet.SubnetId,
          zone: subnet.AvailabilityZone,
          ...(subnet.AvailabilityZoneId && { zoneID: subnet.AvailabilityZoneId }),
          availableIpAddressCount: subnet.AvailableIpAddressCount ?? 0,
        });
      }
      nextToken = page.NextToken;
    } while (nextToken);
  }
  return [...byId.values()].sort(
    (a, b) =>
      b.availableIpAddressCount - a.availableIpAddressCount ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}
