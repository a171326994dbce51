import type { Reason, RequirementSource } from "./reasons.ts";
import { type NodeRequirement, Requirement } from "./requirement.ts";

/**
 * A set of per-key requirements, Karpenter's scheduling.Requirements: used for NodePools, pods,
 * instance types and claims alike, so provisioning, disruption and instance filtering share one
 * meaning. Immutable; `intersect` returns a new set.
 */
export class Requirements {
  readonly #byKey: ReadonlyMap<string, Requirement>;
  #canonical: string | undefined;

  private constructor(byKey: ReadonlyMap<string, Requirement>) {
    this.#byKey = byKey;
  }

  static readonly empty = new Requirements(new Map());

  /** Several requirements on one key intersect, as they are ANDed in a term. */
  static from(requirements: readonly NodeRequirement[]): Requirements {
    const byKey = new Map<string, Requirement>();
    for (const raw of requirements) {
      const requirement = Requirement.from(raw);
      const existing = byKey.get(requirement.key);
      byKey.set(requirement.key, existing ? existing.intersect(requirement) : requirement);
    }
    return new Requirements(byKey);
  }

  /** Each label as `key In [value]`. */
  static fromLabels(labels: Readonly<Record<string, string>>): Requirements {
    const byKey = new Map<string, Requirement>();
    for (const [key, value] of Object.entries(labels)) {
      byKey.set(key, new Requirement(key, false, new Set([value])));
    }
    return new Requirements(byKey);
  }

  static of(requirements: readonly Requirement[]): Requirements {
    return Requirements.empty.with(...requirements);
  }

  get(key: string): Requirement | undefined {
    return this.#byKey.get(key);
  }

  has(key: string): boolean {
    return this.#byKey.has(key);
  }

  keys(): IterableIterator<string> {
    return this.#byKey.keys();
  }

  values(): IterableIterator<Requirement> {
    return this.#byKey.values();
  }

  get size(): number {
    return this.#byKey.size;
  }

  /** These requirements narrowed by more, key by key. */
  with(...requirements: readonly Requirement[]): Requirements {
    if (requirements.length === 0) return this;
    const byKey = new Map(this.#byKey);
    for (const requirement of requirements) {
      const existing = byKey.get(requirement.key);
      byKey.set(requirement.key, existing ? existing.intersect(requirement) : requirement);
    }
    return new Requirements(byKey);
  }

  /** Commutative: every key of either side, intersected where both define it. */
  intersect(other: Requirements): Requirements {
    if (other.size === 0) return this;
    if (this.size === 0) return other;
    return this.with(...other.values());
  }

  /**
   * Karpenter's Intersects: for every key both define, some value must satisfy both — except
   * that a NotIn/DoesNotExist on both sides is satisfied by a node without the label.
   * `this` is the node side (pool, claim, instance type), `pod` the pod's.
   */
  intersects(pod: Requirements, source: RequirementSource): Reason[] {
    const reasons: Reason[] = [];
    for (const [key, wanted] of pod.#byKey) {
      const offered = this.#byKey.get(key);
      if (offered === undefined || offered.intersect(wanted).size > 0) continue;
      if (absenceAllowed(wanted) && absenceAllowed(offered)) continue;
      reasons.push({
        code: "requirement_conflict",
        source,
        key,
        wanted: single(wanted, offered),
        offered: single(offered, wanted),
      });
    }
    return reasons;
  }

  /**
   * Karpenter's Compatible: the pod's custom labels must be defined by the node side (unless the
   * pod only excludes them: NotIn, DoesNotExist); keys in `allowUndefined` (the well-known labels)
   * may be left undefined; and where both define a key, they must intersect.
   */
  compatible(
    pod: Requirements,
    allowUndefined: ReadonlySet<string>,
    source: RequirementSource,
  ): Reason[] {
    const reasons: Reason[] = [];
    for (const [key, wanted] of pod.#byKey) {
      if (allowUndefined.has(key) || this.#byKey.has(key) || absenceAllowed(wanted)) continue;
      reasons.push({ code: "undefined_label", source, key });
    }
    reasons.push(...this.intersects(pod, source));
    return reasons;
  }

  /** Fast boolean form of `compatible`, for hot loops. */
  isCompatible(pod: Requirements, allowUndefined: ReadonlySet<string>): boolean {
    for (const [key, wanted] of pod.#byKey) {
      const offered = this.#byKey.get(key);
      if (offered === undefined) {
        if (allowUndefined.has(key) || absenceAllowed(wanted)) continue;
        return false;
      }
      if (offered.intersect(wanted).size > 0) continue;
      if (!(absenceAllowed(wanted) && absenceAllowed(offered))) return false;
    }
    return true;
  }

  /** The labels a node of these requirements carries: each key with exactly one value. */
  labels(): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const [key, requirement] of this.#byKey) {
      if (!requirement.complement && requirement.values.size === 1) {
        labels[key] = requirement.values.values().next().value as string;
      }
    }
    return labels;
  }

  toNodeSelectorRequirements(): NodeRequirement[] {
    return [...this.#byKey.keys()]
      .sort()
      .flatMap((key) => this.#byKey.get(key)?.toNodeSelectorRequirements() ?? []);
  }

  /** Equal for equal requirement sets; cached. */
  toString(): string {
    this.#canonical ??= [...this.#byKey.values()].map(String).sort().join(";");
    return this.#canonical;
  }
}

/** NotIn and DoesNotExist are satisfied by a node without the label. */
function absenceAllowed(requirement: Requirement): boolean {
  const operator = requirement.operator;
  return operator === "NotIn" || operator === "DoesNotExist";
}

/**
 * One node-selector requirement that stands for the whole in a reason: the first part (NotIn,
 * Gte, Lte) that alone leaves nothing in common with the other side — for 4 ≤ cpu ≤ 16 against
 * cpu=32 that is `Lte 16` — or the first part when only their combination conflicts.
 */
function single(requirement: Requirement, other: Requirement): NodeRequirement {
  const parts = requirement.toNodeSelectorRequirements();
  const conflicting = parts.find((part) => Requirement.from(part).intersect(other).size === 0);
  return (conflicting ?? parts[0]) as NodeRequirement;
}
