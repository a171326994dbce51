import type { LoadError, LoadedObject } from "./api/load.ts";
import { buildSnapshot } from "./cluster/snapshot.ts";
import { catalogFor, nodeClassObjects, type PlanOptions, solveSnapshot, toPlan } from "./plan.ts";
import { renderReason } from "./render/reasons.ts";
import { notReadyPools } from "./solver/pool-readiness.ts";
import { solverInput } from "./solver/snapshot-input.ts";
import { explainPod, type SolverInput } from "./solver/solve.ts";

/** `carpool explain -o json`: why each NodePool and node can or cannot take one pending pod. */
export interface Explanation {
  readonly apiVersion: "carpool.dev/v1alpha1";
  readonly kind: "Explanation";
  readonly pod: string;
  /** How many preference-relaxation steps it took for some target to fit (0: none needed). */
  readonly relaxedPreferences: number;
  readonly targets: readonly {
    readonly target: string;
    readonly verdict: "fits" | "does not fit";
    readonly reasons: readonly string[];
    readonly launch?: {
      readonly instanceType: string;
      readonly zone: string;
      readonly price: number;
      readonly totalPrice: number;
    };
  }[];
  /** Where the full plan, with every other pending pod, puts it. */
  readonly planned: string;
  /**
   * When the full plan leaves it unschedulable: the plan's reasons, per target. They may differ
   * from the verdicts above, which ask about this pod alone: in the plan, pods placed before it
   * take room and count against the pools' limits.
   */
  readonly plannedReasons?: readonly { readonly target: string; readonly reason: string }[];
}

export type ExplainResult =
  | { readonly ok: true; readonly explanation: Explanation }
  | { readonly ok: false; readonly errors: readonly LoadError[] }
  | { readonly ok: false; readonly notFound: string; readonly pending: readonly string[] };

export function explainObjects(
  objects: readonly LoadedObject[],
  podName: string,
  options: PlanOptions = {},
): ExplainResult {
  const key = podName.includes("/") ? podName : `default/${podName}`;
  const snapshot = buildSnapshot(objects.map((loaded) => loaded.object));
  const catalog = catalogFor(snapshot, options, objects);
  if (!catalog.ok) return catalog;
  const pod = snapshot.pendingPods.find(
    (p) => `${p.metadata.namespace ?? "default"}/${p.metadata.name}` === key,
  );
  if (pod === undefined) {
    return {
      ok: false,
      notFound: key,
      pending: snapshot.pendingPods.map(
        (p) => `${p.metadata.namespace ?? "default"}/${p.metadata.name}`,
      ),
    };
  }
  const nodeClasses = nodeClassObjects(objects);
  const input: SolverInput = {
    ...solverInput(snapshot),
    catalog: catalog.catalog,
    notReadyPools: notReadyPools(snapshot.nodePools, nodeClasses),
    launchStatic: true,
  };
  const { verdicts, relaxed } = explainPod(input, pod);
  const plan = toPlan(solveSnapshot(snapshot, catalog.catalog, nodeClasses));
  return {
    ok: true,
    explanation: {
      apiVersion: "carpool.dev/v1alpha1",
      kind: "Explanation",
      pod: key,
      relaxedPreferences: relaxed,
      targets: verdicts.map((v) => ({
        target: v.target,
        verdict: v.reasons.length === 0 ? "fits" : "does not fit",
        reasons: v.reasons.map(renderReason),
        ...(v.launch && { launch: v.launch }),
      })),
      planned: plannedPlace(plan, key),
      ...plannedReasons(plan, key),
    },
  };
}

function plannedPlace(plan: ReturnType<typeof toPlan>, key: string): string {
  const claim = plan.nodeClaims.find((c) => c.pods.includes(key));
  if (claim)
    return `new node ${claim.name} (NodePool ${claim.nodePool}, ${claim.instanceType} in ${claim.zone}, ${claim.capacityType})`;
  const node = plan.existingNodes.find((n) => n.pods.includes(key));
  if (node) return `existing ${node.name}`;
  return "unschedulable";
}

function plannedReasons(
  plan: ReturnType<typeof toPlan>,
  key: string,
): Pick<Explanation, "plannedReasons"> {
  const entry = plan.unschedulable.find((u) => u.pod === key);
  return entry === undefined ? {} : { plannedReasons: entry.reasons };
}
