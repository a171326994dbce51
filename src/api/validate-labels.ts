import type { FieldError } from "./field-errors.ts";
import { WellKnownLabelKeys } from "./wellknown.ts";

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

const restrictedDomains = ["kubernetes.io", "k8s.io", "karpenter.sh"];
/** Label domains Karpenter lets NodePools use although they sit under a restricted domain (LabelDomainExceptions). */
const domainExceptions = ["kops.k8s.io", "node.kubernetes.io", "node-restriction.kubernetes.io"];

/**
 * Karpenter's restricted label domains (pkg/apis/v1/labels.go IsRestrictedLabel and the CRD's CEL
 * rules): a NodePool may not set or require labels under kubernetes.io, k8s.io or karpenter.sh,
 * except the well-known labels and the exception domains; karpenter.sh/nodepool and
 * kubernetes.io/hostname are restricted outright.
 */
export function restrictedLabelError(key: string): string | undefined {
  if (key === "karpenter.sh/nodepool" || key === "kubernetes.io/hostname")
    return `label "${key}" is restricted`;
  if (WellKnownLabelKeys.has(key) || betaWellKnown.has(key)) return undefined;
  const domain = key.includes("/") ? (key.split("/")[0] ?? "") : "";
  if (
    domainExceptions.some((exception) => domain === exception || domain.endsWith(`.${exception}`))
  )
    return undefined;
  const restricted = restrictedDomains.find((d) => domain === d || domain.endsWith(`.${d}`));
  return restricted ? `label domain "${restricted}" is restricted` : undefined;
}

const betaWellKnown = new Set([
  "beta.kubernetes.io/instance-type",
  "failure-domain.beta.kubernetes.io/region",
  "beta.kubernetes.io/os",
  "beta.kubernetes.io/arch",
  "failure-domain.beta.kubernetes.io/zone",
]);

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
