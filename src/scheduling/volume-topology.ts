import type { NodeSelectorRequirement, Pod } from "../api/pod.ts";
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from "../api/storage.ts";
import { Labels } from "../api/wellknown.ts";
import { labelsSatisfy } from "./node-affinity.ts";
import type { Reason } from "./reasons.ts";

export interface VolumeCatalog {
  /** By `namespace/name`. */
  readonly claims: ReadonlyMap<string, PersistentVolumeClaim>;
  readonly volumes: ReadonlyMap<string, PersistentVolume>;
  readonly storageClasses: ReadonlyMap<string, StorageClass>;
}

/** Where one volume of a pod can be used: any of `terms` (each a list of ANDed requirements). */
export interface VolumeTopology {
  readonly volume: string;
  readonly claim: string;
  readonly terms: readonly (readonly NodeSelectorRequirement[])[];
}

export type VolumeTopologyResult =
  | { readonly ok: true; readonly topologies: readonly VolumeTopology[] }
  | { readonly ok: false; readonly reasons: readonly Reason[] };

const legacyZoneKeys = [Labels.zone, Labels.zoneBeta, Labels.region, Labels.regionBeta];

/**
 * The node requirements a pod's volumes impose (VolumeBinding and VolumeZone plugins):
 * - a bound claim's PersistentVolume: its spec.nodeAffinity.required terms, and its zone/region
 *   labels (values may be several zones joined by "__");
 * - an unbound claim whose StorageClass binds WaitForFirstConsumer: the class's allowedTopologies;
 * - an unbound claim with Immediate binding cannot be scheduled until it is bound.
 * Ephemeral volumes are claims named `<pod>-<volume>`, created with the pod.
 */
export function volumeTopology(pod: Pod, catalog: VolumeCatalog): VolumeTopologyResult {
  const namespace = pod.metadata.namespace ?? "default";
  const topologies: VolumeTopology[] = [];
  const reasons: Reason[] = [];
  for (const volume of pod.spec.volumes ?? []) {
    if (volume.ephemeral?.volumeClaimTemplate) {
      const className = volume.ephemeral.volumeClaimTemplate.spec.storageClassName;
      const claim = `${pod.metadata.name ?? ""}-${volume.name}`;
      const terms = classTopology(className, catalog, claim, reasons);
      if (terms) topologies.push({ volume: volume.name, claim, terms });
      continue;
    }
    const claimName = volume.persistentVolumeClaim?.claimName;
    if (claimName === undefined) continue;
    const claim = catalog.claims.get(`${namespace}/${claimName}`);
    if (claim === undefined) {
      reasons.push({ code: "volume_missing", claim: claimName, detail: "claim" });
      continue;
    }
    const terms = claim.spec.volumeName
      ? boundTopology(claim.spec.volumeName, catalog, claimName, reasons)
      : classTopology(claim.spec.storageClassName, catalog, claimName, reasons);
    if (terms) topologies.push({ volume: volume.name, claim: claimName, terms });
  }
  return reasons.length === 0 ? { ok: true, topologies } : { ok: false, reasons };
}

/** Which volumes a node with these labels cannot serve. */
export function volumeTopologyReasons(
  topologies: readonly VolumeTopology[],
  labels: Readonly<Record<string, string>>,
): Reason[] {
  return topologies
    .filter(
      (topology) =>
        topology.terms.length > 0 && !topology.terms.some((term) => labelsSatisfy(labels, term)),
    )
    .map((topology) => ({
      code: "volume_topology_conflict",
      volume: topology.volume,
      claim: topology.claim,
      wanted: topology.terms[0] ?? [],
    }));
}

function boundTopology(
  volumeName: string,
  catalog: VolumeCatalog,
  claim: string,
  reasons: Reason[],
): NodeSelectorRequirement[][] | undefined {
  const volume = catalog.volumes.get(volumeName);
  if (volume === undefined) {
    reasons.push({ code: "volume_missing", claim, detail: "volume" });
    return undefined;
  }
  const zoneRequirements = legacyZoneKeys.flatMap((key): NodeSelectorRequirement[] => {
    const value = volume.metadata.labels?.[key];
    return value === undefined ? [] : [{ key, operator: "In", values: value.split("__") }];
  });
  const affinityTerms = (volume.spec.nodeAffinity?.required?.nodeSelectorTerms ?? []).map(
    (term) => term.matchExpressions ?? [],
  );
  if (affinityTerms.length === 0) return zoneRequirements.length > 0 ? [zoneRequirements] : [];
  return affinityTerms.map((term) => [...term, ...zoneRequirements]);
}

function classTopology(
  className: string | undefined,
  catalog: VolumeCatalog,
  claim: string,
  reasons: Reason[],
): NodeSelectorRequirement[][] | undefined {
  if (className === undefined || className === "") return [];
  const storageClass = catalog.storageClasses.get(className);
  if (storageClass === undefined) {
    reasons.push({ code: "volume_missing", claim, detail: "storage_class" });
    return undefined;
  }
  if ((storageClass.volumeBindingMode ?? "Immediate") === "Immediate") {
    // The volume is provisioned wherever the provisioner likes before the pod is scheduled.
    reasons.push({ code: "volume_missing", claim, detail: "unbound" });
    return undefined;
  }
  return (storageClass.allowedTopologies ?? []).map((topology) =>
    (topology.matchLabelExpressions ?? []).map(
      (expression): NodeSelectorRequirement => ({
        key: expression.key,
        operator: "In",
        values: expression.values,
      }),
    ),
  );
}
