import type { Condition } from "../api/meta.ts";
import type { NodePool } from "../api/nodepool.ts";
import type { Reason } from "../scheduling/reasons.ts";

/** What a node class object says of its readiness: the fields the NodePool's verdict reads. */
export interface NodeClassObject {
  readonly kind: string;
  readonly metadata: { readonly name?: string; readonly deletionTimestamp?: string };
  readonly status?: unknown;
}

/** A NodePool's NodeClassReady condition, as Karpenter's nodepool readiness controller sets it. */
export type NodeClassReadiness =
  | { readonly ready: true }
  | { readonly ready: false; readonly reason: string; readonly message: string };

/**
 * Karpenter's rule (pkg/controllers/nodepool/readiness): a missing class is NodeClassNotFound, one
 * being deleted NodeClassTerminating, a Ready=False class passes on its own reason and message, and
 * Ready=Unknown is NodeClassReadinessUnknown. A class with no Ready condition at all counts as
 * ready: carpool's kwok, static and exec classes have no status controller to write one.
 */
export function nodeClassReadiness(
  ref: NodePool["spec"]["template"]["spec"]["nodeClassRef"],
  nodeClass: NodeClassObject | undefined,
): NodeClassReadiness {
  if (nodeClass === undefined)
    return {
      ready: false,
      reason: "NodeClassNotFound",
      message: `${ref.kind} ${ref.name} not found`,
    };
  if (nodeClass.metadata.deletionTimestamp !== undefined)
    return {
      ready: false,
      reason: "NodeClassTerminating",
      message: `${ref.kind} ${ref.name} is terminating`,
    };
  const conditions = (nodeClass.status as { conditions?: readonly Condition[] } | undefined)
    ?.conditions;
  const ready = conditions?.find((c) => c.type === "Ready");
  if (ready === undefined || ready.status === "True") return { ready: true };
  if (ready.status === "False")
    return {
      ready: false,
      reason: ready.reason || "NodeClassNotReady",
      message: `${ref.kind} ${ref.name} is not ready${ready.message ? `: ${ready.message}` : ""}`,
    };
  return {
    ready: false,
    reason: "NodeClassReadinessUnknown",
    message: `${ref.kind} ${ref.name}'s readiness is unknown`,
  };
}

/**
 * Why the pool's reported status keeps it from launching (Karpenter provisions only from pools
 * whose Ready condition is True), or undefined when it may: a pool with no status yet has not been
 * judged, and is used.
 */
export function poolStatusReason(pool: NodePool): Reason | undefined {
  const conditions = pool.status?.conditions ?? [];
  const notReady =
    conditions.find((c) => c.type === "NodeClassReady" && c.status === "False") ??
    conditions.find((c) => c.type === "Ready" && c.status === "False");
  if (notReady === undefined) return undefined;
  return {
    code: "pool_not_ready",
    condition: notReady.type,
    reason: notReady.reason ?? "",
    message: notReady.message ?? "",
  };
}

/** The reason a pool whose node class is not ready is not launched from. */
export function nodeClassReason(readiness: NodeClassReadiness): Reason | undefined {
  return readiness.ready
    ? undefined
    : {
        code: "pool_not_ready",
        condition: "NodeClassReady",
        reason: readiness.reason,
        message: readiness.message,
      };
}

/** The node class kinds carpool's providers serve, by group. */
const KnownNodeClasses: readonly { readonly group: string; readonly kind: string }[] = [
  { group: "karpenter.k8s.aws", kind: "EC2NodeClass" },
  { group: "carpool.dev", kind: "KwokNodeClass" },
  { group: "carpool.dev", kind: "StaticNodeClass" },
  { group: "carpool.dev", kind: "ExecNodeClass" },
];

/**
 * Pools `carpool plan` does not launch from, offline, with the reason Karpenter would give: a
 * status already saying not Ready (a snapshot of a live cluster), or a node class of a kind
 * carpool knows that the input holds classes of, but not this one or not ready. An input with no
 * class of that kind at all is a plan of pools and workloads alone: the class is taken as ready,
 * since refusing every pool of such an input would answer a question the user did not ask.
 */
export function notReadyPools(
  nodePools: readonly NodePool[],
  objects: readonly NodeClassObject[],
): Map<string, Reason> {
  const notReady = new Map<string, Reason>();
  for (const pool of nodePools) {
    const name = pool.metadata.name ?? "";
    const fromStatus = poolStatusReason(pool);
    if (fromStatus !== undefined) {
      notReady.set(name, fromStatus);
      continue;
    }
    const ref = pool.spec.template.spec.nodeClassRef;
    if (!KnownNodeClasses.some((k) => k.group === ref.group && k.kind === ref.kind)) continue;
    const ofKind = objects.filter((o) => o.kind === ref.kind);
    if (ofKind.length === 0) continue;
    const found = ofKind.find((o) => o.metadata.name === ref.name);
    const readiness = nodeClassReadiness(ref, found);
    const reason = nodeClassReason(
      found === undefined && !readiness.ready
        ? {
            ...readiness,
            message: `${ref.kind} ${ref.name} is not in the input (it has ${ofKind.map((o) => o.metadata.name).join(", ")})`,
          }
        : readiness,
    );
    if (reason !== undefined) notReady.set(name, reason);
  }
  return notReady;
}
