import { type KnownObject, NamespacedKinds } from "../api/validate.ts";

/** An object as events name it: `Kind/name` or `Kind/namespace/name`. */
export interface ObjectRef {
  readonly kind: string;
  readonly namespace?: string | undefined;
  readonly name: string;
}

/**
 * Reads `Kind/name` or, for a namespaced kind, `Kind/namespace/name`. The rest of a cluster-scoped
 * reference is all name, so `Instance/aws:///us-west-2a/i-0abc` keeps its provider ID whole.
 */
export function parseObjectRef(text: string): ObjectRef {
  const slash = text.indexOf("/");
  if (slash < 0) return { kind: "", name: text };
  const kind = text.slice(0, slash);
  const rest = text.slice(slash + 1);
  const inner = rest.indexOf("/");
  if (inner < 0 || !NamespacedKinds.has(kind as KnownObject["kind"])) return { kind, name: rest };
  return { kind, namespace: rest.slice(0, inner), name: rest.slice(inner + 1) };
}

/** Every object of a reference list, as disruption events name their nodes: `Node/a,Node/b`. */
export function parseObjectRefs(text: string): ObjectRef[] {
  return text
    .split(",")
    .filter((part) => part !== "")
    .map(parseObjectRef);
}
