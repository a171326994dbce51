import type { Taint, Toleration } from "../api/pod.ts";
import type { Reason, RequirementSource } from "../scheduling/reasons.ts";
import type { NodeRequirement } from "../scheduling/requirement.ts";
import { formatAmount } from "./quantities.ts";

/** The one place a scheduling `Reason` becomes words. */
export function renderReason(reason: Reason): string {
  switch (reason.code) {
    case "untolerated_taint":
      return `untolerated taint ${renderTaint(reason.taint)}${renderNearMisses(reason.nearMisses)}`;
    case "node_unschedulable":
      return "node is cordoned (spec.unschedulable)";
    case "requirement_conflict":
      return `${sourceName(reason.source)} requires ${renderRequirement(reason.wanted)}, but ${renderOffer(reason.offered)}`;
    case "undefined_label":
      return `${sourceName(reason.source)} selects label ${reason.key}, which the NodePool does not define (add it to the pool's requirements or template labels)`;
    case "node_affinity_mismatch":
      return `no term of the required node affinity matches: ${reason.terms
        .map((term, i) => `term ${i + 1}: ${term.map(renderReason).join(" and ") || "empty term"}`)
        .join("; ")}`;
    case "field_mismatch":
      return `node affinity field ${reason.field} requires ${renderRequirement(reason.wanted)}, but it is "${reason.value}"`;
    case "insufficient_resource":
      return renderInsufficient(reason);
    case "host_port_conflict":
      return `host port ${reason.port}/${reason.protocol} on ${reason.hostIP || "0.0.0.0"} is already in use${reason.usedBy ? ` by ${reason.usedBy}` : ""}`;
    case "volume_topology_conflict":
      return `volume ${reason.volume} (claim ${reason.claim}) can only be used where ${reason.wanted.map(renderRequirement).join(" and ")}`;
    case "volume_missing":
      return `volume claim ${reason.claim}: ${volumeMissingText[reason.detail]}`;
    case "pod_affinity_unsatisfied":
      return `no pod matching required pod affinity term ${reason.termIndex + 1} runs in ${renderDomain(reason.topologyKey, reason.domain)}`;
    case "pod_anti_affinity_conflict":
      return `pod ${reason.conflictingPod} matches required pod anti-affinity term ${reason.termIndex + 1} in ${renderDomain(reason.topologyKey, reason.domain)}`;
    case "existing_pod_anti_affinity":
      return `pod ${reason.existingPod} has required pod anti-affinity against this pod in ${renderDomain(reason.topologyKey, reason.domain)}`;
    case "topology_spread_violation":
      return reason.missingKey
        ? `topology spread on ${reason.topologyKey}: the node has no ${reason.topologyKey} label`
        : `topology spread on ${reason.topologyKey}: skew in ${reason.domain ?? "this domain"} would be ${reason.skew}, more than maxSkew ${reason.maxSkew}`;
    case "pool_limit":
      return renderPoolLimit(reason);
    case "pool_not_ready":
      return `the NodePool is not used: ${reason.condition}=False (${reason.reason})${reason.message ? `: ${reason.message}` : ""}`;
    case "static_pool":
      return `the NodePool is static (spec.replicas: ${reason.replicas}): its controller keeps that many nodes, and launches none more for pending pods`;
    case "no_instance_type":
      return renderNoInstanceType(reason);
    case "no_offering":
      return `no available offering for ${listOf(reason.instanceTypes)} matches the zone and capacity type requirements`;
  }
}

/** Tolerations for the taint's key that fail on their value or bound, operator spelled out. */
function renderNearMisses(tolerations: readonly Toleration[]): string {
  if (tolerations.length === 0) return "";
  const noun = tolerations.length === 1 ? "toleration" : "tolerations";
  return ` (the pod's ${noun} ${tolerations.map(renderToleration).join(", ")} ${tolerations.length === 1 ? "does" : "do"} not match)`;
}

export function renderToleration(toleration: Toleration): string {
  const operator = toleration.operator || "Equal";
  const value = operator === "Exists" ? "" : ` ${JSON.stringify(toleration.value ?? "")}`;
  const effect = toleration.effect ? `:${toleration.effect}` : "";
  return `${toleration.key || "*"} ${operator}${value}${effect}`;
}

export function renderTaint(taint: Taint): string {
  const value = taint.value ? `=${taint.value}` : "";
  return `${taint.key}${value}:${taint.effect}`;
}

export function renderRequirement(requirement: NodeRequirement): string {
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case "In":
      return values.length === 1
        ? `${requirement.key}=${values[0]}`
        : `${requirement.key} in (${values.join(", ")})`;
    case "NotIn":
      return values.length === 1
        ? `${requirement.key}!=${values[0]}`
        : `${requirement.key} not in (${values.join(", ")})`;
    case "Exists":
      return `${requirement.key} to exist`;
    case "DoesNotExist":
      return `no ${requirement.key} label`;
    case "Gt":
      return `${requirement.key} > ${values[0]}`;
    case "Lt":
      return `${requirement.key} < ${values[0]}`;
    case "Gte":
      return `${requirement.key} >= ${values[0]}`;
    case "Lte":
      return `${requirement.key} <= ${values[0]}`;
  }
}

function renderOffer(offered: NodeRequirement): string {
  if (offered.operator === "DoesNotExist") return `the target has no ${offered.key} label`;
  if (offered.operator === "In" && offered.values?.length === 1) {
    return `the target has ${offered.key}=${offered.values[0]}`;
  }
  return `the target allows only ${renderRequirement(offered)}`;
}

function renderInsufficient(reason: Extract<Reason, { code: "insufficient_resource" }>): string {
  const { resource } = reason;
  if (resource === "pods") {
    return `too many pods: ${reason.capacity - reason.available} of ${reason.capacity} in use`;
  }
  if (reason.capacity === 0)
    return `no ${resource} at all (requested ${amount(resource, reason.requested)})`;
  return `insufficient ${resource}: requested ${amount(resource, reason.requested)}, ${amount(resource, Math.max(0, reason.available))} of ${amount(resource, reason.capacity)} free`;
}

/** Karpenter counts a new node's whole capacity against the limits: the sum names that node. */
function renderPoolLimit(reason: Extract<Reason, { code: "pool_limit" }>): string {
  const { resource } = reason;
  const node = reason.instanceType === undefined ? "a new node" : `a new ${reason.instanceType}`;
  const adds = resource === "nodes" ? `${node}` : `${amount(resource, reason.wanted)} (${node})`;
  return `NodePool limit on ${resource} would be exceeded: ${amount(resource, reason.usage)} in use + ${adds} > ${amount(resource, reason.limit)}`;
}

function renderNoInstanceType(reason: Extract<Reason, { code: "no_instance_type" }>): string {
  if (reason.minValues !== undefined) {
    const { key, wanted, available } = reason.minValues;
    return `the pool requires at least ${wanted} values of ${key} among the instance types that fit, but only ${available} remain`;
  }
  if (reason.considered === 0) return "no instance type is compatible with the pool's requirements";
  const closest = reason.closest[0];
  if (closest === undefined) return `none of ${reason.considered} instance types fits`;
  const shortOfCapacity = closest.reasons.find(
    (r) => r.code === "insufficient_resource" && r.requested > r.available,
  );
  if (shortOfCapacity?.code === "insufficient_resource") {
    const { resource, requested } = shortOfCapacity;
    // The closest type is the one with the most of the short resource: if it has none, none do.
    if (shortOfCapacity.capacity === 0) {
      return `no instance type of the pool has any ${resource} (requested ${amount(resource, requested)})`;
    }
    return `no instance type has ${amount(resource, requested)} ${resource} (the largest compatible, ${closest.instanceType}, has ${amount(resource, shortOfCapacity.available)} free after daemonsets)`;
  }
  return `none of ${reason.considered} instance types fits; closest ${closest.instanceType}: ${closest.reasons.map(renderReason).join(", ")}`;
}

const volumeMissingText = {
  claim: "the PersistentVolumeClaim does not exist",
  volume: "its PersistentVolume does not exist",
  storage_class: "its StorageClass does not exist",
  unbound: "it is not bound yet and its StorageClass binds Immediately",
} as const;

function sourceName(source: RequirementSource): string {
  return sourceNames[source];
}

const sourceNames: Record<RequirementSource, string> = {
  pod: "the pod",
  nodeSelector: "the pod's nodeSelector",
  nodeAffinity: "the pod's required node affinity",
  preferredNodeAffinity: "the pod's preferred node affinity",
  nodePool: "the NodePool",
  instanceType: "the instance type",
  volume: "a volume of the pod",
  topology: "a topology constraint of the pod",
};

function renderDomain(key: string, domain: string | undefined): string {
  return domain === undefined ? `the target's ${key} domain` : `${key}=${domain}`;
}

/** Cores and GiB as people read them; the objects themselves keep Kubernetes' exact quantities. */
function amount(resource: string, value: number): string {
  return formatAmount(resource, value);
}

function listOf(names: readonly string[]): string {
  return names.length <= 3
    ? names.join(", ")
    : `${names.slice(0, 3).join(", ")} and ${names.length - 3} more`;
}
