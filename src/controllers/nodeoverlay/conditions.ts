import type { Condition } from "../../api/meta.ts";

/** A condition as a controller decides it; `stamped` adds the generation and transition time. */
export interface ConditionState {
  readonly type: string;
  readonly status: "True" | "False";
  readonly reason: string;
  readonly message: string;
}

export type StampedCondition = Condition & { readonly observedGeneration?: number };

/**
 * The conditions to write: the transition time kept where the status did not change, `now` where
 * it did; conditions of other types (another writer's) left as they were.
 */
export function stamped(
  next: readonly ConditionState[],
  previous: readonly StampedCondition[],
  now: string,
  generation: number,
): StampedCondition[] {
  const stamp = (c: ConditionState): StampedCondition => {
    const before = previous.find((p) => p.type === c.type);
    return {
      ...c,
      observedGeneration: generation,
      lastTransitionTime: before?.status === c.status ? (before.lastTransitionTime ?? now) : now,
    };
  };
  // In place where the type was there already, so two writers do not reorder each other's.
  const kept = previous.map((p) => {
    const c = next.find((n) => n.type === p.type);
    return c === undefined ? p : stamp(c);
  });
  const added = next.filter((c) => !previous.some((p) => p.type === c.type)).map(stamp);
  return [...kept, ...added];
}
