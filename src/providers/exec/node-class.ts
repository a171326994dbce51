import type { ExecNodeClass } from "../../api/execnodeclass.ts";
import type { NodeClassReference } from "../../api/nodepool.ts";
import { NodeClassNotReadyError } from "../../ports/cloud-provider.ts";
import type { ClusterStore } from "../../ports/cluster-store.ts";

export const ExecNodeClassGroup = "carpool.dev";
export const ExecNodeClassKind = "ExecNodeClass";

/**
 * The ExecNodeClass a NodeClaim names; NodeClassNotReadyError when there is none. To launch, the
 * class must also not be being deleted nor have a Ready condition other than True (a class without
 * one is ready, as carpool resolves nothing for it); to delete or look up an instance, it need only
 * exist, so a class being deleted can still end its machines.
 */
export async function execNodeClass(
  store: ClusterStore,
  ref: NodeClassReference,
  purpose: "launch" | "reach",
): Promise<ExecNodeClass> {
  if (ref.group !== ExecNodeClassGroup || ref.kind !== ExecNodeClassKind)
    throw new NodeClassNotReadyError(
      ref,
      `the exec provider serves ${ExecNodeClassKind}.${ExecNodeClassGroup}, not ${ref.kind}.${ref.group}`,
    );
  const nodeClass = await store.get("ExecNodeClass", ref.name);
  if (nodeClass === undefined) throw new NodeClassNotReadyError(ref, "not found");
  if (purpose === "reach") return nodeClass;
  if (nodeClass.metadata.deletionTimestamp !== undefined)
    throw new NodeClassNotReadyError(ref, "being deleted");
  const ready = nodeClass.status?.conditions?.find((c) => c.type === "Ready");
  if (ready !== undefined && ready.status !== "True")
    throw new NodeClassNotReadyError(
      ref,
      `Ready is ${ready.status}${ready.reason ? ` (${ready.reason})` : ""}`,
    );
  return nodeClass;
}

export function execNodeClassRef(name: string): NodeClassReference {
  return { group: ExecNodeClassGroup, kind: ExecNodeClassKind, name };
}
