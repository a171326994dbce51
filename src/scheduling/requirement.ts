import type { NodeSelectorOperator, NodeSelectorRequirement } from "../api/pod.ts";

/**
 * The operators of a NodePool's or NodeClaim's requirements: core/v1's, plus Karpenter's inclusive
 * Gte and Lte (v1.9.0, kubernetes-sigs/karpenter#2674). A pod's node affinity has no Gte/Lte.
 */
export type RequirementOperator = NodeSelectorOperator | "Gte" | "Lte";

/** A node-selector requirement as Karpenter writes them: any operator of its, and minValues. */
export type NodeRequirement = Omit<NodeSelectorRequirement, "operator"> & {
  readonly operator: RequirementOperator;
  readonly minValues?: number;
};

/** Go's int on the 64-bit platforms Karpenter runs on: strconv.Atoi's range. */
const maxInt = 2n ** 63n - 1n;
const minInt = -(2n ** 63n);

/**
 * The values one label key may take, as Karpenter's scheduling.Requirement models them
 * (pkg/scheduling/requirement.go): a finite set (In; DoesNotExist is the empty one) or the
 * complement of a finite set (NotIn; Exists is the complement of nothing), narrowed by inclusive
 * integer bounds. Gt N is kept as Gte N+1 and Lt N as Lte N-1, as Karpenter canonicalises them,
 * so bounds from either kind of operator combine by max/min alone. Immutable.
 */
export class Requirement {
  readonly key: string;
  readonly complement: boolean;
  readonly values: ReadonlySet<string>;
  /** Inclusive lower bound; only on a complement (a finite set is filtered instead). */
  readonly gte: bigint | undefined;
  /** Inclusive upper bound; only on a complement. */
  readonly lte: bigint | undefined;
  readonly minValues: number | undefined;

  constructor(
    key: string,
    complement: boolean,
    values: ReadonlySet<string>,
    bounds: {
      gte?: bigint | undefined;
      lte?: bigint | undefined;
      minValues?: number | undefined;
    } = {},
  ) {
    this.key = key;
    this.complement = complement;
    this.values = values;
    this.gte = bounds.gte;
    this.lte = bounds.lte;
    this.minValues = bounds.minValues;
  }

  static from(requirement: NodeRequirement): Requirement {
    const { key, operator, minValues } = requirement;
    const values = new Set(requirement.values ?? []);
    switch (operator) {
      case "In":
        return new Requirement(key, false, values, { minValues });
      case "NotIn":
        return new Requirement(key, true, values, { minValues });
      case "Exists":
        return new Requirement(key, true, new Set(), { minValues });
      case "DoesNotExist":
        return new Requirement(key, false, new Set(), { minValues });
      case "Gt":
      case "Gte": {
        const bound = boundOf(requirement);
        // No int is greater than the largest: Karpenter answers DoesNotExist for Gt MaxInt.
        if (operator === "Gt" && bound === maxInt)
          return new Requirement(key, false, new Set(), { minValues });
        return new Requirement(key, true, new Set(), {
          gte: operator === "Gt" ? bound + 1n : bound,
          minValues,
        });
      }
      case "Lt":
      case "Lte": {
        const bound = boundOf(requirement);
        if (operator === "Lt" && bound === minInt)
          return new Requirement(key, false, new Set(), { minValues });
        return new Requirement(key, true, new Set(), {
          lte: operator === "Lt" ? bound - 1n : bound,
          minValues,
        });
      }
    }
  }

  /** Does a node whose label has this value satisfy it? Karpenter's Has. */
  has(value: string): boolean {
    if (!withinBounds(value, this.gte, this.lte)) return false;
    return this.complement !== this.values.has(value);
  }

  /** Karpenter's Intersection: the values both allow. */
  intersect(other: Requirement): Requirement {
    const complement = this.complement && other.complement;
    const gte = maxDefined(this.gte, other.gte);
    const lte = minDefined(this.lte, other.lte);
    const minValues = maxDefined(this.minValues, other.minValues);
    // Crossed bounds admit no integer (Gte 5 ∩ Lte 4); Gte 4 ∩ Lte 4 still admits 4.
    if (gte !== undefined && lte !== undefined && gte > lte) {
      return new Requirement(this.key, false, new Set(), { minValues });
    }
    let values: Set<string>;
    if (this.complement && other.complement) values = union(this.values, other.values);
    else if (this.complement) values = difference(other.values, this.values);
    else if (other.complement) values = difference(this.values, other.values);
    else values = intersection(this.values, other.values);
    for (const value of values) {
      if (!withinBounds(value, gte, lte)) values.delete(value);
    }
    // A finite set keeps only the values within the bounds, and drops the bounds.
    return complement
      ? new Requirement(this.key, true, values, { gte, lte, minValues })
      : new Requirement(this.key, false, values, { minValues });
  }

  /** How many values it admits (a complement admits "infinitely" many). */
  get size(): number {
    return this.complement ? Number.POSITIVE_INFINITY : this.values.size;
  }

  /** Karpenter's Operator(): what the requirement amounts to, bounds aside. */
  get operator(): NodeSelectorOperator {
    if (this.complement) return this.values.size > 0 ? "NotIn" : "Exists";
    return this.values.size > 0 ? "In" : "DoesNotExist";
  }

  /**
   * The requirement as node-selector requirements: the excluded values as NotIn and each bound as
   * Gte/Lte, as Karpenter serialises bounds (NodeSelectorRequirement, BoundedNodeSelectorRequirements).
   */
  toNodeSelectorRequirements(): NodeRequirement[] {
    const sorted = [...this.values].sort();
    if (!this.complement)
      return [
        { key: this.key, operator: this.operator, ...(sorted.length > 0 && { values: sorted }) },
      ];
    const result: NodeRequirement[] = [];
    if (sorted.length > 0) result.push({ key: this.key, operator: "NotIn", values: sorted });
    if (this.gte !== undefined)
      result.push({ key: this.key, operator: "Gte", values: [String(this.gte)] });
    if (this.lte !== undefined)
      result.push({ key: this.key, operator: "Lte", values: [String(this.lte)] });
    if (result.length === 0) result.push({ key: this.key, operator: "Exists" });
    return result;
  }

  /**
   * The one value a new node would carry, deterministically (Karpenter's Any picks at random):
   * the smallest value of a set; for bounds, the smallest admitted integer from the lower bound
   * (or from min(0, upper bound)); nothing for an unbounded complement.
   */
  anyValue(): string | undefined {
    if (!this.complement) return [...this.values].sort()[0];
    let candidate = this.gte ?? (this.lte === undefined ? undefined : minOf(this.lte, 0n));
    if (candidate === undefined) return undefined;
    // At most `values.size` integers are excluded, so this ends within that many steps.
    for (let step = 0; step <= this.values.size; step++, candidate++) {
      if (this.has(String(candidate))) return String(candidate);
    }
    return undefined;
  }

  /** A canonical text, equal for equal requirements: used to group pods of one shape. */
  toString(): string {
    const values = [...this.values].sort().join(",");
    return `${this.key}${this.complement ? "!" : "="}{${values}}${this.gte ?? ""}<>${this.lte ?? ""}#${this.minValues ?? ""}`;
  }
}

/** Go's strconv.Atoi on a 64-bit int: optional sign, decimal digits, in range; else undefined. */
export function parseInt64(text: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const value = BigInt(text);
  return value < minInt || value > maxInt ? undefined : value;
}

/**
 * A bound's value. Karpenter reads it with strconv.Atoi and ignores the error (the API validated
 * it), so a value that does not parse counts as 0 — only a pod's Gt/Lt can get here unchecked.
 */
function boundOf(requirement: NodeRequirement): bigint {
  return parseInt64(requirement.values?.[0] ?? "") ?? 0n;
}

/** A value that is not an integer never satisfies a bound (Karpenter's withinBounds). */
function withinBounds(value: string, gte: bigint | undefined, lte: bigint | undefined): boolean {
  if (gte === undefined && lte === undefined) return true;
  const number = parseLabelInteger(value);
  if (number === undefined) return false;
  return (gte === undefined || number >= gte) && (lte === undefined || number <= lte);
}

/**
 * parseInt64 for the hot path: label values are short, and up to 15 digits a double holds them
 * exactly, so they are compared as numbers (a number against a bigint compares exactly).
 */
function parseLabelInteger(text: string): number | bigint | undefined {
  if (text.length <= 15) return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
  return parseInt64(text);
}

function minOf(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function maxDefined<T extends number | bigint>(a: T | undefined, b: T | undefined): T | undefined {
  return a === undefined ? b : b === undefined ? a : a > b ? a : b;
}

function minDefined<T extends number | bigint>(a: T | undefined, b: T | undefined): T | undefined {
  return a === undefined ? b : b === undefined ? a : a < b ? a : b;
}

function union(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  const result = new Set(a);
  for (const value of b) result.add(value);
  return result;
}

function intersection(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  const result = new Set<string>();
  for (const value of a) if (b.has(value)) result.add(value);
  return result;
}

function difference(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  const result = new Set<string>();
  for (const value of a) if (!b.has(value)) result.add(value);
  return result;
}
