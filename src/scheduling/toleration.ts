import { parseCanonicalInt64 } from "../api/decimal-integer.ts";
import type { Taint, Toleration } from "../api/pod.ts";

/**
 * A toleration as the matching rule sees it: any operator string, since a library caller or a
 * newer API server may hand over one carpool does not know (and that one must match nothing).
 */
export type TolerationTerm = Omit<Toleration, "operator"> & { readonly operator?: string };

/**
 * core/v1 Toleration.ToleratesTaint with TaintTolerationComparisonOperators on — the one rule
 * the solver, explain, the simulator's scheduler and NoExecute eviction share:
 * - an empty effect matches every effect, otherwise the effects must be equal;
 * - an empty key matches every key, otherwise the keys must be equal;
 * - Equal (or no operator) compares values, an absent value being "" — so an empty key with
 *   Equal tolerates every taint whose value is empty;
 * - Exists matches any value;
 * - Lt / Gt compare the taint's value with the toleration's as int64, and only when both are
 *   canonical decimal integers (content.IsDecimalInteger, then strconv.ParseInt);
 * - any other operator tolerates nothing.
 */
export function tolerates(toleration: TolerationTerm, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? "") {
    case "":
    case "Equal":
      return (toleration.value ?? "") === (taint.value ?? "");
    case "Exists":
      return true;
    case "Lt":
      return compareAsIntegers(toleration, taint, (taintValue, bound) => taintValue < bound);
    case "Gt":
      return compareAsIntegers(toleration, taint, (taintValue, bound) => taintValue > bound);
    default:
      return false;
  }
}

function compareAsIntegers(
  toleration: TolerationTerm,
  taint: Taint,
  holds: (taintValue: bigint, bound: bigint) => boolean,
): boolean {
  const bound = parseCanonicalInt64(toleration.value ?? "");
  const taintValue = parseCanonicalInt64(taint.value ?? "");
  return bound !== undefined && taintValue !== undefined && holds(taintValue, bound);
}
