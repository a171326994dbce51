import {
  DescribeSecurityGroupsCommand,
  type DescribeSecurityGroupsCommandOutput,
} from "@aws-sdk/client-ec2";
import type { SdkClient } from "../catalog-source.ts";
import { type Ec2Filter, tagFilters } from "./filters.ts";
import type { SecurityGroupTerm } from "./spec.ts";

/** A security group as `status.securityGroups` records it. */
export interface ResolvedSecurityGroup {
  readonly id: string;
  readonly name: string;
}

/**
 * The security groups the terms select (Karpenter's security group provider): one call per term,
 * `id` as the `group-id` filter, `name` as `group-name` (the group's name, not its Name tag),
 * tags as tag filters; the terms ORed, each group once, ordered by ID.
 */
export async function resolveSecurityGroups(
  ec2: SdkClient,
  terms: readonly SecurityGroupTerm[],
): Promise<ResolvedSecurityGroup[]> {
  const byId = new Map<string, ResolvedSecurityGroup>();
  for (const term of terms) {
    const filters: Ec2Filter[] = [
      ...(term.id === undefined ? [] : [{ Name: "group-id", Values: [term.id] }]),
      ...(term.name === undefined ? [] : [{ Name: "group-name", Values: [term.name] }]),
      ...tagFilters(term.tags),
    ];
    let nextToken: string | undefined;
    do {
      const page = (await ec2.send(
        new DescribeSecurityGroupsCommand({ Filters: filters, NextToken: nextToken }),
      )) as DescribeSecurityGroupsCommandOutput;
      for (const group of page.SecurityGroups ?? []) {
        if (!group.GroupId) continue;
        byId.set(group.GroupId, { id: group.GroupId, name: group.GroupName ?? "" });
      }
      nextToken = page.NextToken;
    } while (nextToken);
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
