import type { InstanceTypeObject } from "./api/instancetype.ts";
import { decodeObjects, type LoadError, type LoadedObject } from "./api/load.ts";
import { awsCatalog, awsRegions } from "./catalog/aws-catalog.ts";
import { withNodeClassOS } from "./catalog/aws-os.ts";
import type { Catalog } from "./catalog/instance-type.ts";
import { withNodeOverlays } from "./catalog/overlay.ts";
import { catalogFromInstanceTypes } from "./catalog/user-catalog.ts";
import { buildSnapshot, type ClusterSnapshot } from "./cluster/snapshot.ts";
import { renderReason } from "./render/reasons.ts";
import type { Plan } from "./solver/plan.ts";
import { plannedClaims, reservationsFullReason } from "./solver/planned-claim.ts";
import { type NodeClassObject, notReadyPools } from "./solver/pool-readiness.ts";
import { solverInput } from "./solver/snapshot-input.ts";
import { type Solution, solve } from "./solver/solve.ts";
import { launchedWith } from "./solver/static-launches.ts";

export interface PlanOptions {
  /** Region of the built-in AWS catalog, used when the input holds no InstanceType objects. */
  readonly region?: string;
  /** Told as the solver places each pending pod (a progress line on a terminal, for big inputs). */
  readonly onProgress?: (placed: number, total: number) => void;
}

/** The library's `plan()`: the same computation and result as `carpool plan -o json`. */
export function plan(objects: readonly object[], options: PlanOptions = {}): Plan {
  const result = planObjects(decodeOrThrow(objects), options);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join("\n"));
  return result.plan;
}

/**
 * The library's entry points take already-parsed objects: they are validated as the CLI's input
 * is, and invalid ones throw an Error naming each object and field.
 */
export function decodeOrThrow(objects: readonly object[]): readonly LoadedObject[] {
  const decoded = decodeObjects(
    objects.map((object, documentIndex) => ({ object, documentIndex })),
    "<objects>",
  );
  if (decoded.errors.length > 0) {
    throw new Error(
      `invalid input:\n${decoded.errors.map((e) => `  ${e.kind ?? "object"}/${e.name ?? ""}: ${e.path}: ${e.message}`).join("\n")}`,
    );
  }
  return decoded.objects;
}

export type PlanResult =
  | { readonly ok: true; readonly plan: Plan }
  | { readonly ok: false; readonly errors: readonly LoadError[] };

/** Plans validated objects; catalog errors (a bad InstanceType) are input errors. */
export function planObjects(
  objects: readonly LoadedObject[],
  options: PlanOptions = {},
): PlanResult {
  const snapshot = buildSnapshot(objects.map((loaded) => loaded.object));
  const catalog = catalogFor(snapshot, options, objects);
  if (!catalog.ok) return catalog;
  return {
    ok: true,
    plan: toPlan(
      solveSnapshot(snapshot, catalog.catalog, nodeClassObjects(objects), options.onProgress),
    ),
  };
}

/** The input's objects, as the node classes among them are judged (pool-readiness.ts). */
export function nodeClassObjects(objects: readonly LoadedObject[]): readonly NodeClassObject[] {
  return objects.map((loaded) => loaded.object as NodeClassObject);
}

/** The catalog as each NodePool sees it: its NodeOverlays applied, and its node class's OS (aws-os.ts). */
function overlaid(catalog: Catalog, snapshot: ClusterSnapshot): Catalog {
  const overlays = withNodeOverlays(catalog, snapshot.nodePools, snapshot.nodeOverlays).catalog;
  return withNodeClassOS(overlays, snapshot.nodePools, snapshot.nodeClasses);
}

export function catalogFor(
  snapshot: ClusterSnapshot,
  options: PlanOptions,
  objects: readonly LoadedObject[],
): { ok: true; catalog: Catalog } | { ok: false; errors: LoadError[] } {
  if (snapshot.instanceTypes.length === 0) {
    const region = options.region ?? "us-east-1";
    const regions = awsRegions();
    if (!regions.includes(region)) {
      const message = `the built-in AWS catalog has no region ${region}; it has ${regions.join(", ")} (or give InstanceType objects)`;
      return { ok: false, errors: [{ file: "--region", message }] };
    }
    return { ok: true, catalog: overlaid(awsCatalog(region), snapshot) };
  }
  const { catalog, errors } = catalogFromInstanceTypes(
    snapshot.instanceTypes as InstanceTypeObject[],
  );
  if (errors.length === 0) return { ok: true, catalog: overlaid(catalog, snapshot) };
  const sources = new Map(
    objects.map((o) => [`${o.object.kind}/${o.object.metadata.name}`, o.source]),
  );
  return {
    ok: false,
    errors: errors.map((error) => {
      const source = sources.get(`InstanceType/${error.instanceType}`);
      return {
        file: source?.file ?? "<objects>",
        kind: "InstanceType",
        name: error.instanceType,
        path: error.path,
        message: error.message,
      };
    }),
  };
}

export function solveSnapshot(
  snapshot: ClusterSnapshot,
  catalog: Catalog,
  nodeClasses: readonly NodeClassObject[] = [],
  onProgress?: (placed: number, total: number) => void,
): Solution {
  return solve({
    ...solverInput(snapshot),
    catalog,
    notReadyPools: notReadyPools(snapshot.nodePools, nodeClasses),
    // Offline, the static pools' nodes the input lacks are launched as Karpenter would.
    launchStatic: true,
    ...(onProgress && { onProgress }),
  });
}

/** The contract's Plan: reasons rendered to words, costs summed exactly in micro-dollars. */
export function toPlan(solution: Solution): Plan {
  const launches = plannedClaims(solution.claims);
  const nodeClaims = [
    ...solution.staticLaunches.map((launch) => launchedWith(launch.planned, launch.pods)),
    ...launches.planned,
  ];
  const existingNodes = [...solution.onExisting.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, pods]) => ({ name, pods: pods.map((p) => p.key).sort() }));
  const unschedulable = solution.unschedulable.map((entry) => ({
    pod: entry.pending.key,
    reasons: entry.targets
      .filter((target) => target.reasons.length > 0)
      .map((target) => ({
        target: target.target,
        reason: target.reasons.map(renderReason).join("; "),
      })),
  }));
  for (const full of launches.full)
    for (const pod of full.claim.pods)
      unschedulable.push({
        pod: pod.key,
        reasons: [
          { target: `NodePool/${full.claim.pool.name}`, reason: reservationsFullReason(full) },
        ],
      });
  unschedulable.sort((a, b) => (a.pod < b.pod ? -1 : a.pod > b.pod ? 1 : 0));
  const micro = nodeClaims.reduce((sum, claim) => sum + Math.round(claim.price * 1e6), 0);
  const totalMicro = nodeClaims.reduce((sum, claim) => sum + Math.round(claim.totalPrice * 1e6), 0);
  const onExisting = existingNodes.reduce((sum, node) => sum + node.pods.length, 0);
  const onNew = nodeClaims.reduce((sum, claim) => sum + claim.pods.length, 0);
  // The sums are only as real as their parts: say how many of them are stand-ins.
  const standIns = nodeClaims.filter((claim) => claim.priceStandIn === true).length;
  return {
    apiVersion: "carpool.dev/v1alpha1",
    kind: "Plan",
    nodeClaims,
    existingNodes,
    unschedulable,
    summary: {
      pods: solution.pendingCount,
      onExistingNodes: onExisting,
      onNewNodes: onNew,
      unschedulable: unschedulable.length,
      newNodes: nodeClaims.length,
      hourlyCost: micro / 1e6,
      hourlyTotalCost: totalMicro / 1e6,
      ...(standIns > 0 && { standInPrices: standIns }),
    },
  };
}
