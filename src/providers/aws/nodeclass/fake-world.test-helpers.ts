import { awsError, ScriptedClient } from "./scripted-client.test-helpers.ts";

interface Tagged {
  readonly tags?: Readonly<Record<string, string>>;
}
export interface FakeSubnet extends Tagged {
  readonly id: string;
  readonly zone: string;
  readonly zoneId: string;
  readonly freeIps: number;
}
export interface FakeGroup extends Tagged {
  readonly id: string;
  readonly name: string;
}
export interface FakeImage extends Tagged {
  readonly id: string;
  readonly name: string;
  readonly arch: "x86_64" | "arm64";
  readonly created: string;
  readonly owner?: string;
}

/** A capacity reservation as DescribeCapacityReservations describes it (the fields carpool reads). */
export interface FakeReservation extends Tagged {
  readonly id: string;
  readonly instanceType: string;
  readonly zone: string;
  readonly owner?: string;
  readonly criteria?: string;
  readonly type?: string;
  readonly state?: string;
  readonly available: number;
  readonly end?: string;
  readonly interruptible?: boolean;
}

type Filter = { Name: string; Values: string[] };

/** Whether a resource passes EC2 filters: each filter ANDed, a filter's values ORed. */
function matches(
  resource: Tagged,
  filters: readonly Filter[] | undefined,
  fields: Record<string, string>,
): boolean {
  return (filters ?? []).every(({ Name, Values }) => {
    if (Name === "tag-key") return Values.some((v) => resource.tags?.[v] !== undefined);
    if (Name.startsWith("tag:")) return Values.includes(resource.tags?.[Name.slice(4)] ?? "\0");
    const field = fields[Name];
    if (field === undefined) throw awsError("InvalidParameterValue", `unknown filter ${Name}`);
    return Values.some((v) =>
      new RegExp(`^${v.replace(/[.]/g, "\\.").replace(/\*/g, ".*")}$`).test(field),
    );
  });
}

const tagList = (tags: Tagged["tags"]) =>
  Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));

/** EC2 answering DescribeSubnets, DescribeSecurityGroups and DescribeImages from lists, filters and all. */
export function fakeEc2(world: {
  subnets?: FakeSubnet[];
  groups?: FakeGroup[];
  images?: FakeImage[];
  reservations?: FakeReservation[];
}): ScriptedClient {
  return new ScriptedClient({
    DescribeCapacityReservationsCommand: (input) => {
      const ids = input.CapacityReservationIds as string[] | undefined;
      const all = world.reservations ?? [];
      for (const id of ids ?? [])
        if (!all.some((r) => r.id === id))
          throw awsError(
            "InvalidCapacityReservationId.NotFound",
            `The capacity reservation ID '${id}' does not exist`,
          );
      return {
        CapacityReservations: all
          .filter((r) => ids === undefined || ids.includes(r.id))
          .filter((r) =>
            matches(r, input.Filters as Filter[], {
              state: r.state ?? "active",
              "owner-id": r.owner ?? "111122223333",
              "instance-match-criteria": r.criteria ?? "targeted",
            }),
          )
          .map((r) => ({
            CapacityReservationId: r.id,
            InstanceType: r.instanceType,
            AvailabilityZone: r.zone,
            OwnerId: r.owner ?? "111122223333",
            InstanceMatchCriteria: r.criteria ?? "targeted",
            State: r.state ?? "active",
            AvailableInstanceCount: r.available,
            ...(r.type !== undefined && { ReservationType: r.type }),
            ...(r.end !== undefined && { EndDate: new Date(r.end) }),
            ...(r.interruptible !== undefined && { Interruptible: r.interruptible }),
            Tags: tagList(r.tags),
          })),
      };
    },
    DescribeSubnetsCommand: (input) => ({
      Subnets: (world.subnets ?? [])
        .filter((s) => matches(s, input.Filters as Filter[], { "subnet-id": s.id }))
        .map((s) => ({
          SubnetId: s.id,
          AvailabilityZone: s.zone,
          AvailabilityZoneId: s.zoneId,
          AvailableIpAddressCount: s.freeIps,
          Tags: tagList(s.tags),
        })),
    }),
    DescribeSecurityGroupsCommand: (input) => ({
      SecurityGroups: (world.groups ?? [])
        .filter((g) =>
          matches(g, input.Filters as Filter[], { "group-id": g.id, "group-name": g.name }),
        )
        .map((g) => ({ GroupId: g.id, GroupName: g.name, Tags: tagList(g.tags) })),
    }),
    DescribeImagesCommand: (input) => ({
      Images: (world.images ?? [])
        .filter((i) => matches(i, input.Filters as Filter[], { "image-id": i.id, name: i.name }))
        .filter((i) => {
          const owners = input.Owners as string[] | undefined;
          return owners === undefined || owners.includes(i.owner ?? "self");
        })
        .map((i) => ({
          ImageId: i.id,
          Name: i.name,
          Architecture: i.arch,
          CreationDate: i.created,
          Tags: tagList(i.tags),
        })),
    }),
  });
}

/** SSM answering GetParameter from a map; a missing name is ParameterNotFound. */
export function fakeSsm(parameters: Record<string, string>): ScriptedClient {
  return new ScriptedClient({
    GetParameterCommand: (input) => {
      const value = parameters[input.Name as string];
      if (value === undefined) throw awsError("ParameterNotFound", `${input.Name as string}`);
      return { Parameter: { Name: input.Name, Value: value } };
    },
  });
}

/** IAM instance profiles with roles and tags, as far as the controller uses them. */
export function fakeIam(): ScriptedClient & {
  profiles: Map<string, { roles: string[]; tags: Record<string, string> }>;
} {
  const profiles = new Map<string, { roles: string[]; tags: Record<string, string> }>();
  const need = (name: unknown) => {
    const profile = profiles.get(name as string);
    if (profile === undefined)
      throw awsError(
        "NoSuchEntityException",
        `Instance Profile ${name as string} cannot be found.`,
        404,
      );
    return profile;
  };
  const client = new ScriptedClient({
    GetInstanceProfileCommand: (input) => {
      const p = need(input.InstanceProfileName);
      return {
        InstanceProfile: {
          InstanceProfileName: input.InstanceProfileName,
          Roles: p.roles.map((RoleName) => ({ RoleName })),
          Tags: tagList(p.tags),
        },
      };
    },
    CreateInstanceProfileCommand: (input) => {
      const tags = Object.fromEntries(
        ((input.Tags ?? []) as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value]),
      );
      profiles.set(input.InstanceProfileName as string, { roles: [], tags });
      return { InstanceProfile: { InstanceProfileName: input.InstanceProfileName } };
    },
    AddRoleToInstanceProfileCommand: (input) => {
      const p = need(input.InstanceProfileName);
      if (p.roles.length > 0) throw awsError("LimitExceededException", "one role per profile", 409);
      p.roles.push(input.RoleName as string);
      return {};
    },
    RemoveRoleFromInstanceProfileCommand: (input) => {
      const p = need(input.InstanceProfileName);
      p.roles = p.roles.filter((r) => r !== input.RoleName);
      return {};
    },
    DeleteInstanceProfileCommand: (input) => {
      const p = need(input.InstanceProfileName);
      if (p.roles.length > 0) throw awsError("DeleteConflictException", "remove roles first", 409);
      profiles.delete(input.InstanceProfileName as string);
      return {};
    },
  });
  return Object.assign(client, { profiles });
}
