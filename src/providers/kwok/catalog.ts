import type { InstanceTypeObject } from "../../api/instancetype.ts";
import { awsCatalog } from "../../catalog/aws-catalog.ts";
import type { InstanceType } from "../../catalog/instance-type.ts";
import { catalogFromInstanceTypes } from "../../catalog/user-catalog.ts";
import type { ClusterStore } from "../../ports/cluster-store.ts";

/**
 * What kwok nodes can be: the cluster's carpool.dev/v1alpha1 InstanceType objects when there are
 * any (their `available: false` offerings are the provider's capacity switch), else the built-in
 * AWS catalog of the region. The built-in catalog is read once; the user's is converted again
 * only when an InstanceType object changes (by resourceVersion).
 */
export class KwokCatalog {
  readonly #store: ClusterStore;
  readonly #region: string | undefined;
  #builtIn: readonly InstanceType[] | undefined;
  #user: { readonly versions: string; readonly instanceTypes: readonly InstanceType[] } | undefined;

  constructor(store: ClusterStore, region: string | undefined) {
    this.#store = store;
    this.#region = region;
  }

  async instanceTypes(): Promise<readonly InstanceType[]> {
    const objects = await this.#store.list("InstanceType");
    if (objects.length === 0) {
      this.#builtIn ??= awsCatalog(this.#region).instanceTypes;
      return this.#builtIn;
    }
    const versions = versionsOf(objects);
    if (versions === undefined || this.#user?.versions !== versions) {
      // Objects with a bad quantity are left out; the API server's validation and the loader
      // report those where they are written.
      const { instanceTypes } = catalogFromInstanceTypes(objects).catalog;
      this.#user = versions === undefined ? undefined : { versions, instanceTypes };
      return instanceTypes;
    }
    return this.#user.instanceTypes;
  }
}

/** `name@resourceVersion` of every object, sorted; undefined when one has no resourceVersion. */
function versionsOf(objects: readonly InstanceTypeObject[]): string | undefined {
  const versions: string[] = [];
  for (const object of objects) {
    const version = object.metadata.resourceVersion;
    if (version === undefined) return undefined;
    versions.push(`${object.metadata.name}@${version}`);
  }
  return versions.sort().join(",");
}
