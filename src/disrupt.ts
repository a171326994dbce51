import type { LoadError, LoadedObject } from "./api/load.ts";
import { buildSnapshot } from "./cluster/snapshot.ts";
import { type Command, type DisruptionResult, disruptCluster } from "./disruption/disrupt.ts";
import { catalogFor, decodeOrThrow } from "./plan.ts";
import { renderBlockReason, renderDetail } from "./render/disruption.ts";

export interface DisruptOptions {
  /** The clock for expiration and consolidateAfter; default the current time. */
  readonly now?: Date;
  /** Region of the built-in AWS catalog, used when the input holds no InstanceType objects. */
  readonly region?: string;
  /** Allow spot-to-spot consolidation (Karpenter's feature gate); default true. */
  readonly spotToSpot?: boolean;
  /** Drift a cloud provider reports, by NodeClaim name (the controller asks CloudProvider.isDrifted). */
  readonly providerDrift?: ReadonlyMap<string, string>;
}

/** A node a command launches first: `commands[].replacements[]` of `carpool disrupt -o json`. */
export interface DisruptionReplacement {
  readonly nodePool: string;
  readonly instanceType: string;
  readonly instanceTypeOptions: readonly string[];
  readonly zone: string;
  readonly capacityType: string;
  readonly price: number;
  /** What the node costs per hour: the instance plus its node class's volumes and public IPv4. */
  readonly totalPrice: number;
  readonly pods: readonly string[];
}

/** `carpool disrupt -o json`, as fixed by the contract (apiVersion carpool.dev/v1alpha1). */
export interface DisruptionPlan {
  readonly apiVersion: "carpool.dev/v1alpha1";
  readonly kind: "DisruptionPlan";
  readonly commands: readonly {
    readonly action: "delete" | "replace";
    readonly reason: "Empty" | "Underutilized" | "Drifted" | "Expired";
    readonly nodes: readonly string[];
    readonly replacements: readonly DisruptionReplacement[];
    readonly savings: number;
    /** Why, in a sentence. */
    readonly why: string;
    /** Pods that move to nodes that stay. */
    readonly moves: readonly { readonly pod: string; readonly node: string }[];
    /** Pods of an expired node the cluster has no place for (expiration does not wait for them). */
    readonly stranded: readonly string[];
  }[];
  readonly blocked: readonly { readonly node: string; readonly reason: string }[];
  readonly summary: {
    readonly nodes: number;
    readonly disrupted: number;
    readonly hourlyCostBefore: number;
    readonly hourlyCostAfter: number;
  };
}

/** The library's `disrupt()`: the same computation and result as `carpool disrupt -o json`. */
export function disrupt(objects: readonly object[], options: DisruptOptions = {}): DisruptionPlan {
  const result = disruptObjects(decodeOrThrow(objects), options);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join("\n"));
  return result.plan;
}

export type DisruptResult =
  | { readonly ok: true; readonly plan: DisruptionPlan }
  | { readonly ok: false; readonly errors: readonly LoadError[] };

export function disruptObjects(
  objects: readonly LoadedObject[],
  options: DisruptOptions = {},
): DisruptResult {
  const snapshot = buildSnapshot(objects.map((loaded) => loaded.object));
  const catalog = catalogFor(snapshot, options, objects);
  if (!catalog.ok) return catalog;
  const result = disruptCluster(snapshot, catalog.catalog, {
    now: options.now ?? new Date(),
    ...(options.spotToSpot !== undefined && { spotToSpot: options.spotToSpot }),
    ...(options.providerDrift !== undefined && { providerDrift: options.providerDrift }),
  });
  return { ok: true, plan: toDisruptionPlan(result) };
}

/** The contract's DisruptionPlan: reasons rendered to words, prices summed in micro-dollars. */
export function toDisruptionPlan(result: DisruptionResult): DisruptionPlan {
  const disrupted = new Set(result.commands.flatMap((c) => c.nodes));
  return {
    apiVersion: "carpool.dev/v1alpha1",
    kind: "DisruptionPlan",
    commands: result.commands.map(toCommand),
    blocked: result.blocked.map((b) => ({ node: b.node, reason: renderBlockReason(b.reason) })),
    summary: {
      nodes: result.nodes,
      disrupted: disrupted.size,
      hourlyCostBefore: result.costBeforeMicro / 1e6,
      hourlyCostAfter: result.costAfterMicro / 1e6,
    },
  };
}

function toCommand(command: Command): DisruptionPlan["commands"][number] {
  return {
    action: command.action,
    reason: command.reason,
    nodes: command.nodes,
    replacements: command.replacements.map((r) => ({
      nodePool: r.nodePool,
      instanceType: r.instanceType,
      instanceTypeOptions: r.instanceTypeOptions,
      zone: r.zone,
      capacityType: r.capacityType,
      price: r.price,
      totalPrice: r.totalPrice,
      pods: r.pods,
    })),
    savings: command.savingsMicro / 1e6,
    why: renderDetail(command.detail),
    moves: [...command.moves.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([pod, node]) => ({ pod, node })),
    stranded: [...command.stranded].sort(),
  };
}
