import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  DeleteInstanceProfileCommand,
  GetInstanceProfileCommand,
  type GetInstanceProfileCommandOutput,
  type InstanceProfile,
  RemoveRoleFromInstanceProfileCommand,
} from "@aws-sdk/client-iam";
import { Labels } from "../../../api/wellknown.ts";
import type { Clock } from "../../../ports/clock.ts";
import type { SdkClient } from "../catalog-source.ts";
import { CacheTtl, TtlCache } from "./ttl-cache.ts";

/** What names the profile carpool makes for a class: the cluster, the region, the class. */
export interface ProfileOwner {
  readonly clusterName: string;
  readonly region: string;
  readonly nodeClassName: string;
}

/**
 * The instance profile carpool creates for a class with `spec.role`: stable for (region, class),
 * as Karpenter's `<cluster>_<hash of region and name>`, prefixed `carpool_` so carpool's own are
 * told apart. IAM allows 128 characters of [\w+=,.@-].
 */
export function instanceProfileName(owner: ProfileOwner): string {
  const hash = fnv1a64(`${owner.region}${owner.nodeClassName}`).toString(10);
  const cluster = owner.clusterName.replace(/[^\w+=,.@-]/g, "-");
  return `carpool_${cluster}`.slice(0, 128 - hash.length - 1) + `_${hash}`;
}

/** Karpenter's instance profile tags: the class's tags plus who owns it (EC2NodeClass.InstanceProfileTags). */
export function instanceProfileTags(
  owner: ProfileOwner,
  specTags: Readonly<Record<string, string>>,
): Record<string, string> {
  return {
    ...specTags,
    [`kubernetes.io/cluster/${owner.clusterName}`]: "owned",
    "eks:eks-cluster-name": owner.clusterName,
    [Labels.nodeClassAws]: owner.nodeClassName,
    [Labels.region]: owner.region,
  };
}

/** IAM takes a role's name; a class may give its ARN (`arn:aws:iam::…:role/path/Name`). */
export function roleName(role: string): string {
  return role.split("/").at(-1) ?? role;
}

/** IAM's answer for a missing entity. */
export function isNoSuchEntity(error: unknown): boolean {
  return (
    (error as { name?: string }).name === "NoSuchEntityException" ||
    (error as { name?: string }).name === "NoSuchEntity"
  );
}

/**
 * Instance profiles through IAM (Karpenter's instance profile provider): made for a role and kept
 * holding just that role, looked up when a class names one, removed with the class. Lookups are
 * cached for 15 minutes (InstanceProfileTTL).
 */
export class InstanceProfiles {
  readonly #iam: SdkClient;
  readonly #known: TtlCache<InstanceProfile | undefined>;
  readonly #ensured: TtlCache<true>;

  constructor(options: { iam: SdkClient; clock: Clock }) {
    this.#iam = options.iam;
    this.#known = new TtlCache(options.clock, CacheTtl.instanceProfile);
    this.#ensured = new TtlCache(options.clock, CacheTtl.instanceProfile);
  }

  /** The profile, or undefined when IAM has none of that name. */
  async find(name: string): Promise<InstanceProfile | undefined> {
    return this.#known.get(name, () => this.#get(name));
  }

  /** Makes `name` exist, tagged, holding `role` and no other role. */
  async ensure(name: string, role: string, tags: Readonly<Record<string, string>>): Promise<void> {
    const wanted = roleName(role);
    await this.#ensured.get(`${name}\n${wanted}`, async () => {
      let profile = await this.#get(name);
      if (profile === undefined) {
        await this.#iam.send(
          new CreateInstanceProfileCommand({
            InstanceProfileName: name,
            Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
          }),
        );
        profile = { InstanceProfileName: name, Roles: [] } as unknown as InstanceProfile;
      }
      const roles = (profile.Roles ?? []).map((r) => r.RoleName ?? "");
      // A profile holds one role at most: a changed spec.role replaces the old one.
      for (const other of roles.filter((r) => r !== wanted))
        await this.#iam.send(
          new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: name, RoleName: other }),
        );
      if (!roles.includes(wanted))
        await this.#iam.send(
          new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: wanted }),
        );
      this.#known.delete(name);
      return true;
    });
  }

  /** Removes the profile's roles and the profile; a profile already gone is fine. */
  async delete(name: string): Promise<void> {
    const profile = await this.#get(name);
    this.#known.delete(name);
    if (profile === undefined) return;
    for (const role of profile.Roles ?? [])
      await this.#iam.send(
        new RemoveRoleFromInstanceProfileCommand({
          InstanceProfileName: name,
          RoleName: role.RoleName,
        }),
      );
    try {
      await this.#iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: name }));
    } catch (error) {
      if (!isNoSuchEntity(error)) throw error;
    }
  }

  async #get(name: string): Promise<InstanceProfile | undefined> {
    try {
      const output = (await this.#iam.send(
        new GetInstanceProfileCommand({ InstanceProfileName: name }),
      )) as GetInstanceProfileCommandOutput;
      return output.InstanceProfile;
    } catch (error) {
      if (isNoSuchEntity(error)) return undefined;
      throw error;
    }
  }
}

/** 64-bit FNV-1a of a string's UTF-8 bytes: a stable, dependency-free name hash. */
export function fnv1a64(text: string): bigint {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash;
}
