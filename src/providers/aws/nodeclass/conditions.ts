import type { Condition } from "../../../api/meta.ts";

/** The EC2NodeClass condition types (Karpenter's pkg/apis/v1/ec2nodeclass_status.go). */
export const ConditionTypes = {
  subnetsReady: "SubnetsReady",
  securityGroupsReady: "SecurityGroupsReady",
  amisReady: "AMIsReady",
  instanceProfileReady: "InstanceProfileReady",
  capacityReservationsReady: "CapacityReservationsReady",
  validationSucceeded: "ValidationSucceeded",
  ready: "Ready",
} as const;

/** A condition before its transition time and generation are stamped. */
export interface ConditionState {
  readonly type: string;
  readonly status: "True" | "False" | "Unknown";
  readonly reason: string;
  readonly message: string;
}

export type StampedCondition = Condition & { observedGeneration?: number };

/** A dependent condition that holds: reason = its type, as operatorpkg's SetTrue writes it. */
export function conditionTrue(type: string): ConditionState {
  return { type, status: "True", reason: type, message: "" };
}

export function conditionFalse(type: string, reason: string, message: string): ConditionState {
  return { type, status: "False", reason, message };
}

/**
 * Ready from its dependents as operatorpkg computes the root condition: True when all are True;
 * otherwise False with reason UnhealthyDependents when any is False, else Unknown
 * (ReconcilingDependents); the message names each that is not True (`SubnetsReady=False, …`).
 */
export function readyCondition(dependents: readonly ConditionState[]): ConditionState {
  const unhealthy = dependents.filter((c) => c.status !== "True");
  if (unhealthy.length === 0) return conditionTrue(ConditionTypes.ready);
  const anyFalse = unhealthy.some((c) => c.status === "False");
  return {
    type: ConditionTypes.ready,
    status: anyFalse ? "False" : "Unknown",
    reason: anyFalse ? "UnhealthyDependents" : "ReconcilingDependents",
    message: unhealthy.map((c) => `${c.type}=${c.status}`).join(", "),
  };
}

/**
 * The conditions with lastTransitionTime kept from `previous` where the status did not change,
 * `now` where it did, and the generation observed.
 */
export function stampConditions(
  next: readonly ConditionState[],
  previous: readonly StampedCondition[],
  now: string,
  generation: number,
): StampedCondition[] {
  return next.map((c) => {
    const before = previous.find((p) => p.type === c.type);
    return {
      ...c,
      observedGeneration: generation,
      lastTransitionTime: before?.status === c.status ? (before.lastTransitionTime ?? now) : now,
    };
  });
}

/**
 * An error as a condition's reason and message: an AWS service error by its code (what
 * Karpenter's ClassifyError puts on the condition, e.g. UnauthorizedOperation), anything else
 * under `fallbackReason`.
 */
export function errorReason(
  error: unknown,
  fallbackReason: string,
): { reason: string; message: string } {
  const e = error as { name?: unknown; message?: unknown; $metadata?: unknown };
  const message = typeof e?.message === "string" ? e.message : String(error);
  const isAwsError = typeof e?.name === "string" && e.$metadata !== undefined;
  const reason = isAwsError ? (e.name as string).replace(/[^A-Za-z0-9_,:]/g, "") : fallbackReason;
  return { reason: /^[A-Za-z]/.test(reason) ? reason : fallbackReason, message };
}
