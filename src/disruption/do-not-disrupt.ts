import type { Pod } from "../api/pod.ts";
import { Annotations } from "../api/wellknown.ts";
import { parseGoDuration } from "./duration.ts";

/**
 * What `karpenter.sh/do-not-disrupt` on a pod means now (Karpenter v1.12+, kubernetes-sigs/karpenter
 * #2874, pkg/utils/pod IsDoNotDisruptActive):
 * - absent: no protection;
 * - `"true"`: protected for as long as the pod runs;
 * - a positive Go duration (`"30m"`, `"1h30m"`): protected until the pod's status.startTime plus
 *   that long, and protected while the pod has no start time (fail-safe);
 * - anything else (`"yes"`, `"0s"`, `"-5m"`): ignored, with an Event on the pod saying so.
 */
export type PodProtection =
  | { readonly active: false; readonly invalid?: string }
  | { readonly active: true; readonly until?: number };

export function podProtection(pod: Pod, now: number): PodProtection {
  const value = pod.metadata.annotations?.[Annotations.doNotDisrupt];
  if (value === undefined) return { active: false };
  if (value === "true") return { active: true };
  const ms = parseGoDuration(value);
  if (ms === undefined || ms <= 0) return { active: false, invalid: value };
  const started = Date.parse(pod.status?.startTime ?? "");
  if (!Number.isFinite(started)) return { active: true };
  const until = started + ms;
  return now < until ? { active: true, until } : { active: false };
}

/** Whether the pod's do-not-disrupt protects it now. */
export function isProtected(pod: Pod, now: number): boolean {
  return podProtection(pod, now).active;
}

/** Karpenter's Event message for a value it ignores. */
export function invalidDoNotDisruptMessage(value: string): string {
  return `Invalid ${Annotations.doNotDisrupt} annotation value ${JSON.stringify(value)}, ignoring annotation. Use 'true' or a duration like '5m', '1h'`;
}
