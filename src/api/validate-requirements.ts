import type { FieldError } from "./field-errors.ts";
import type { NodeSelectorRequirement, Taint } from "./pod.ts";
import { labelValueErrors, qualifiedNameErrors, restrictedLabelError } from "./validate-labels.ts";

type Requirement = NodeSelectorRequirement & { readonly minValues?: number };

/**
 * Node-selector requirement rules: the API server's (ValidateNodeSelectorRequirement: In/NotIn
 * need values, Exists/DoesNotExist take none, Gt/Lt one integer) and, for NodePools, Karpenter's
 * CRD rules (Gt/Lt a single non-negative integer, minValues ≤ the number of In values, restricted
 * label domains).
 */
export function requirementErrors(
  requirements: readonly Requirement[] | undefined,
  path: string,
  options: { readonly karpenter: boolean },
): FieldError[] {
  const errors: FieldError[] = [];
  (requirements ?? []).forEach((requirement, i) => {
    const at = `${path}[${i}]`;
    const values = requirement.values ?? [];
    for (const message of qualifiedNameErrors(requirement.key))
      errors.push({ path: `${at}.key`, message });
    if (options.karpenter) {
      const restricted = restrictedLabelError(requirement.key);
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
      case "Gt":
      case "Lt": {
        const integer = options.karpenter ? /^\d+$/ : /^-?\d+$/;
        if (values.length !== 1 || !integer.test(values[0] ?? "")) {
          errors.push({
            path: `${at}.values`,
            message: options.karpenter
              ? `operator ${requirement.operator} must have a single positive integer value`
              : `operator ${requirement.operator} must have a single integer value`,
          });
        }
        break;
      }
    }
    // Gt/Lt values are integers, checked above, not label values.
    const labelValues =
      requirement.operator === "Gt" || requirement.operator === "Lt" ? [] : values;
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
