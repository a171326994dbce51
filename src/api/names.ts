import type { FieldError } from "./field-errors.ts";

/** How the API server checks an object's name: most kinds' names are DNS-1123 subdomains. */
export type NameRule = "dns1123Subdomain" | "dns1123Label";

const labelPattern = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const subdomainPattern = `${labelPattern}(\\.${labelPattern})*`;
const label = new RegExp(`^${labelPattern}$`);
const subdomain = new RegExp(`^${subdomainPattern}$`);

/**
 * The problems apimachinery's IsDNS1123Label / IsDNS1123Subdomain find in `value`, in their
 * words (k8s.io/apimachinery/pkg/util/validation): a length limit and a pattern.
 */
export function nameProblems(value: string, rule: NameRule): string[] {
  const problems: string[] = [];
  if (rule === "dns1123Label") {
    if (value.length > 63) problems.push("must be no more than 63 characters");
    // A valid subdomain fails only for its dots: the API server says just that.
    if (!label.test(value) && subdomain.test(value)) problems.push("must not contain dots");
    else if (!label.test(value))
      problems.push(
        `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${labelPattern}')`,
      );
    return problems;
  }
  if (value.length > 253) problems.push("must be no more than 253 characters");
  if (!subdomain.test(value))
    problems.push(
      `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${subdomainPattern}')`,
    );
  return problems;
}

/**
 * metadata.name and metadata.namespace as ValidateObjectMeta checks them. A snapshot's objects all
 * have names: generateName is the API server's to expand at create time, so it does not stand in.
 */
export function metadataNameErrors(
  metadata: unknown,
  options: { readonly nameRule: NameRule; readonly namespaced: boolean },
): FieldError[] {
  // Without metadata the structural check already says "metadata: is required".
  if (typeof metadata !== "object" || metadata === null) return [];
  const meta = metadata as { name?: unknown; namespace?: unknown };
  const errors: FieldError[] = [];
  if (meta.name === undefined || meta.name === "") {
    errors.push({ path: "metadata.name", message: "Required value: name is required" });
  } else if (typeof meta.name === "string") {
    for (const problem of nameProblems(meta.name, options.nameRule))
      errors.push({ path: "metadata.name", message: invalid(meta.name, problem) });
  }
  // Namespaces are DNS labels (ValidateNamespaceName); the namespace of a cluster-scoped object
  // is cleared by the API server, not refused.
  if (options.namespaced && typeof meta.namespace === "string" && meta.namespace !== "") {
    for (const problem of nameProblems(meta.namespace, "dns1123Label"))
      errors.push({ path: "metadata.namespace", message: invalid(meta.namespace, problem) });
  }
  return errors;
}

function invalid(value: string, problem: string): string {
  return `Invalid value: ${JSON.stringify(value)}: ${problem}`;
}

/**
 * Kinds carpool does not read whose names it still checks, because a bad one fails the whole
 * `kubectl apply`: Namespaces and Services are DNS labels (ValidateNamespaceName; Services were
 * DNS-1035 labels until RelaxedServiceNameValidation, on in the dev cluster's 1.36), the rest
 * subdomains.
 */
export const unreadKindNames: Readonly<
  Record<string, { readonly nameRule: NameRule; readonly namespaced: boolean }>
> = {
  "v1/Namespace": { nameRule: "dns1123Label", namespaced: false },
  "v1/Service": { nameRule: "dns1123Label", namespaced: true },
  "v1/ConfigMap": { nameRule: "dns1123Subdomain", namespaced: true },
  "v1/Secret": { nameRule: "dns1123Subdomain", namespaced: true },
  "v1/ServiceAccount": { nameRule: "dns1123Subdomain", namespaced: true },
};
