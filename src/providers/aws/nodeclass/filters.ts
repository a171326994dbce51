/** An EC2 Describe* filter as the SDK takes it. */
export interface Ec2Filter {
  readonly Name: string;
  readonly Values: string[];
}

/**
 * A selector term's tags as EC2 filters (Karpenter's subnet, security group and AMI providers):
 * `*` as a value selects every resource carrying the key (`tag-key`), any other value must
 * match exactly (`tag:<key>`). EC2 ANDs the filters of one call.
 */
export function tagFilters(tags: Readonly<Record<string, string>> | undefined): Ec2Filter[] {
  return Object.entries(tags ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) =>
      value === "*" ? { Name: "tag-key", Values: [key] } : { Name: `tag:${key}`, Values: [value] },
    );
}
