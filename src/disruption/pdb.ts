import type { Pod } from "../api/pod.ts";
import type { PodDisruptionBudget } from "../api/policy.ts";
import { podKey } from "../cluster/snapshot.ts";
import { selectorMatches } from "../scheduling/label-selector.ts";
import type { EvictionRefusal } from "./reasons.ts";

/** One PodDisruptionBudget as the API server's eviction check sees it, counted down as pods go. */
interface BudgetState {
  readonly name: string;
  readonly alwaysAllowUnhealthy: boolean;
  readonly desiredHealthy: number;
  currentHealthy: number;
  disruptionsAllowed: number;
}

export type EvictionCheck =
  | { readonly ok: true; readonly consumes: ReadonlyMap<string, number> }
  | { readonly ok: false; readonly refusal: EvictionRefusal };

/**
 * PodDisruptionBudgets, counted as the API server counts evictions (the eviction subresource):
 * a pod in a terminal or Pending phase, or already terminating, is evicted without a check; a pod
 * selected by more than one budget cannot be evicted at all; an unhealthy (not Ready) pod may go
 * when the policy is AlwaysAllow, or, under IfHealthyBudget (the default), while the budget's
 * application is healthy (currentHealthy ≥ desiredHealthy > 0), without using the budget;
 * any other eviction needs `disruptionsAllowed` > 0 and uses one.
 *
 * `status` is used when the snapshot has it; otherwise it is computed as the disruption controller
 * would, with the selected pods standing for the expected count.
 */
export class EvictionBudgets {
  readonly #budgets: { readonly pdb: PodDisruptionBudget; readonly state: BudgetState }[];

  constructor(pdbs: readonly PodDisruptionBudget[], pods: readonly Pod[]) {
    this.#budgets = pdbs.map((pdb) => ({ pdb, state: initialState(pdb, pods) }));
  }

  /** The budgets selecting a pod (same namespace; a budget without a selector selects none). */
  budgetsFor(pod: Pod): string[] {
    return this.#budgets.filter(({ pdb }) => selects(pdb, pod)).map(({ state }) => state.name);
  }

  /** Whether all these pods could be evicted now, and what that would use of each budget. */
  check(pods: readonly Pod[]): EvictionCheck {
    const consumes = new Map<string, number>();
    for (const pod of pods) {
      if (evictsWithoutCheck(pod)) continue;
      const matching = this.#budgets.filter(({ pdb }) => selects(pdb, pod));
      if (matching.length === 0) continue;
      if (matching.length > 1)
        return {
          ok: false,
          refusal: {
            code: "pdb_multiple",
            pod: podKey(pod),
            budgets: matching.map((m) => m.state.name),
          },
        };
      const { state } = matching[0] as { state: BudgetState };
      if (!isReady(pod)) {
        if (state.alwaysAllowUnhealthy) continue;
        if (state.desiredHealthy > 0 && state.currentHealthy >= state.desiredHealthy) continue;
      }
      const used = (consumes.get(state.name) ?? 0) + 1;
      if (used > state.disruptionsAllowed)
        return {
          ok: false,
          refusal:
            state.disruptionsAllowed === 0
              ? { code: "pdb_exhausted", budget: state.name, pod: podKey(pod) }
              : {
                  code: "pdb_insufficient",
                  budget: state.name,
                  allowed: state.disruptionsAllowed,
                  needed: used,
                },
        };
      consumes.set(state.name, used);
    }
    return { ok: true, consumes };
  }

  /** Records evictions that `check` allowed. */
  commit(consumes: ReadonlyMap<string, number>): void {
    for (const { state } of this.#budgets) {
      const used = consumes.get(state.name) ?? 0;
      state.disruptionsAllowed -= used;
      state.currentHealthy -= used;
    }
  }

  /** What is left of each budget, by `namespace/name`. */
  remaining(): Map<string, number> {
    return new Map(this.#budgets.map(({ state }) => [state.name, state.disruptionsAllowed]));
  }
}

function initialState(pdb: PodDisruptionBudget, pods: readonly Pod[]): BudgetState {
  const name = `${pdb.metadata.namespace ?? "default"}/${pdb.metadata.name ?? ""}`;
  const alwaysAllowUnhealthy = pdb.spec.unhealthyPodEvictionPolicy === "AlwaysAllow";
  const status = pdb.status;
  if (status?.disruptionsAllowed !== undefined) {
    return {
      name,
      alwaysAllowUnhealthy,
      desiredHealthy: status.desiredHealthy ?? 0,
      currentHealthy: status.currentHealthy ?? 0,
      disruptionsAllowed: status.disruptionsAllowed,
    };
  }
  const selected = pods.filter((pod) => selects(pdb, pod) && !isTerminal(pod));
  const expected = status?.expectedPods ?? selected.length;
  const currentHealthy = selected.filter(
    (pod) => isReady(pod) && pod.metadata.deletionTimestamp === undefined,
  ).length;
  const desiredHealthy = desired(pdb, expected);
  return {
    name,
    alwaysAllowUnhealthy,
    desiredHealthy,
    currentHealthy,
    disruptionsAllowed: Math.max(0, currentHealthy - desiredHealthy),
  };
}

/** The disruption controller's desiredHealthy: minAvailable, or expected − maxUnavailable (percentages rounded up). */
function desired(pdb: PodDisruptionBudget, expected: number): number {
  const scaled = (value: number | string) =>
    typeof value === "number" ? value : Math.ceil((Number(value.slice(0, -1)) * expected) / 100);
  if (pdb.spec.maxUnavailable !== undefined)
    return Math.max(0, expected - scaled(pdb.spec.maxUnavailable));
  if (pdb.spec.minAvailable !== undefined) return scaled(pdb.spec.minAvailable);
  return 0;
}

function selects(pdb: PodDisruptionBudget, pod: Pod): boolean {
  if (pdb.spec.selector === undefined) return false;
  if ((pdb.metadata.namespace ?? "default") !== (pod.metadata.namespace ?? "default")) return false;
  return selectorMatches(pdb.spec.selector, pod.metadata.labels ?? {});
}

function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
}

/** The API server skips the budget for pods that are done, not yet running, or already going. */
function evictsWithoutCheck(pod: Pod): boolean {
  return (
    isTerminal(pod) ||
    pod.status?.phase === "Pending" ||
    pod.metadata.deletionTimestamp !== undefined
  );
}

/**
 * Ready as podutil.IsPodReady: the Ready condition is True. A snapshot pod that reports no
 * conditions at all is taken as running and ready (hand-written manifests have no status).
 */
export function isReady(pod: Pod): boolean {
  const conditions = pod.status?.conditions;
  if (conditions === undefined || conditions.length === 0) return true;
  return conditions.some((c) => c.type === "Ready" && c.status === "True");
}
