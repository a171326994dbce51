import type { InstanceType } from "../../catalog/instance-type.ts";
import { catalogFromInstanceTypes } from "../../catalog/user-catalog.ts";
import type { ClusterStore } from "../../ports/cluster-store.ts";

/**
 * What an exec provider can launch: the cluster's carpool.dev/v1alpha1 InstanceType objects, and
 * nothing else — a user's cloud has its own types, so there is no built-in catalog to fall back on
 * (no InstanceType objects, nothing to launch). An offering with `available: false` is not sent.
 * Converted again only when an object changes (by resourceVersion), as the kwok provider does.
 */
export class ExecCatalog {
  readonly #store: ClusterStore;
  #cached:
    | { readonly versions: string; readonly instanceTypes: readonly InstanceType[] }
    | undefined;

  constructor(store: ClusterStore) {
    this.#store = store;
  }

  async instanceTypes(): Promise<readonly InstanceType[]> {
    const objects = await this.#store.list("InstanceType");
    const versions = objects.every((o) => o.metadata.resourceVersion !== undefined)
      ? objects
          .map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`)
          .sort()
          .join(",")
      : undefined;
    if (versions !== undefined && this.#cached?.versions === versions)
      return this.#cached.instanceTypes;
    // Objects with a bad quantity are left out; validation reports them where they are written.
    const { instanceTypes } = catalogFromInstanceTypes(objects).catalog;
    this.#cached = versions === undefined ? undefined : { versions, instanceTypes };
    return instanceTypes;
  }
}
