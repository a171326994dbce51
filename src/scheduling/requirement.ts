import type { NodeSelectorOperator, NodeSelectorRequirement } from "../api/pod.ts";

/**
 * The values one label key may take, as Karpenter's scheduling.Requirement models them
 * (pkg/scheduling/requirement.go): a finite set (In; DoesNotExist is the empty one) or the
 * complement of a finite set (NotIn; Exists is the complement of nothing), narrowed by integer
 * bounds (Gt, Lt: strictly greater, strictly less). Immutable.
 */
export class Requirement {
  readonly key: string;
  readonly complement: boolean;
  readonly values: ReadonlySet<string>;
  readonly greaterThan: number | undefined;
  readonly lessThan: number | undefined;
  readonly minValues: number | undefined;

  constructor(
    key: string,
    complement: boolean,
    values: ReadonlySet<string>,
    bounds: {
      greaterThan?: number | undefined;
      lessThan?: number | undefined;
      minValues?: number | undefined;
    } = {},
  ) {
    this.key = key;
    this.complement = complement;
    this.values = values;
    this.greaterThan = bounds.greaterThan;
    this.lessThan = bounds.lessThan;
    this.minValues = bounds.minValues;
  }

  static from(requirement: NodeSelectorRequirement & { readonly minValues?: number }): Requirement {
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
        return new Requirement(key, true, new Set(), {
          greaterThan: integerOf(requirement),
          minValues,
        });
      case "Lt":
        return new Requirement(key, true, new Set(), {
          lessThan: integerOf(requirement),
          minValues,
        });
    }
  }

  /** Does a node whose label has this value (undefined: no label) satisfy it? Karpenter's Has. */
  has(value: string): boolean {
    if (!withinBounds(value, this.greaterThan, this.lessThan)) return false;
    return this.complement !== this.values.has(value);
  }

  /** Karpenter's Intersection: the values both allow. */
  intersect(other: Requirement): Requirement {
    const complement = this.complement && other.complement;
    const greaterThan = maxDefined(this.greaterThan, other.greaterThan);
    const lessThan = minDefined(this.lessThan, other.lessThan);
    const minValues = maxDefined(this.minValues, other.minValues);
    if (greaterThan !== undefined && lessThan !== undefined && greaterThan >= lessThan - 1) {
      // No integer lies strictly between the bounds.
      return new Requirement(this.key, false, new Set(), { minValues });
    }
    let values: Set<string>;
    if (this.complement && other.complement) values = union(this.values, other.values);
    else if (this.complement) values = difference(other.values, this.values);
    else if (other.complement) values = difference(this.values, other.values);
    else values = intersection(this.values, other.values);
    for (const value of values) {
      if (!withinBounds(value, greaterThan, lessThan)) values.delete(value);
    }
    return complement
      ? new Requirement(this.key, true, values, { greaterThan, lessThan, minValues })
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

  /** The requirement as node-selector requirements (bounds become Gt/Lt). */
  toNodeSelectorRequirements(): NodeSelectorRequirement[] {
    const sorted = [...this.values].sort();
    const result: NodeSelectorRequirement[] = [];
    if (!this.complement)
      return [
        { key: this.key, operator: this.operator, ...(sorted.length > 0 && { values: sorted }) },
      ];
    if (sorted.length > 0) result.push({ key: this.key, operator: "NotIn", values: sorted });
    if (this.greaterThan !== undefined)
      result.push({ key: this.key, operator: "Gt", values: [String(this.greaterThan)] });
    if (this.lessThan !== undefined)
      result.push({ key: this.key, operator: "Lt", values: [String(this.lessThan)] });
    if (result.length === 0) result.push({ key: this.key, operator: "Exists" });
    return result;
  }

  /** The one value a new node would carry: the smallest allowed, deterministically. */
  anyValue(): string | undefined {
    if (!this.complement) return [...this.values].sort()[0];
    if (this.greaterThan !== undefined) {
      const candidate = String(this.greaterThan + 1);
      if (this.has(candidate)) return candidate;
    }
    if (this.lessThan !== undefined) {
      const candidate = String(Math.min(this.lessThan - 1, 0));
      if (this.has(candidate)) return candidate;
    }
    return undefined;
  }

  /** A canonical text, equal for equal requirements: used to group pods of one shape. */
  toString(): string {
    const values = [...this.values].sort().join(",");
    return `${this.key}${this.complement ? "!" : "="}{${values}}${this.greaterThan ?? ""}<>${this.lessThan ?? ""}#${this.minValues ?? ""}`;
  }
}

function integerOf(requirement: NodeSelectorRequirement): number | undefined {
  const text = requirement.values?.[0];
  return text !== undefined && /^-?\d+$/.test(text) ? Number(text) : undefined;
}

/** A value outside integer syntax never satisfies Gt or Lt. */
function withinBounds(
  value: string,
  greaterThan: number | undefined,
  lessThan: number | undefined,
): boolean {
  if (greaterThan === undefined && lessThan === undefined) return true;
  if (!/^-?\d+$/.test(value)) return false;
  const number = Number(value);
  return (
    (greaterThan === undefined || number > greaterThan) &&
    (lessThan === undefined || number < lessThan)
  );
}

function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
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
