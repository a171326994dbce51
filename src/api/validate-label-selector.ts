import type { FieldError } from "./field-errors.ts";
import type { LabelSelector } from "./meta.ts";
import { labelMapErrors, qualifiedNameErrors } from "./validate-labels.ts";

/**
 * metav1.LabelSelector as ValidateLabelSelector checks it (apimachinery
 * pkg/apis/meta/v1/validation): valid label keys and values, values for In / NotIn and none for
 * Exists / DoesNotExist. A selector that fails here cannot be turned into a labels.Selector, so
 * the API server refuses the object rather than matching nothing.
 */
export function labelSelectorErrors(
  selector: LabelSelector | undefined,
  path: string,
): FieldError[] {
  if (selector === undefined) return [];
  const errors = labelMapErrors(selector.matchLabels, `${path}.matchLabels`);
  (selector.matchExpressions ?? []).forEach((expression, i) => {
    const at = `${path}.matchExpressions[${i}]`;
    for (const problem of qualifiedNameErrors(expression.key))
      errors.push({
        path: `${at}.key`,
        message: `Invalid value: ${JSON.stringify(expression.key)}: ${problem}`,
      });
    const values = expression.values ?? [];
    if ((expression.operator === "In" || expression.operator === "NotIn") && values.length === 0)
      errors.push({
        path: `${at}.values`,
        message: "Required value: must be specified when `operator` is 'In' or 'NotIn'",
      });
    if (
      (expression.operator === "Exists" || expression.operator === "DoesNotExist") &&
      values.length > 0
    )
      errors.push({
        path: `${at}.values`,
        message: "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      });
  });
  return errors;
}
