import type { KwokNodeClass } from "../../api/kwoknodeclass.ts";
import type { NodeClassReference } from "../../api/nodepool.ts";
import { NodeClassNotReadyError } from "../../ports/cloud-provider.ts";
import type { ClusterStore } from "../../ports/cluster-store.ts";
import { KwokNodeClassGroup, KwokNodeClassKind } from "./node.ts";

/**
 * The KwokNodeClass a NodeClaim names, if it can launch now; NodeClassNotReadyError otherwise.
 * A kwok class has nothing to resolve, so a class without a Ready condition is ready: only an
 * explicit Ready that is not True (or a class being deleted) holds its claims back.
 */
export async function readyNodeClass(
  store: ClusterStore,
  ref: NodeClassReference,
): Promise<KwokNodeClass> {
  if (ref.group !== KwokNodeClassGroup || ref.kind !== KwokNodeClassKind)
    throw new NodeClassNotReadyError(
      ref,
      `the kwok provider serves ${KwokNodeClassKind}.${KwokNodeClassGroup}, not ${ref.kind}.${ref.group}`,
    );
  const nodeClass = await store.get("KwokNodeClass", ref.name);
  if (nodeClass === undefined) throw new NodeClassNotReadyError(ref, "not found");
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
