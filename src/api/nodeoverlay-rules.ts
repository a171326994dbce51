import { tryParseQuantity } from "../resources/quantity.ts";
import type { FieldError } from "./field-errors.ts";
import {
  capacityRule,
  type NodeOverlay,
  priceExclusiveRule,
  RestrictedCapacityResources,
} from "./nodeoverlay.ts";
import { requirementErrors } from "./validate-requirements.ts";

/**
 * What the NodeOverlay CRD's CEL rules and Karpenter's RuntimeValidate refuse
 * (pkg/apis/v1alpha1/nodeoverlay_validation.go): the same requirement rules as a NodePool's
 * (restricted label domains, In/NotIn values, Gt/Lt integers), price and priceAdjustment
 * mutually exclusive, and capacity limited to extended resources with valid quantities.
 */
export function nodeOverlayErrors(overlay: NodeOverlay): FieldError[] {
  const { spec } = overlay;
  // Unlike a NodePool, an overlay may select its pools by karpenter.sh/nodepool: the CRD's key
  // rule lets it through, as RuntimeValidate's IsRestrictedLabel does for every well-known label.
  const errors = requirementErrors(spec.requirements, "spec.requirements", {
    karpenter: true,
  }).filter((error) => error.message !== 'label "karpenter.sh/nodepool" is restricted');
  if (spec.price !== undefined && spec.priceAdjustment !== undefined)
    errors.push({ path: "spec", message: priceExclusiveRule.message });
  for (const [resource, quantity] of Object.entries(spec.capacity ?? {})) {
    const at = `spec.capacity.${resource}`;
    if ((RestrictedCapacityResources as readonly string[]).includes(resource))
      errors.push({ path: at, message: capacityRule.message });
    const parsed = tryParseQuantity(quantity);
    if (!parsed.ok) errors.push({ path: at, message: parsed.message });
  }
  return errors;
}
