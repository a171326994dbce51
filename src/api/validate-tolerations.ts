import { parseCanonicalInt64 } from "./decimal-integer.ts";
import type { FieldError } from "./field-errors.ts";
import type { Toleration } from "./pod.ts";
import { labelValueErrors, qualifiedNameErrors } from "./validate-labels.ts";

/**
 * The API server's ValidateTolerations (pkg/apis/core/validation), with the
 * TaintTolerationComparisonOperators gate on, as a cluster that serves Lt / Gt has it. The
 * operator itself is checked by the schema (Equal, Exists, Lt, Gt or "").
 */
export function tolerationErrors(
  tolerations: readonly Toleration[] | undefined,
  path: string,
): FieldError[] {
  return (tolerations ?? []).flatMap((toleration, i) =>
    oneTolerationErrors(toleration, `${path}[${i}]`),
  );
}

function oneTolerationErrors(toleration: Toleration, at: string): FieldError[] {
  const errors: FieldError[] = [];
  const operator = toleration.operator || "Equal";
  const value = toleration.value ?? "";
  // A key, when given, is a label name; an empty key (every key) only makes sense with Exists.
  if (toleration.key) {
    for (const message of qualifiedNameErrors(toleration.key))
      errors.push({ path: `${at}.key`, message });
  } else if (operator !== "Exists") {
    errors.push({ path: `${at}.operator`, message: "must be Exists when key is empty" });
  }
  if (toleration.tolerationSeconds !== undefined && toleration.effect !== "NoExecute") {
    errors.push({
      path: `${at}.effect`,
      message: "must be NoExecute when tolerationSeconds is set",
    });
  }
  switch (operator) {
    case "Equal":
      for (const message of labelValueErrors(value)) errors.push({ path: `${at}.value`, message });
      break;
    case "Exists":
      if (value)
        errors.push({ path: `${at}.value`, message: "must be empty when operator is Exists" });
      break;
    case "Lt":
    case "Gt":
      // The scheduler compares these as int64 in canonical form; any other value never matches.
      if (parseCanonicalInt64(value) === undefined) {
        errors.push({
          path: `${at}.value`,
          message: `must be a decimal integer in canonical form (no sign "+", no leading zeros) within int64 when operator is ${operator}`,
        });
      }
      break;
  }
  return errors;
}
