import type { NodeRequirement } from "../scheduling/requirement.ts";
import type { FieldError } from "./field-errors.ts";
import type { Taint } from "./pod.ts";
import {
  type LabelKeyUse,
  labelValueErrors,
  qualifiedNameErrors,
  restrictedLabelKeyError,
} from "./validate-labels.ts";

/** Whose requirements these are: a pod's (core/v1 rules) or a Karpenter object's (its CRD's too). */
export type RequirementRules =
  | { readonly karpenter: false }
  | {
      readonly karpenter: true;
      /** Which key restrictions apply; a NodePool's unless told. */
      readonly use?: Exclude<LabelKeyUse, "nodePoolLabel">;
    };

/** Operators whose one value is an integer bound rather than a label value. */
const boundOperators: ReadonlySet<string> = new Set(["Gt", "Lt", "Gte", "Lte"]);

/** The largest Go int (strconv.Atoi on 64 bits; CEL's int() overflows past it too). */
const maxInt = 2n ** 63n - 1n;

/**
 * Node-selector requirement rules: the API server's (ValidateNodeSelectorRequirement: In/NotIn
 * need values, Exists/DoesNotExist take none, Gt/Lt one value) and, for Karpenter objects, its
 * CRD's (Gt, Lt, Gte and Lte a single non-negative integer — Gte/Lte since v1.9.0,
 * kubernetes-sigs/karpenter#2674 — minValues ≤ the number of In values, restricted keys).
 * Gte and Lte are Karpenter's only: a pod's node affinity refuses them.
 */
export function requirementErrors(
  requirements: readonly NodeRequirement[] | undefined,
  path: string,
  rules: RequirementRules,
): FieldError[] {
  const errors: FieldError[] = [];
  (requirements ?? []).forEach((requirement, i) => {
    const at = `${path}[${i}]`;
    const values = requirement.values ?? [];
    for (const message of qualifiedNameErrors(requirement.key))
      errors.push({ path: `${at}.key`, message });
    if (rules.karpenter) {
      const restricted = restrictedLabelKeyError(
        requirement.key,
        rules.use ?? "nodePoolRequirement",
      );
      if (restricted) errors.push({ path: `${at}.key`, message: restricted });
    }
    switch (requirement.operator) {
      case "In":
      case "NotIn":
        if (values.length === 0)
          errors.push({
            path: `${at}.values`,
            message: `must be non-empty when operator is ${requirement.operator}`,
          });
        break;
      case "Exists":
      case "DoesNotExist":
        if (values.length > 0)
          errors.push({
            path: `${at}.values`,
            message: `must be empty when operator is ${requirement.operator}`,
          });
        break;
      case "Gte":
      case "Lte":
        if (!rules.karpenter) {
          errors.push({
            path: `${at}.operator`,
            message: `unsupported operator ${requirement.operator}: Gte and Lte are Karpenter's, not node affinity's`,
          });
          break;
        }
        errors.push(...boundErrors(requirement, at, rules.karpenter));
        break;
      case "Gt":
      case "Lt":
        errors.push(...boundErrors(requirement, at, rules.karpenter));
        break;
    }
    // A bound is an integer, checked above, not a label value.
    const labelValues = boundOperators.has(requirement.operator) ? [] : values;
    labelValues.forEach((value, j) => {
      for (const message of labelValueErrors(value))
        errors.push({ path: `${at}.values[${j}]`, message });
    });
    if (
      requirement.minValues !== undefined &&
      requirement.operator === "In" &&
      values.length < requirement.minValues
    ) {
      errors.push({
        path: `${at}.minValues`,
        message:
          "requirements with 'minValues' must have at least that many values specified in the 'values' field",
      });
    }
  });
  return errors;
}

/**
 * Karpenter: exactly one value, an integer ≥ 0 that fits a Go int (CEL `int(x.values[0]) >= 0`;
 * the webhook's strconv.Atoi and `value < 0`), with the runtime validation's words. core/v1: one
 * integer value.
 */
function boundErrors(requirement: NodeRequirement, at: string, karpenter: boolean): FieldError[] {
  const values = requirement.values ?? [];
  const text = values[0] ?? "";
  // strconv.Atoi and CEL's int() take a sign: "+8" is 8 and "-0" is 0, both allowed.
  const integer = /^[+-]?\d+$/.test(text) ? BigInt(text) : -1n;
  const valid = karpenter
    ? values.length === 1 && integer >= 0n && integer <= maxInt
    : values.length === 1 && /^-?\d+$/.test(text);
  if (valid) return [];
  return [
    {
      path: `${at}.values`,
      message: karpenter
        ? `key ${requirement.key} with operator ${requirement.operator} must have a single positive integer value`
        : `operator ${requirement.operator} must have a single integer value`,
    },
  ];
}

/** core/v1 taint rules: a qualified-name key and a label-value value (effects are checked by the schema). */
export function taintErrors(taints: readonly Taint[] | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  (taints ?? []).forEach((taint, i) => {
    for (const message of qualifiedNameErrors(taint.key))
      errors.push({ path: `${path}[${i}].key`, message });
    for (const message of labelValueErrors(taint.value ?? ""))
      errors.push({ path: `${path}[${i}].value`, message });
  });
  return errors;
}
