import type { FieldError } from "../../api/field-errors.ts";
import type { BootstrapInput, KubeletSettings } from "../../ports/bootstrap.ts";
import { tryParseQuantity } from "../../resources/quantity.ts";

/**
 * The kubelet settings of Karpenter's EC2NodeClass spec.kubelet that EKS bootstraps render beyond the
 * port's: soft eviction. A BootstrapInput's `kubelet` may carry them; other bootstraps ignore them.
 */
export interface EksKubeletSettings extends KubeletSettings {
  /** Eviction signal → percentage or quantity; each needs a grace period (kubelet: "grace period must be specified"). */
  readonly evictionSoft?: Readonly<Record<string, string>>;
  /** Eviction signal → Go duration (`1m30s`). */
  readonly evictionSoftGracePeriod?: Readonly<Record<string, string>>;
  /** Seconds a pod may take to stop when evicted for a soft threshold. */
  readonly evictionMaxPodGracePeriod?: number;
}

export function eksKubelet(input: BootstrapInput): EksKubeletSettings | undefined {
  return input.kubelet as EksKubeletSettings | undefined;
}

/** EC2NodeClass spec.kubelet.evictionSoft keys (the same signals as evictionHard). */
const evictionSignals: readonly string[] = [
  "memory.available",
  "nodefs.available",
  "nodefs.inodesFree",
  "imagefs.available",
  "imagefs.inodesFree",
  "pid.available",
];
const percentage = /^(\d{1,2}(\.\d{1,2})?|100(\.0{1,2})?)%$/;
/** time.ParseDuration's units; Karpenter's CRD takes `^([0-9]+(s|m|h))+$`, this takes what Go reads. */
const goDuration = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/** What the port's validation (input-errors.ts) does not check: the soft-eviction settings. */
export function eksKubeletErrors(kubelet: EksKubeletSettings | undefined): FieldError[] {
  if (kubelet === undefined || typeof kubelet !== "object" || kubelet === null) return [];
  const errors: FieldError[] = [];
  const soft = signalMap(kubelet.evictionSoft, "kubelet.evictionSoft", errors, (value) => {
    if (percentage.test(value)) return undefined;
    const parsed = tryParseQuantity(value);
    if (!parsed.ok) return `must be a percentage or a quantity: ${parsed.message}`;
    return parsed.quantity.nano < 0n ? "must not be negative" : undefined;
  });
  const grace = signalMap(
    kubelet.evictionSoftGracePeriod,
    "kubelet.evictionSoftGracePeriod",
    errors,
    (value) => (goDuration.test(value) ? undefined : "must be a duration such as 1m30s"),
  );
  for (const key of soft)
    if (!grace.includes(key))
      errors.push({
        path: `kubelet.evictionSoft[${JSON.stringify(key)}]`,
        message: "needs a grace period in kubelet.evictionSoftGracePeriod",
      });
  for (const key of grace)
    if (!soft.includes(key))
      errors.push({
        path: `kubelet.evictionSoftGracePeriod[${JSON.stringify(key)}]`,
        message: "has no threshold in kubelet.evictionSoft",
      });
  const max = kubelet.evictionMaxPodGracePeriod;
  if (
    max !== undefined &&
    (typeof max !== "number" || !Number.isInteger(max) || max < 0 || max > 2 ** 31 - 1)
  )
    errors.push({
      path: "kubelet.evictionMaxPodGracePeriod",
      message: "must be an integer from 0 to 2147483647",
    });
  return errors;
}

/** Checks a signal → string map; returns its keys. */
function signalMap(
  map: unknown,
  path: string,
  errors: FieldError[],
  valueError: (value: string) => string | undefined,
): string[] {
  if (map === undefined) return [];
  if (typeof map !== "object" || map === null || Array.isArray(map)) {
    errors.push({ path, message: "must be a map of strings" });
    return [];
  }
  for (const [key, value] of Object.entries(map)) {
    const at = `${path}[${JSON.stringify(key)}]`;
    if (!evictionSignals.includes(key))
      errors.push({ path: at, message: `key must be one of ${evictionSignals.join(", ")}` });
    if (typeof value !== "string") errors.push({ path: at, message: "value must be a string" });
    else {
      const message = valueError(value);
      if (message !== undefined)
        errors.push({ path: at, message: `${JSON.stringify(value)}: ${message}` });
    }
  }
  return Object.keys(map);
}
