import type { NodeClassReference } from "../../api/nodepool.ts";
import type { StaticNodeClass } from "../../api/staticnodeclass.ts";
import { staticNodeClassErrors } from "../../api/validate-rules.ts";
import { NodeClassNotReadyError } from "../../ports/cloud-provider.ts";
import type { ClusterStore } from "../../ports/cluster-store.ts";
import { StaticNodeClassGroup, StaticNodeClassKind } from "./machine-record.ts";

/**
 * Why a StaticNodeClass cannot launch now, if it cannot: being deleted, a Ready condition that
 * is not True, or a rule it breaks (the API server's schema does not check them all: two machines
 * of one name, one type with two shapes, a hook with both exec and webhook). A class without a
 * Ready condition is ready: everything it needs is in its spec.
 */
export function notReadyReason(nodeClass: StaticNodeClass): string | undefined {
  if (nodeClass.metadata.deletionTimestamp !== undefined) return "being deleted";
  const ready = nodeClass.status?.conditions?.find((c) => c.type === "Ready");
  if (ready !== undefined && ready.status !== "True")
    return `Ready is ${ready.status}${ready.reason ? ` (${ready.reason})` : ""}`;
  const [first, ...more] = staticNodeClassErrors(nodeClass);
  if (first !== undefined)
    return `${first.path}: ${first.message}${more.length > 0 ? ` (and ${more.length} more)` : ""}`;
  return undefined;
}

/** The StaticNodeClass a NodeClaim names, if it can launch now; NodeClassNotReadyError otherwise. */
export async function readyStaticNodeClass(
  store: ClusterStore,
  ref: NodeClassReference,
): Promise<StaticNodeClass> {
  if (ref.group !== StaticNodeClassGroup || ref.kind !== StaticNodeClassKind)
    throw new NodeClassNotReadyError(
      ref,
      `the static provider serves ${StaticNodeClassKind}.${StaticNodeClassGroup}, not ${ref.kind}.${ref.group}`,
    );
  const nodeClass = await store.get("StaticNodeClass", ref.name);
  if (nodeClass === undefined) throw new NodeClassNotReadyError(ref, "not found");
  const reason = notReadyReason(nodeClass);
  if (reason !== undefined) throw new NodeClassNotReadyError(ref, reason);
  return nodeClass;
}
