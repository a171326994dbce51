import type { FieldError } from "./field-errors.ts";

/** apimachinery validation.IsQualifiedName: optional DNS-1123 subdomain prefix (≤253) / name (≤63). */
export function qualifiedNameErrors(key: string): string[] {
  const errors: string[] = [];
  const parts = key.split("/");
  if (parts.length > 2)
    return ["a qualified name must consist of an optional prefix and a name, separated by one '/'"];
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (prefix !== undefined) {
    if (prefix.length === 0) errors.push("prefix part must be non-empty");
    else if (prefix.length > 253) errors.push("prefix part must be no more than 253 characters");
    else if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(prefix)) {
      errors.push("prefix part must be a lowercase DNS-1123 subdomain");
    }
  }
  if (!name) errors.push("name part must be non-empty");
  else if (name.length > 63) errors.push("name part must be no more than 63 characters");
  else if (!/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name)) {
    errors.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and start and end with an alphanumeric character",
    );
  }
  return errors;
}

/** apimachinery validation.IsValidLabelValue: empty, or ≤63 alphanumerics with -_. inside. */
export function labelValueErrors(value: string): string[] {
  if (value.length > 63) return ["must be no more than 63 characters"];
  if (value !== "" && !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(value)) {
    return [
      "must be empty or consist of alphanumeric characters, '-', '_' or '.', and start and end with an alphanumeric character",
    ];
  }
  return [];
}

/**
 * Where a label key is used: each place has its own CEL rules in Karpenter's CRDs
 * (hack/validation/labels.sh and requirements.sh, as kubernetes-sigs/karpenter#2586 left them).
 */
export type LabelKeyUse = "nodePoolLabel" | "nodePoolRequirement" | "nodeClaimRequirement";

/** karpenter.sh keys Karpenter lets users name although the domain is its own (WellKnownLabels). */
const karpenterWellKnown: ReadonlySet<string> = new Set([
  "karpenter.sh/capacity-type",
  "karpenter.sh/nodepool",
]);

/**
 * Karpenter v1.14's restricted label keys, the one rule for carpool's validation and its CRDs.
 * Since v1.9.0 (kubernetes-sigs/karpenter#2586) kubernetes.io and k8s.io keys are allowed: only
 * karpenter.sh is a restricted domain (RestrictedLabelDomains), and kubernetes.io/hostname a
 * restricted label (RestrictedLabels). A NodePool may not name karpenter.sh/nodepool either (its
 * NodeClaims carry it). The domain test is the CEL one — `key.find("^([^/]+)").endsWith(...)`,
 * the text before the first "/" or the whole key — which the API server applies before Karpenter's
 * own IsRestrictedLabel sees the object, so carpool refuses what the API server refuses.
 * Labels the kubelet may not set on itself are still allowed: they are set after registration
 * (src/bootstrap/kubelet-labels.ts, src/controllers/lifecycle/).
 */
export function restrictedLabelKeyError(key: string, use: LabelKeyUse): string | undefined {
  if (key === "kubernetes.io/hostname") return 'label "kubernetes.io/hostname" is restricted';
  if (key === "karpenter.sh/nodepool" && use !== "nodeClaimRequirement")
    return 'label "karpenter.sh/nodepool" is restricted';
  const domain = key.split("/", 1)[0] ?? "";
  if (domain.endsWith("karpenter.sh") && !karpenterWellKnown.has(key))
    return 'label domain "karpenter.sh" is restricted';
  return undefined;
}

/** Syntax errors of a label map at `path` (keys and values). */
export function labelMapErrors(
  labels: Readonly<Record<string, string>> | undefined,
  path: string,
): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    for (const message of qualifiedNameErrors(key))
      errors.push({ path: `${path}[${key}]`, message: `key ${JSON.stringify(key)}: ${message}` });
    for (const message of labelValueErrors(value))
      errors.push({
        path: `${path}[${key}]`,
        message: `value ${JSON.stringify(value)}: ${message}`,
      });
  }
  return errors;
}
