import type { LabelSelector } from "../api/meta.ts";

export type Labels = Readonly<Record<string, string>>;

/**
 * metav1.LabelSelector semantics (apimachinery LabelSelectorAsSelector): matchLabels and
 * matchExpressions are ANDed; an empty selector ({}) selects everything. A missing (nil)
 * selector selects nothing — the meaning PodAffinityTerm and TopologySpreadConstraint give it.
 * `NotIn` and `DoesNotExist` are satisfied by a missing key.
 */
export function selectorMatches(selector: LabelSelector | undefined, labels: Labels): boolean {
  if (selector === undefined) return false;
  const matchLabels = selector.matchLabels;
  if (matchLabels !== undefined)
    for (const key in matchLabels) if (labels[key] !== matchLabels[key]) return false;
  for (const expression of selector.matchExpressions ?? []) {
    const value = labels[expression.key];
    const values = expression.values ?? [];
    switch (expression.operator) {
      case "In":
        if (value === undefined || !values.includes(value)) return false;
        break;
      case "NotIn":
        if (value !== undefined && values.includes(value)) return false;
        break;
      case "Exists":
        if (value === undefined) return false;
        break;
      case "DoesNotExist":
        if (value !== undefined) return false;
        break;
    }
  }
  return true;
}
