import type { Taint } from "../api/pod.ts";
import { Labels } from "../api/wellknown.ts";
import { addResources, type Resources } from "../resources/resource-list.ts";
import type { HostPort } from "../scheduling/host-ports.ts";
import type { Reason } from "../scheduling/reasons.ts";
import type { Requirements } from "../scheduling/requirements.ts";
import { fitsResources, resourceFit } from "../scheduling/resource-fit.ts";
import type { TopologyNode } from "../scheduling/topology-index.ts";
import type { PendingPod } from "./pending-pod.ts";
import { limitAmount, limitCapacity } from "./pool-limits.ts";
import { type CandidateType, offeringFilter, type PoolTemplate } from "./pool-template.ts";

/** A node the solver is planning: the pods on it so far and the instance types that still fit them. */
export interface NewClaim {
  readonly name: string;
  readonly pool: PoolTemplate;
  requirements: Requirements;
  /** Compatible instance types, cheapest allowed offering first. */
  options: readonly CandidateType[];
  /** Each option's cheapest allowed price: lower bounds for pricing the next change. */
  prices: readonly number[];
  /** Elementwise largest allocatable of the options, to turn away pods cheaply. */
  largest: Resources;
  readonly pods: PendingPod[];
  /** The pods' requests (daemonset overhead not included). */
  requests: Resources;
  readonly ports: HostPort[];
  /** How the topology rules see it: labels known so far, its own hostname, the pool's taints. */
  node: TopologyNode;
  /** Hourly price of its cheapest allowed offering. */
  price: number;
  /** Capacity of that cheapest option, counted against the pool's limits. */
  committed: Resources;
}

/** What a claim would become with one more pod, or why it cannot take it. */
export type ClaimChange =
  | {
      readonly ok: true;
      readonly requirements: Requirements;
      readonly options: readonly CandidateType[];
      /** Each option's cheapest allowed price, ascending. */
      readonly prices: readonly number[];
      readonly price: number;
    }
  | { readonly ok: false; readonly reasons: readonly Reason[] };

/**
 * The instance types of `candidates` that can hold `requests` plus the pool's daemonset overhead,
 * satisfy the requirements, have an offering the requirements allow, and fit within `limitRoom`,
 * sorted by their cheapest allowed offering; minValues is checked on the result.
 *
 * With `cheapestOnly`, only the cheapest such type is wanted (to price a change): candidates are
 * scanned in order of `bounds` — a lower bound of each one's price, ascending — and the scan stops
 * once no later candidate can be cheaper. Requirements only ever narrow, so the price a candidate
 * had before narrowing is such a bound.
 */
export function narrowOptions(
  candidates: readonly CandidateType[],
  bounds: readonly number[],
  pool: PoolTemplate,
  requirements: Requirements,
  podRequirements: Requirements,
  requests: Resources,
  limitRoom: Resources | undefined,
  cheapestOnly = false,
  ceiling = Number.POSITIVE_INFINITY,
): ClaimChange {
  const total = addResources(requests, pool.daemonOverhead);
  const allowed = offeringFilter(requirements);
  const early = cheapestOnly && !hasMinValues(requirements);
  const kept: { candidate: CandidateType; price: number }[] = [];
  // When only the cheapest option matters, nothing at or above the caller's ceiling does either.
  let best = early ? ceiling : Number.POSITIVE_INFINITY;
  // The cheapest type turned away by the limits alone: the node Karpenter would have launched.
  let limited: CandidateType | undefined;
  for (let i = 0; i < candidates.length; i++) {
    if (early && (bounds[i] ?? 0) >= best) break;
    const candidate = candidates[i] as CandidateType;
    if (!fitsResources(total, candidate.type.allocatable, {})) continue;
    if (
      podRequirements.size > 0 &&
      candidate.requirements.intersects(podRequirements, "instanceType").length > 0
    )
      continue;
    const offering = candidate.offerings.find(allowed);
    if (offering === undefined) continue;
    if (limitRoom !== undefined && !withinLimits(candidate.type.capacity, limitRoom)) {
      limited ??= candidate;
      continue;
    }
    kept.push({ candidate, price: offering.price });
    best = Math.min(best, offering.price);
  }
  if (kept.length === 0) {
    return {
      ok: false,
      reasons: limited && limitRoom ? [limitReason(limited, limitRoom, pool)] : [],
    };
  }
  kept.sort(
    (a, b) => a.price - b.price || (a.candidate.type.name < b.candidate.type.name ? -1 : 1),
  );
  const options = kept.map((k) => k.candidate);
  const short = early ? undefined : minValuesShortfall(options, requirements);
  if (short !== undefined) return { ok: false, reasons: [short] };
  return {
    ok: true,
    requirements,
    options,
    prices: kept.map((k) => k.price),
    price: kept[0]?.price ?? 0,
  };
}

/**
 * The options that still hold `requests` (plus the pool's daemonsets), when nothing else about
 * the claim changed: its requirements are the same, no minValues and no limits apply. The same
 * answer as narrowOptions in that case, without re-checking requirements and offerings.
 */
export function keepFitting(
  options: readonly CandidateType[],
  prices: readonly number[],
  pool: PoolTemplate,
  requirements: Requirements,
  requests: Resources,
): ClaimChange {
  const total = addResources(requests, pool.daemonOverhead);
  const kept: CandidateType[] = [];
  const keptPrices: number[] = [];
  options.forEach((option, i) => {
    if (!fitsResources(total, option.type.allocatable, {})) return;
    kept.push(option);
    keptPrices.push(prices[i] ?? 0);
  });
  if (kept.length === 0) return { ok: false, reasons: [] };
  return { ok: true, requirements, options: kept, prices: keptPrices, price: keptPrices[0] ?? 0 };
}

/**
 * The same change as keepFitting, done lazily while a claim is being filled: only the options
 * ahead of the cheapest one that still holds `requests` are dropped, so the first option is
 * exact (it prices the claim) and later ones may have been outgrown. `keepFitting` settles the
 * list once the claim is complete.
 */
export function dropOutgrown(
  options: readonly CandidateType[],
  prices: readonly number[],
  pool: PoolTemplate,
  requirements: Requirements,
  requests: Resources,
): ClaimChange {
  const total = addResources(requests, pool.daemonOverhead);
  let first = 0;
  while (
    first < options.length &&
    !fitsResources(total, options[first]?.type.allocatable ?? {}, {})
  )
    first++;
  if (first === options.length) return { ok: false, reasons: [] };
  if (first === 0) return { ok: true, requirements, options, prices, price: prices[0] ?? 0 };
  const kept = prices.slice(first);
  return {
    ok: true,
    requirements,
    options: options.slice(first),
    prices: kept,
    price: kept[0] ?? 0,
  };
}

const largestCache = new WeakMap<readonly CandidateType[], Resources>();

/** Elementwise maximum of the options' allocatable: a pod that does not fit it fits none. */
export function largestAllocatable(options: readonly CandidateType[]): Resources {
  let largest = largestCache.get(options);
  if (largest === undefined) {
    largest = computeLargest(options);
    largestCache.set(options, largest);
  }
  return largest;
}

function computeLargest(options: readonly CandidateType[]): Resources {
  const largest: Record<string, number> = {};
  for (const option of options) {
    for (const [resource, amount] of Object.entries(option.type.allocatable)) {
      if (amount > (largest[resource] ?? Number.NEGATIVE_INFINITY)) largest[resource] = amount;
    }
  }
  return largest;
}

export function hasMinValues(requirements: Requirements): boolean {
  for (const requirement of requirements.values())
    if (requirement.minValues !== undefined) return true;
  return false;
}

function withinLimits(capacity: Resources, room: Resources): boolean {
  for (const resource in room) {
    if (limitAmount(capacity, resource) > (room[resource] ?? 0)) return false;
  }
  return true;
}

/**
 * Why the pool's limits turn the pod away, spoken of the node that would have been launched:
 * Karpenter counts a new node's full capacity against the limits (and one `nodes`), so `wanted`
 * is that node's amount of the first resource it would take over the limit, not the pod's request.
 */
function limitReason(limited: CandidateType, room: Resources, pool: PoolTemplate): Reason {
  const capacity = limitCapacity(limited.type.capacity);
  const limits = pool.limits ?? {};
  const resource =
    Object.keys(room).find((r) => (capacity[r] ?? 0) > (room[r] ?? 0)) ??
    Object.keys(limits)[0] ??
    "cpu";
  const limit = limits[resource] ?? 0;
  return {
    code: "pool_limit",
    resource,
    limit,
    usage: limit - (room[resource] ?? 0),
    wanted: capacity[resource] ?? 0,
    instanceType: limited.type.name,
  };
}

/**
 * Karpenter's minValues: a requirement with minValues needs that many distinct values of its key
 * among the instance types still in play (so the launch keeps that much flexibility).
 */
function minValuesShortfall(
  options: readonly CandidateType[],
  requirements: Requirements,
): Reason | undefined {
  for (const requirement of requirements.values()) {
    if (requirement.minValues === undefined) continue;
    const values = new Set(
      options.map((o) => o.type.labels[requirement.key]).filter((v) => v !== undefined),
    );
    if (values.size < requirement.minValues) {
      return {
        code: "no_instance_type",
        considered: options.length,
        closest: [],
        minValues: { key: requirement.key, wanted: requirement.minValues, available: values.size },
      };
    }
  }
  return undefined;
}

/** Why no instance type of the pool can hold the pod: the closest type and what it lacks. */
export function noInstanceTypeReason(
  pool: PoolTemplate,
  podRequirements: Requirements,
  requests: Resources,
): Reason {
  const compatible = pool.instanceTypes.filter(
    (candidate) => candidate.requirements.intersects(podRequirements, "instanceType").length === 0,
  );
  if (compatible.length === 0) {
    const first = pool.instanceTypes[0];
    return {
      code: "no_instance_type",
      considered: pool.instanceTypes.length,
      closest: first
        ? [
            {
              instanceType: first.type.name,
              reasons: first.requirements.intersects(podRequirements, "instanceType"),
            },
          ]
        : [],
    };
  }
  // The type short of the fewest resources, then the one with the most of the first short one;
  // measured against what the daemonsets leave, so the reason speaks of the pod's own request.
  const ranked = compatible
    .map((candidate) => ({
      candidate,
      reasons: resourceFit(requests, candidate.type.allocatable, pool.daemonOverhead),
    }))
    .sort(
      (a, b) =>
        a.reasons.length - b.reasons.length || shortfallSize(b.reasons) - shortfallSize(a.reasons),
    );
  const best = ranked[0];
  return {
    code: "no_instance_type",
    considered: pool.instanceTypes.length,
    closest: best ? [{ instanceType: best.candidate.type.name, reasons: best.reasons }] : [],
  };
}

function shortfallSize(reasons: readonly Reason[]): number {
  const first = reasons[0];
  return first?.code === "insufficient_resource" ? first.capacity : 0;
}

/** The claim's node as topology sees it, from its requirements' single values and pool labels. */
export function claimNode(
  name: string,
  pool: PoolTemplate,
  requirements: Requirements,
): TopologyNode {
  const taints: Taint[] = [...pool.taints];
  return {
    name,
    labels: { ...pool.labels, ...requirements.labels(), [Labels.hostname]: name },
    taints,
  };
}
