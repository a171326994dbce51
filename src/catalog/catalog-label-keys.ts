import { WellKnownLabelKeys } from "../api/wellknown.ts";
import type { InstanceType } from "./instance-type.ts";

const declaredCache = new WeakMap<readonly InstanceType[], ReadonlySet<string>>();
const wellKnownCache = new WeakMap<readonly InstanceType[], ReadonlySet<string>>();

/**
 * Every label key some type of the catalog carries. A cloud provider in Karpenter registers the
 * labels its instance types carry as well-known (the AWS provider's karpenter.k8s.aws/*), and
 * gives a type that lacks one a DoesNotExist requirement on it; a catalog's `spec.labels` are
 * such a provider's labels. Computed once per catalog array.
 */
export function declaredLabelKeys(instanceTypes: readonly InstanceType[]): ReadonlySet<string> {
  let keys = declaredCache.get(instanceTypes);
  if (keys === undefined) {
    const declared = new Set<string>();
    for (const type of instanceTypes) for (const key of Object.keys(type.labels)) declared.add(key);
    keys = declared;
    declaredCache.set(instanceTypes, keys);
  }
  return keys;
}

/**
 * The keys a NodePool may leave undefined and a pod still select (Karpenter's Compatible with
 * AllowUndefinedWellKnownLabels): Karpenter's well-known labels and the catalog's own.
 */
export function wellKnownLabelKeys(instanceTypes: readonly InstanceType[]): ReadonlySet<string> {
  let keys = wellKnownCache.get(instanceTypes);
  if (keys === undefined) {
    keys = new Set([...WellKnownLabelKeys, ...declaredLabelKeys(instanceTypes)]);
    wellKnownCache.set(instanceTypes, keys);
  }
  return keys;
}
