import { type KnownObject, NamespacedKinds } from "../api/validate.ts";

/**
 * How an event names its object: `Kind/namespace/name` for namespaced kinds (a missing namespace
 * is `default`, as the API server defaults it), `Kind/name` for cluster-scoped ones — the form the
 * controllers' events use (`Pod/shop/web-00001`, `NodeClaim/spot-0000u`).
 */
export function objectRef(kind: string, name: string, namespace?: string): string {
  return NamespacedKinds.has(kind as KnownObject["kind"])
    ? `${kind}/${namespace ?? "default"}/${name}`
    : `${kind}/${name}`;
}

/**
 * A message whose first word is said twice (`Underutilized: underutilized: 3 pods fit…`, as a
 * disruption command's reason prefixed to its own sentence reads), said once.
 */
export function withoutStutter(message: string): string {
  const stutter = /^([A-Za-z][\w-]*): (\w[\w-]*):? /.exec(message);
  if (stutter === null || stutter[1]?.toLowerCase() !== stutter[2]?.toLowerCase()) return message;
  return `${stutter[1]}: ${message.slice(stutter[0].length)}`;
}
