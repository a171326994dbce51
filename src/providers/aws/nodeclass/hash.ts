import { fnv1a64 } from "./instance-profile.ts";

export const NodeClassHashAnnotation = "karpenter.k8s.aws/ec2nodeclass-hash";
export const NodeClassHashVersionAnnotation = "karpenter.k8s.aws/ec2nodeclass-hash-version";

/**
 * The hash version carpool writes. Karpenter's is "v4", but carpool's hash function is its own
 * (not Go's hashstructure), so it has a version of its own: a claim stamped by Karpenter carries
 * another version and is re-stamped, not taken as drifted, when carpool takes over.
 */
export const NodeClassHashVersion = "carpool-v1";

/**
 * Spec fields Karpenter leaves out of the drift hash (`hash:"ignore"` in EC2NodeClassSpec):
 * selectors drift by what they resolve to (status.amis, subnets, groups), ipPrefixCount is not a
 * node's shape, and amiFamily is hashed as resolved (below) so `al2023@latest` without amiFamily
 * and with `amiFamily: AL2023` hash alike.
 */
const ignoredFields = new Set([
  "subnetSelectorTerms",
  "securityGroupSelectorTerms",
  "capacityReservationSelectorTerms",
  "amiSelectorTerms",
  "ipPrefixCount",
  "amiFamily",
]);

/** EC2NodeClass.AMIFamily(): the amiFamily field, else the alias's family, else Custom. */
export function resolvedAmiFamily(spec: Readonly<Record<string, unknown>>): string {
  if (typeof spec.amiFamily === "string" && spec.amiFamily !== "") return spec.amiFamily;
  const terms = Array.isArray(spec.amiSelectorTerms) ? spec.amiSelectorTerms : [];
  const alias = terms
    .map((t) => (t as { alias?: unknown }).alias)
    .find((a): a is string => typeof a === "string");
  const families: Record<string, string> = {
    al2: "AL2",
    al2023: "AL2023",
    bottlerocket: "Bottlerocket",
    windows2019: "Windows2019",
    windows2022: "Windows2022",
  };
  return (alias && families[alias.split("@")[0]?.toLowerCase() ?? ""]) || "Custom";
}

/**
 * The drift hash of a spec, with Karpenter's hashing options: zero values ignored (an unset field
 * and an empty one hash alike), slices as sets (order does not matter). A decimal uint64 like
 * Karpenter's annotation.
 */
export function nodeClassHash(spec: Readonly<Record<string, unknown>>): string {
  const hashed = Object.fromEntries(
    Object.entries(spec).filter(([key]) => !ignoredFields.has(key)),
  );
  return fnv1a64(canonical([hashed, resolvedAmiFamily(spec)]) ?? "").toString(10);
}

/** Canonical text of a value: keys sorted, zero values dropped, arrays sorted as sets. */
function canonical(value: unknown): string | undefined {
  if (value === undefined || value === null || value === "" || value === 0 || value === false)
    return undefined;
  if (Array.isArray(value)) {
    const items = value.map(canonical).filter((v): v is string => v !== undefined);
    return items.length === 0 ? undefined : `[${items.sort().join(",")}]`;
  }
  if (typeof value === "object") {
    const fields = Object.keys(value as object)
      .sort()
      .flatMap((key) => {
        const text = canonical((value as Record<string, unknown>)[key]);
        return text === undefined ? [] : [`${JSON.stringify(key)}:${text}`];
      });
    return fields.length === 0 ? undefined : `{${fields.join(",")}}`;
  }
  return JSON.stringify(value);
}
