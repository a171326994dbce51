import type { FieldError } from "../api/field-errors.ts";
import type { NodeOverlay } from "../api/nodeoverlay.ts";
import { nodeOverlayErrors } from "../api/nodeoverlay-rules.ts";
import type { NodePool } from "../api/nodepool.ts";
import { Labels } from "../api/wellknown.ts";
import { Requirements } from "../scheduling/requirements.ts";
import type { Catalog, InstanceType } from "./instance-type.ts";
import { overlaidType, type TypeUpdate } from "./overlay-apply.ts";

/**
 * NodeOverlays evaluated as Karpenter's nodeoverlay controller does (kubernetes-sigs/karpenter
 * pkg/controllers/nodeoverlay/controller.go and store.go), as a pure function: overlays in
 * precedence order (weight, highest first; equal weights by name, later in the alphabet first),
 * each matched per NodePool and instance type, and applied whole or not at all. Per offering the
 * first price change wins; per resource the first capacity wins. An overlay that would change a
 * price or a resource some overlay of the same weight already changed conflicts and is left out.
 */

export type OverlayOutcome =
  | { readonly kind: "applied" }
  | { readonly kind: "invalid"; readonly errors: readonly FieldError[] }
  | { readonly kind: "conflict" };

export interface OverlayVerdict {
  readonly name: string;
  readonly outcome: OverlayOutcome;
}

export interface OverlayEvaluation {
  /** Instance types as each NodePool's decisions see them; a pool absent here sees the catalog's. */
  readonly byPool: ReadonlyMap<string, readonly InstanceType[]>;
  /** One per overlay, in precedence order. */
  readonly verdicts: readonly OverlayVerdict[];
}

/** Karpenter's NodeOverlayList.OrderByWeight: an absent weight is 0. */
export function orderByWeight(overlays: readonly NodeOverlay[]): NodeOverlay[] {
  return [...overlays].sort((a, b) => {
    const weight = (b.spec.weight ?? 0) - (a.spec.weight ?? 0);
    if (weight !== 0) return weight;
    const [na, nb] = [a.metadata.name ?? "", b.metadata.name ?? ""];
    return na < nb ? 1 : na > nb ? -1 : 0;
  });
}

interface Match {
  readonly pool: string;
  readonly type: InstanceType;
  /** Keys (zone/capacity type) of the offerings the overlay selects. */
  readonly offerings: readonly string[];
}

export function evaluateNodeOverlays(
  overlays: readonly NodeOverlay[],
  nodePools: readonly NodePool[],
  instanceTypes: readonly InstanceType[],
): OverlayEvaluation {
  const store = new Map<string, Map<string, TypeUpdate>>();
  const verdicts: OverlayVerdict[] = [];
  for (const overlay of orderByWeight(overlays)) {
    const name = overlay.metadata.name ?? "";
    const errors = nodeOverlayErrors(overlay);
    if (errors.length > 0) {
      verdicts.push({ name, outcome: { kind: "invalid", errors } });
      continue;
    }
    const matches = matchesOf(overlay, nodePools, instanceTypes);
    // Checked for every pool before anything is stored, so an overlay never half applies.
    if (matches.some((match) => conflicts(store, match, overlay))) {
      verdicts.push({ name, outcome: { kind: "conflict" } });
      continue;
    }
    for (const match of matches) record(store, match, overlay);
    verdicts.push({ name, outcome: { kind: "applied" } });
  }
  const byPool = new Map<string, readonly InstanceType[]>();
  for (const [pool, updates] of store) {
    byPool.set(
      pool,
      instanceTypes.map((type) => {
        const update = updates.get(type.name);
        return update === undefined ? type : overlaidType(type, update);
      }),
    );
  }
  return { byPool, verdicts };
}

/**
 * Karpenter's getOverlaidOfferings: the overlay must be compatible with what a node of the pool and
 * type would carry (karpenter.sh/nodepool, the pool's template labels, the type's labels, zones and
 * capacity types; a label it requires that the node lacks is no match), and then selects the
 * offerings whose zone and capacity type it allows.
 */
function matchesOf(
  overlay: NodeOverlay,
  nodePools: readonly NodePool[],
  instanceTypes: readonly InstanceType[],
): Match[] {
  const wanted = Requirements.from(overlay.spec.requirements);
  const matches: Match[] = [];
  for (const nodePool of nodePools) {
    const pool = nodePool.metadata.name ?? "";
    const poolRequirements = Requirements.fromLabels({
      ...(nodePool.spec.template.metadata?.labels ?? {}),
      [Labels.nodePool]: pool,
    });
    for (const type of instanceTypes) {
      const node = poolRequirements.intersect(typeRequirements(type));
      if (!node.isCompatible(wanted, noKeys)) continue;
      const zone = wanted.get(Labels.zone);
      const capacityType = wanted.get(Labels.capacityType);
      const offerings = type.offerings
        .filter(
          (o) =>
            (zone === undefined || zone.has(o.zone)) &&
            (capacityType === undefined || capacityType.has(o.capacityType)),
        )
        .map(offeringKey);
      if (offerings.length > 0) matches.push({ pool, type, offerings });
    }
  }
  return matches;
}

const noKeys: ReadonlySet<string> = new Set();

function typeRequirements(type: InstanceType): Requirements {
  return Requirements.fromLabels(type.labels).intersect(
    Requirements.from([
      { key: Labels.zone, operator: "In", values: [...new Set(type.offerings.map((o) => o.zone))] },
      {
        key: Labels.capacityType,
        operator: "In",
        values: [...new Set(type.offerings.map((o) => o.capacityType))],
      },
    ]),
  );
}

export function offeringKey(offering: { zone: string; capacityType: string }): string {
  return `${offering.zone}/${offering.capacityType}`;
}

function priceChange(overlay: NodeOverlay): string | undefined {
  return overlay.spec.price ?? overlay.spec.priceAdjustment;
}

/** Karpenter's isOfferingUpdateConflicting and isCapacityUpdateConflicting. */
function conflicts(
  store: ReadonlyMap<string, ReadonlyMap<string, TypeUpdate>>,
  match: Match,
  overlay: NodeOverlay,
): boolean {
  const update = store.get(match.pool)?.get(match.type.name);
  if (update === undefined) return false;
  const weight = overlay.spec.weight ?? 0;
  if (
    priceChange(overlay) !== undefined &&
    match.offerings.some((key) => update.prices.get(key)?.lowestWeight === weight)
  )
    return true;
  const capacity = overlay.spec.capacity;
  if (capacity === undefined || update.capacityLowestWeight !== weight) return false;
  return Object.keys(capacity).some((resource) => update.capacityLowestWeightKeys.has(resource));
}

/** Karpenter's updateInstanceTypeOffering and updateInstanceTypeCapacity. */
function record(store: Map<string, Map<string, TypeUpdate>>, match: Match, overlay: NodeOverlay) {
  const change = priceChange(overlay);
  const capacity = overlay.spec.capacity;
  if (change === undefined && capacity === undefined) return;
  const weight = overlay.spec.weight ?? 0;
  let updates = store.get(match.pool);
  if (updates === undefined) {
    updates = new Map();
    store.set(match.pool, updates);
  }
  let update = updates.get(match.type.name);
  if (update === undefined) {
    update = {
      prices: new Map(),
      capacity: {},
      capacityLowestWeight: 0,
      capacityLowestWeightKeys: new Set(),
    };
    updates.set(match.type.name, update);
  }
  if (change !== undefined) {
    for (const key of match.offerings) {
      const earlier = update.prices.get(key);
      // A heavier overlay set this offering's price already: it stays; only the weight moves down.
      if (earlier !== undefined) earlier.lowestWeight = weight;
      else update.prices.set(key, { change, lowestWeight: weight });
    }
  }
  if (capacity !== undefined) {
    for (const [resource, quantity] of Object.entries(capacity))
      if (!(resource in update.capacity)) update.capacity[resource] = quantity;
    update.capacityLowestWeight = weight;
    update.capacityLowestWeightKeys = new Set(Object.keys(capacity));
  }
}

/** The catalog with NodeOverlays applied, and what became of each overlay. */
export function withNodeOverlays(
  catalog: Catalog,
  nodePools: readonly NodePool[],
  overlays: readonly NodeOverlay[],
): { readonly catalog: Catalog; readonly verdicts: readonly OverlayVerdict[] } {
  if (overlays.length === 0) return { catalog, verdicts: [] };
  const evaluation = evaluateNodeOverlays(overlays, nodePools, catalog.instanceTypes);
  return { catalog: { ...catalog, byPool: evaluation.byPool }, verdicts: evaluation.verdicts };
}

/** The instance types a NodePool's decisions see: the catalog's, or as overlays changed them. */
export function poolInstanceTypes(catalog: Catalog, pool: string): readonly InstanceType[] {
  return catalog.byPool?.get(pool) ?? catalog.instanceTypes;
}
