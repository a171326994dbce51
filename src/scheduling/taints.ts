import type { Taint, Toleration } from "../api/pod.ts";
import type { Reason } from "./reasons.ts";

/**
 * core/v1 Toleration.ToleratesTaint: an empty effect matches every effect; an empty key with
 * operator Exists matches every key and value; the operator defaults to Equal, which compares
 * values (an absent value is ""); Exists matches any value.
 */
export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  const operator = toleration.operator || "Equal";
  if (!toleration.key) return operator === "Exists";
  if (toleration.key !== taint.key) return false;
  return operator === "Exists" || (toleration.value ?? "") === (taint.value ?? "");
}

export function toleratedByAny(
  taint: Taint,
  tolerations: readonly Toleration[] | undefined,
): boolean {
  return (tolerations ?? []).some((toleration) => tolerates(toleration, taint));
}

export interface TaintCheckOptions {
  /**
   * kube-scheduler's TaintToleration filter ignores PreferNoSchedule (it only scores it);
   * Karpenter treats it as blocking until its last relaxation step.
   */
  readonly preferNoScheduleBlocks: boolean;
}

/** Every taint that blocks the pod, one `untolerated_taint` reason each. */
export function untoleratedTaints(
  taints: readonly Taint[] | undefined,
  tolerations: readonly Toleration[] | undefined,
  options: TaintCheckOptions,
): Reason[] {
  const reasons: Reason[] = [];
  for (const taint of taints ?? []) {
    if (taint.effect === "PreferNoSchedule" && !options.preferNoScheduleBlocks) continue;
    if (!toleratedByAny(taint, tolerations)) reasons.push({ code: "untolerated_taint", taint });
  }
  return reasons;
}

/**
 * How long a pod may stay on a node with this NoExecute taint (the taint-eviction controller's
 * getMinTolerationTime): undefined when it may stay forever (a matching toleration without
 * tolerationSeconds), the smallest tolerationSeconds of the matching tolerations otherwise
 * (≤ 0 means at once), and 0 when nothing tolerates the taint.
 */
export function evictionDelaySeconds(
  taint: Taint,
  tolerations: readonly Toleration[] | undefined,
): number | undefined {
  const matching = (tolerations ?? []).filter((toleration) => tolerates(toleration, taint));
  if (matching.length === 0) return 0;
  let minimum: number | undefined;
  for (const toleration of matching) {
    if (toleration.tolerationSeconds === undefined) continue;
    const seconds = Math.max(0, toleration.tolerationSeconds);
    minimum = minimum === undefined ? seconds : Math.min(minimum, seconds);
  }
  // With no tolerationSeconds on any matching toleration, the pod tolerates the taint forever.
  return minimum;
}
