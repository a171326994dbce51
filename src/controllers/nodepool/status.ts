import type { NodePool } from "../../api/nodepool.ts";
import { Labels } from "../../api/wellknown.ts";
import {
  addResources,
  formatResourceAmount,
  formatResources,
  parseResources,
  type Resources,
} from "../../resources/resource-list.ts";
import { limitCapacity } from "../../solver/pool-limits.ts";
import { nodeClassReadiness, poolStatusReason } from "../../solver/pool-readiness.ts";
import type { ControllerContext } from "../context.ts";

/** A node class kind this controller's cloud provider launches from. */
export interface NodeClassKind {
  readonly group: string;
  readonly kind: "KwokNodeClass" | "EC2NodeClass" | "StaticNodeClass" | "ExecNodeClass";
}

/** A condition as this controller decides it; #write adds the generation and transition time. */
interface PoolCondition {
  readonly type: string;
  readonly status: "True" | "False";
  readonly reason: string;
  readonly message: string;
}

/**
 * The NodePool status controller (Karpenter's nodepool readiness and counter controllers):
 * `NodeClassReady` says whether the node class it names exists and is ready, `Ready` follows it
 * (a pool that is not Ready is not provisioned from); `resources` and `nodes` count what its
 * NodeClaims hold; `LimitsSatisfied=False` says when that already exceeds `spec.limits`, so no
 * node more is launched for it. A condition that turns False is told as an Event.
 */
export class NodePoolStatus {
  readonly #context: ControllerContext;
  readonly #nodeClasses: readonly NodeClassKind[];

  constructor(context: ControllerContext, nodeClasses: readonly NodeClassKind[]) {
    this.#context = context;
    this.#nodeClasses = nodeClasses;
  }

  async reconcile(): Promise<void> {
    const { store } = this.#context;
    const claims = await store.list("NodeClaim");
    for (const pool of await store.list("NodePool")) {
      const name = pool.metadata.name ?? "";
      const mine = claims.filter((c) => c.metadata.labels?.[Labels.nodePool] === name);
      let resources: Resources = {};
      for (const claim of mine) {
        const parsed = parseResources(claim.status?.capacity);
        // Each node also counts one `nodes`, as Karpenter's state node capacity does.
        if (parsed.ok) resources = addResources(resources, limitCapacity(parsed.resources));
      }
      const classCondition = await this.#nodeClassReady(pool);
      const conditions: PoolCondition[] = [
        classCondition,
        {
          type: "Ready",
          status: classCondition.status,
          reason: classCondition.status === "True" ? "Ready" : "NodeClassNotReady",
          message: classCondition.status === "True" ? "" : classCondition.message,
        },
        limitsCondition(pool, resources),
      ];
      await this.#write(pool, {
        resources: formatResources(resources),
        nodes: mine.length,
        conditions,
      });
    }
  }

  async #nodeClassReady(pool: NodePool): Promise<PoolCondition> {
    const ref = pool.spec.template.spec.nodeClassRef;
    const supported = this.#nodeClasses.find((k) => k.group === ref.group && k.kind === ref.kind);
    if (supported === undefined)
      return {
        type: "NodeClassReady",
        status: "False",
        reason: "UnsupportedNodeClass",
        message: `${ref.kind}.${ref.group} is not served by this controller's cloud provider (it serves ${this.#nodeClasses.map((k) => `${k.kind}.${k.group}`).join(", ")})`,
      };
    const readiness = nodeClassReadiness(
      ref,
      await this.#context.store.get(supported.kind, ref.name),
    );
    return readiness.ready
      ? { type: "NodeClassReady", status: "True", reason: "Ready", message: "" }
      : {
          type: "NodeClassReady",
          status: "False",
          reason: readiness.reason,
          message: readiness.message,
        };
  }

  async #write(
    pool: NodePool,
    status: {
      readonly resources: Record<string, string>;
      readonly nodes: number;
      readonly conditions: readonly PoolCondition[];
    },
  ): Promise<void> {
    const now = this.#context.clock.now().toISOString();
    const previous = pool.status?.conditions ?? [];
    const conditions = status.conditions.map((c) => {
      const before = previous.find((p) => p.type === c.type);
      const same = before?.status === c.status;
      return {
        ...c,
        observedGeneration: pool.metadata.generation ?? 1,
        lastTransitionTime: same ? (before?.lastTransitionTime ?? now) : now,
      };
    });
    const next = { ...pool.status, ...status, conditions };
    if (JSON.stringify(next) === JSON.stringify(pool.status)) return;
    await this.#context.store.update({ ...pool, status: next });
    for (const c of conditions) {
      const before = previous.find((p) => p.type === c.type);
      if (c.status === "False" && before?.status !== "False")
        this.#context.events.record({
          kind: "NodePoolNotReady",
          object: `NodePool/${pool.metadata.name}`,
          message: `${c.type}=False (${c.reason}): ${c.message}`,
        });
    }
  }
}

function limitsCondition(pool: NodePool, used: Resources): PoolCondition {
  const limits = parseResources(pool.spec.limits);
  const over = limits.ok
    ? Object.entries(limits.resources).filter(([r, limit]) => (used[r] ?? 0) > limit)
    : [];
  if (over.length === 0)
    return { type: "LimitsSatisfied", status: "True", reason: "WithinLimits", message: "" };
  return {
    type: "LimitsSatisfied",
    status: "False",
    reason: "LimitsExceeded",
    message: over
      .map(
        ([r, limit]) =>
          `${r}: ${formatResourceAmount(r, used[r] ?? 0)} in use exceeds the limit ${formatResourceAmount(r, limit)}`,
      )
      .join("; "),
  };
}

/** Whether provisioning may launch from the pool: it is not reported as not Ready. */
export function isUsable(pool: NodePool): boolean {
  return poolStatusReason(pool) === undefined;
}
