import type { NodePool } from "../api/nodepool.ts";
import type { Pod, Taint } from "../api/pod.ts";
import { Labels } from "../api/wellknown.ts";
import { declaredLabelKeys, wellKnownLabelKeys } from "../catalog/catalog-label-keys.ts";
import {
  type InstanceType,
  type Offering,
  OfferingLabelKeys,
  withExtras,
} from "../catalog/instance-type.ts";
import type { NodeExtrasOf } from "../catalog/node-class-extras.ts";
import { type NodeExtras, NoExtras } from "../catalog/node-cost.ts";
import { addResources, parseResources, type Resources } from "../resources/resource-list.ts";
import { podRequirements } from "../scheduling/node-affinity.ts";
import { podRequests } from "../scheduling/pod-requests.ts";
import type { Reason } from "../scheduling/reasons.ts";
import { Requirements } from "../scheduling/requirements.ts";
import { untoleratedTaints } from "../scheduling/taints.ts";
import { staticReplicas } from "./static-pool.ts";

/** An instance type as one pool may launch it: its requirements and the offerings the pool allows. */
export interface CandidateType {
  readonly type: InstanceType;
  /** Its labels as `In` requirements, plus the zones and capacity types it is offered in. */
  readonly requirements: Requirements;
  /**
   * Available offerings the pool's requirements allow, cheapest first, priced as the pool's nodes
   * cost: the instance plus its node class's extras (volumes, public IPv4).
   */
  readonly offerings: readonly Offering[];
}

/** A NodePool prepared once per solve. */
export interface PoolTemplate {
  readonly name: string;
  readonly weight: number;
  readonly nodePool: NodePool;
  /** The pool's requirements ∩ its template labels ∩ karpenter.sh/nodepool. */
  readonly requirements: Requirements;
  /** Keys a pod may select though the pool leaves them undefined: well-known and the catalog's. */
  readonly wellKnownKeys: ReadonlySet<string>;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly startupTaints: readonly Taint[];
  /** Compatible instance types with at least one allowed offering, cheapest offering first. */
  readonly instanceTypes: readonly CandidateType[];
  /** Each one's cheapest allowed price (ascending): lower bounds for any claim of the pool. */
  readonly cheapestPrices: readonly number[];
  /** Requests of the DaemonSet pods that would run on this pool's nodes. */
  readonly daemonOverhead: Resources;
  /** What each of its nodes costs besides the instance, already in its candidates' prices. */
  readonly extras: NodeExtras;
  readonly limits: Resources | undefined;
  /**
   * Why no new claim is opened on the pool — a static pool, or one not Ready — though its nodes
   * still take pods as any node does. Undefined for a pool the solver may launch from.
   */
  readonly closed: Reason | undefined;
}

/**
 * Pools in the order Karpenter tries them: weight, highest first; equal weights by name, later
 * in the alphabet first.
 */
export function poolTemplates(
  nodePools: readonly NodePool[],
  instanceTypes: readonly InstanceType[],
  daemonPods: readonly Pod[],
  extrasOf: NodeExtrasOf = () => NoExtras,
  notReady: ReadonlyMap<string, Reason> = new Map(),
  /** The types a pool sees: the catalog's, or as NodeOverlays changed them (catalog/overlay.ts). */
  typesOf: (nodePool: NodePool) => readonly InstanceType[] = () => instanceTypes,
): PoolTemplate[] {
  return nodePools
    .map((nodePool) =>
      poolTemplate(
        notReady,
        nodePool,
        typesOf(nodePool),
        daemonPods,
        extrasOf(nodePool.spec.template.spec.nodeClassRef),
        declaredLabelKeys(instanceTypes),
        wellKnownLabelKeys(instanceTypes),
      ),
    )
    .sort((a, b) => b.weight - a.weight || (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
}

function poolTemplate(
  notReady: ReadonlyMap<string, Reason>,
  nodePool: NodePool,
  instanceTypes: readonly InstanceType[],
  daemonPods: readonly Pod[],
  extras: NodeExtras,
  declaredKeys: ReadonlySet<string>,
  wellKnownKeys: ReadonlySet<string>,
): PoolTemplate {
  const name = nodePool.metadata.name ?? "";
  const spec = nodePool.spec.template.spec;
  const labels = { ...(nodePool.spec.template.metadata?.labels ?? {}), [Labels.nodePool]: name };
  const requirements = Requirements.from(spec.requirements)
    .intersect(Requirements.fromLabels(labels))
    .intersect(nodeClassScope(spec.nodeClassRef));
  const taints = spec.taints ?? [];
  const limits = parseResources(nodePool.spec.limits);
  const candidates = cachedCandidates(
    scopedTypes(instanceTypes, spec.nodeClassRef),
    nodePool,
    requirements,
    extras,
    declaredKeys,
  );
  return {
    name,
    weight: nodePool.spec.weight ?? 0,
    nodePool,
    requirements,
    wellKnownKeys,
    labels,
    taints,
    startupTaints: spec.startupTaints ?? [],
    instanceTypes: candidates,
    cheapestPrices: candidates.map((candidate) => candidate.offerings[0]?.price ?? 0),
    daemonOverhead: daemonOverhead(daemonPods, taints, requirements, wellKnownKeys),
    extras,
    limits: nodePool.spec.limits && limits.ok ? limits.resources : undefined,
    closed: closedBecause(nodePool, notReady.get(name)),
  };
}

/** Karpenter's provisioner skips static pools (their controller launches) and pools not Ready. */
function closedBecause(nodePool: NodePool, notReady: Reason | undefined): Reason | undefined {
  const replicas = staticReplicas(nodePool);
  if (replicas !== undefined) return { code: "static_pool", replicas };
  return notReady;
}

/**
 * The candidates of a pool depend only on the catalog, the NodePool and its node class's extras;
 * disruption solves the same cluster many times over, so they are kept per (catalog, NodePool)
 * object while the extras stay the same.
 */
const candidateCache = new WeakMap<
  readonly InstanceType[],
  WeakMap<NodePool, { extras: NodeExtras; candidates: CandidateType[] }>
>();

function cachedCandidates(
  instanceTypes: readonly InstanceType[],
  nodePool: NodePool,
  requirements: Requirements,
  extras: NodeExtras,
  declaredKeys: ReadonlySet<string>,
): CandidateType[] {
  let byPool = candidateCache.get(instanceTypes);
  if (byPool === undefined) {
    byPool = new WeakMap();
    candidateCache.set(instanceTypes, byPool);
  }
  const cached = byPool.get(nodePool);
  if (cached !== undefined && sameExtras(cached.extras, extras)) return cached.candidates;
  const candidates = candidateTypes(instanceTypes, requirements, extras, declaredKeys);
  byPool.set(nodePool, { extras, candidates });
  return candidates;
}

function sameExtras(a: NodeExtras, b: NodeExtras): boolean {
  return a.volumes === b.volumes && a.publicIPv4 === b.publicIPv4;
}

/** Karpenter filters instance types by Intersects with the pool (keys both define must overlap). */
function candidateTypes(
  instanceTypes: readonly InstanceType[],
  pool: Requirements,
  extras: NodeExtras,
  declaredKeys: ReadonlySet<string>,
): CandidateType[] {
  const candidates: CandidateType[] = [];
  for (const type of instanceTypes) {
    const offerings = type.offerings
      .filter((offering) => offering.available && offeringAllowed(offering, pool))
      .map((offering) => withExtras(offering, extras));
    if (offerings.length === 0) continue;
    const requirements = typeRequirements(type, declaredKeys);
    if (pool.intersects(requirements, "instanceType").length > 0) continue;
    candidates.push({ type, requirements, offerings });
  }
  return candidates.sort(
    (a, b) =>
      (a.offerings[0]?.price ?? 0) - (b.offerings[0]?.price ?? 0) ||
      (a.type.name < b.type.name ? -1 : 1),
  );
}

const typeRequirementsCache = new WeakMap<
  InstanceType,
  { declaredKeys: ReadonlySet<string>; requirements: Requirements }
>();
const noKeys: ReadonlySet<string> = new Set();

/**
 * The requirements a type meets: its labels, the zones and capacity types it is offered in, and
 * DoesNotExist for each key its catalog declares (`declaredKeys`) that it lacks, as Karpenter's
 * providers give their types every well-known label they register (a type without a GPU is
 * `instance-gpu-name DoesNotExist`). Cached per type.
 */
export function typeRequirements(
  type: InstanceType,
  declaredKeys: ReadonlySet<string> = noKeys,
): Requirements {
  const cached = typeRequirementsCache.get(type);
  if (cached !== undefined && cached.declaredKeys === declaredKeys) return cached.requirements;
  const requirements = computeTypeRequirements(type, declaredKeys);
  typeRequirementsCache.set(type, { declaredKeys, requirements });
  return requirements;
}

function computeTypeRequirements(
  type: InstanceType,
  declaredKeys: ReadonlySet<string>,
): Requirements {
  const zones = [...new Set(type.offerings.map((offering) => offering.zone))];
  const capacityTypes = [...new Set(type.offerings.map((offering) => offering.capacityType))];
  // Karpenter's union rule: a key some offering carries is on the type with every offering's value.
  const offeringKeys = OfferingLabelKeys.flatMap((key) => {
    const values = [
      ...new Set(
        type.offerings.flatMap((o) => (o.labels?.[key] === undefined ? [] : [o.labels[key]])),
      ),
    ];
    return values.length === 0 ? [] : [{ key, operator: "In" as const, values }];
  });
  const absent = [...declaredKeys]
    .filter((key) => !(key in type.labels))
    .map((key) => ({ key, operator: "DoesNotExist" as const }));
  return Requirements.fromLabels(type.labels).intersect(
    Requirements.from([
      { key: Labels.zone, operator: "In", values: zones },
      { key: Labels.capacityType, operator: "In", values: capacityTypes },
      ...offeringKeys,
      ...absent,
    ]),
  );
}

/**
 * Is the offering allowed by the requirements: its zone, capacity type and labels of its own? An
 * offering without one of the offering label keys allows only requirements that allow its absence
 * (NotIn, DoesNotExist), as Karpenter's offerings declare DoesNotExist.
 */
export function offeringAllowed(offering: Offering, requirements: Requirements): boolean {
  return offeringFilter(requirements)(offering);
}

/**
 * offeringAllowed for many offerings against one set of requirements: the lookups are done once,
 * and the offering-label keys the requirements do not name cost nothing per offering.
 */
export function offeringFilter(requirements: Requirements): (offering: Offering) => boolean {
  const zone = requirements.get(Labels.zone);
  const capacityType = requirements.get(Labels.capacityType);
  const own = OfferingLabelKeys.flatMap((key) => {
    const requirement = requirements.get(key);
    return requirement === undefined ? [] : [{ key, requirement }];
  });
  return (offering) => {
    if (zone !== undefined && !zone.has(offering.zone)) return false;
    if (capacityType !== undefined && !capacityType.has(offering.capacityType)) return false;
    for (const { key, requirement } of own) {
      const value = offering.labels?.[key];
      if (value === undefined) {
        if (requirement.operator !== "NotIn" && requirement.operator !== "DoesNotExist")
          return false;
      } else if (!requirement.has(value)) return false;
    }
    return true;
  };
}

/**
 * Karpenter's daemonset overhead: a DaemonSet counts against a pool's nodes when its pod tolerates
 * the pool's taints and its node requirements are compatible with the pool's.
 */
function daemonOverhead(
  daemonPods: readonly Pod[],
  taints: readonly Taint[],
  pool: Requirements,
  wellKnownKeys: ReadonlySet<string>,
): Resources {
  let overhead: Resources = {};
  for (const pod of daemonPods) {
    if (
      untoleratedTaints(taints, pod.spec.tolerations, { preferNoScheduleBlocks: false }).length > 0
    )
      continue;
    if (!pool.isCompatible(podRequirements(pod), wellKnownKeys)) continue;
    const requests = podRequests(pod);
    if (requests.ok) overhead = addResources(overhead, requests.requests);
  }
  return overhead;
}

/**
 * Instance types that belong to one node class — a site's machines, labelled with their
 * StaticNodeClass — are offered only to the pools of that class, as Karpenter asks its cloud
 * provider for each NodePool's own instance types. Types without the label are every pool's.
 */
function nodeClassScope(ref: NodePool["spec"]["template"]["spec"]["nodeClassRef"]): Requirements {
  return ref.group === "carpool.dev" && ref.kind === "StaticNodeClass"
    ? Requirements.fromLabels({ [Labels.nodeClassStatic]: ref.name })
    : Requirements.from([{ key: Labels.nodeClassStatic, operator: "DoesNotExist" }]);
}

/** A site's own pools are offered only that site's machines: types without the class's label are not. */
const scopedCache = new WeakMap<readonly InstanceType[], Map<string, readonly InstanceType[]>>();
function scopedTypes(
  instanceTypes: readonly InstanceType[],
  ref: NodePool["spec"]["template"]["spec"]["nodeClassRef"],
): readonly InstanceType[] {
  if (!(ref.group === "carpool.dev" && ref.kind === "StaticNodeClass")) return instanceTypes;
  let byClass = scopedCache.get(instanceTypes);
  if (byClass === undefined) {
    byClass = new Map();
    scopedCache.set(instanceTypes, byClass);
  }
  let scoped = byClass.get(ref.name);
  if (scoped === undefined) {
    scoped = instanceTypes.filter((t) => t.labels[Labels.nodeClassStatic] === ref.name);
    byClass.set(ref.name, scoped);
  }
  return scoped;
}
