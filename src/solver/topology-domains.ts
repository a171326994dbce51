import type { Pod } from "../api/pod.ts";
import { Labels } from "../api/wellknown.ts";
import { OfferingLabelKeys, offeringLabel } from "../catalog/instance-type.ts";
import type { Requirements } from "../scheduling/requirements.ts";
import { type CandidateType, offeringAllowed } from "./pool-template.ts";

/**
 * The topology keys, hostname aside, that some pod's affinity, anti-affinity or spread constraint
 * uses (required or preferred): a new claim fixes a value for each, so pods on it are counted in
 * exactly one domain, as kube-scheduler will count them once the node exists.
 */
export function topologyKeys(pods: readonly Pod[]): string[] {
  const keys = new Set<string>();
  for (const pod of pods) {
    const affinity = pod.spec.affinity;
    for (const group of [affinity?.podAffinity, affinity?.podAntiAffinity]) {
      for (const term of group?.requiredDuringSchedulingIgnoredDuringExecution ?? [])
        keys.add(term.topologyKey);
      for (const term of group?.preferredDuringSchedulingIgnoredDuringExecution ?? [])
        keys.add(term.podAffinityTerm.topologyKey);
    }
    for (const constraint of pod.spec.topologySpreadConstraints ?? [])
      keys.add(constraint.topologyKey);
  }
  keys.delete(Labels.hostname);
  return [...keys].sort();
}

/**
 * Whether a node launched for a pod of these requirements can be one it accepts by hostname: the
 * cloud names a new node, so a pod that names its hosts (In, DoesNotExist) never gets a new one.
 */
export function hostnameOpen(requirements: Requirements): boolean {
  const hostname = requirements.get(Labels.hostname);
  return hostname === undefined || hostname.complement;
}

/**
 * Values a new node could take for `key`, cheapest first: zones and capacity types ordered by the
 * cheapest allowed offering of the candidate types, then by name; other keys from the candidates'
 * labels or the requirement's values, by name.
 */
const candidatesCache = new WeakMap<readonly CandidateType[], Map<string, string[]>>();

export function zoneCandidates(
  key: string,
  candidates: readonly CandidateType[],
  requirements: Requirements,
): string[] {
  // Fresh claims of one shape share their options: the answer is kept per options list.
  let byKey = candidatesCache.get(candidates);
  if (byKey === undefined) {
    byKey = new Map();
    candidatesCache.set(candidates, byKey);
  }
  const cacheKey = `${key}|${requirements}`;
  let values = byKey.get(cacheKey);
  if (values === undefined) {
    values = computeCandidates(key, candidates, requirements);
    byKey.set(cacheKey, values);
  }
  return values;
}

function computeCandidates(
  key: string,
  candidates: readonly CandidateType[],
  requirements: Requirements,
): string[] {
  const requirement = requirements.get(key);
  if (key === Labels.zone || key === Labels.capacityType || OfferingLabelKeys.includes(key)) {
    const cheapest = new Map<string, number>();
    for (const candidate of candidates) {
      for (const offering of candidate.offerings) {
        const value = offeringLabel(offering, key);
        if (value === undefined || !offeringAllowed(offering, requirements)) continue;
        const price = cheapest.get(value);
        if (price === undefined || offering.price < price) cheapest.set(value, offering.price);
      }
    }
    return [...cheapest.entries()]
      .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
      .map(([value]) => value);
  }
  const values = new Set<string>();
  for (const candidate of candidates) {
    const value = candidate.type.labels[key];
    if (value !== undefined && (requirement === undefined || requirement.has(value)))
      values.add(value);
  }
  if (requirement !== undefined && !requirement.complement)
    for (const value of requirement.values) values.add(value);
  return [...values].sort();
}
