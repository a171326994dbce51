import { parseResources } from "../resources/resource-list.ts";
import { type CapacityBuffer, specRules } from "./capacitybuffer.ts";
import type { FieldError } from "./field-errors.ts";

/** The CapacityBuffer CRD's CEL rules on its spec, with their messages, and valid limits. */
export function capacityBufferErrors(buffer: CapacityBuffer): FieldError[] {
  const { spec } = buffer;
  const errors: FieldError[] = [];
  if (spec.podTemplateRef !== undefined && spec.replicas === undefined && spec.limits === undefined)
    errors.push({ path: "spec", message: specRules.podTemplateNeedsCount.message });
  if (spec.podTemplateRef !== undefined && spec.scalableRef !== undefined)
    errors.push({ path: "spec", message: specRules.oneRef.message });
  const limits = parseResources(spec.limits);
  if (!limits.ok)
    for (const error of limits.errors)
      errors.push({ path: `spec.limits.${error.resource}`, message: error.message });
  return errors;
}
