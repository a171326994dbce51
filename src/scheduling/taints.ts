import type { Taint, Toleration } from "../api/pod.ts";
import type { Reason } from "./reasons.ts";
import { tolerates } from "./toleration.ts";

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
    if (!toleratedByAny(taint, tolerations)) {
      reasons.push({
        code: "untolerated_taint",
        taint,
        nearMisses: nearMisses(taint, tolerations),
      });
    }
  }
  return reasons;
}

/**
 * The pod's tolerations that name this taint's key and effect but still do not match (a value,
 * or an Lt/Gt bound, that disagrees): what a user would look at first.
 */
function nearMisses(taint: Taint, tolerations: readonly Toleration[] | undefined): Toleration[] {
  return (tolerations ?? []).filter(
    (toleration) =>
      toleration.key === taint.key && (!toleration.effect || toleration.effect === taint.effect),
  );
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
