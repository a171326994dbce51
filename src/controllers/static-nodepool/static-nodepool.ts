import type { NodeClaim } from "../../api/nodeclaim.ts";
import { defaultNodePool, type NodePool } from "../../api/nodepool.ts";
import { Labels, Taints } from "../../api/wellknown.ts";
import { NotFoundError } from "../../ports/cluster-store.ts";
import { parseResources } from "../../resources/resource-list.ts";
import { NodesResource } from "../../solver/pool-limits.ts";
import { poolStatusReason } from "../../solver/pool-readiness.ts";
import { staticClaim } from "../../solver/static-claim.ts";
import { staticReplicas } from "../../solver/static-pool.ts";
import { type ControllerContext, catalogOf } from "../context.ts";
import { nodeClaimFor } from "../nodeclaim-template.ts";
import { scaleDownCandidates } from "./scale-down.ts";

/**
 * The static NodePool controller (Karpenter v1.8, kubernetes-sigs/karpenter#2521,
 * pkg/controllers/static): a pool with spec.replicas keeps that many NodeClaims whatever the pods
 * want. Scale-up counts every claim of the pool, those being deleted too (so a claim on its way out
 * is not replaced twice), launches only from a pool that is not reported not Ready, and stops at
 * limits.nodes. Scale-down counts only claims not being deleted and picks them as
 * scaleDownCandidates does; the termination controller drains them.
 */
export class StaticNodePools {
  readonly #context: ControllerContext;
  /** Pools already told to be at their node limit or without an instance type, until that ends. */
  readonly #reported = new Map<string, string>();

  constructor(context: ControllerContext) {
    this.#context = context;
  }

  async reconcile(): Promise<void> {
    const { store } = this.#context;
    const pools = (await store.list("NodePool")).filter(
      (p) => staticReplicas(p) !== undefined && p.metadata.deletionTimestamp === undefined,
    );
    if (pools.length === 0) return;
    const [claims, nodes] = await Promise.all([store.list("NodeClaim"), store.list("Node")]);
    // Nodes on their way out for disruption (drift pre-spins a replacement first).
    const disrupting = new Set(
      nodes
        .filter((n) => (n.spec?.taints ?? []).some((t) => t.key === Taints.disrupted.key))
        .map((n) => n.metadata.name),
    );
    for (const pool of pools) {
      const name = pool.metadata.name ?? "";
      const replicas = staticReplicas(pool) ?? 0;
      const mine = claims.filter((c) => c.metadata.labels?.[Labels.nodePool] === name);
      // Karpenter counts only running claims for scale-down, not those being disrupted: a
      // replacement launched for a drifted node must not make the pool look overprovisioned.
      const active = mine.filter(
        (c) =>
          c.metadata.deletionTimestamp === undefined && !disrupting.has(c.status?.nodeName ?? ""),
      );
      if (mine.length < replicas && poolStatusReason(pool) === undefined)
        await this.#scaleUp(pool, replicas, mine.length);
      else this.#reported.delete(name);
      if (active.length > replicas) await this.#scaleDown(pool, active, active.length - replicas);
    }
  }

  async #scaleUp(pool: NodePool, replicas: number, total: number): Promise<void> {
    const name = pool.metadata.name ?? "";
    const limits = parseResources(pool.spec.limits);
    const nodeLimit =
      limits.ok && limits.resources[NodesResource] !== undefined
        ? limits.resources[NodesResource]
        : Number.POSITIVE_INFINITY;
    const count = Math.min(replicas, nodeLimit) - total;
    if (count <= 0) {
      this.#tell(
        name,
        "NodePoolNodeLimitReached",
        `limits.nodes ${nodeLimit} stops it short of ${replicas} replicas (${total} nodes)`,
      );
      return;
    }
    const defaulted = defaultNodePool(pool);
    const planned = staticClaim(defaulted, await catalogOf(this.#context));
    if (planned === undefined) {
      this.#tell(
        name,
        "NoCompatibleInstanceTypes",
        "no instance type satisfies the pool's requirements",
      );
      return;
    }
    this.#reported.delete(name);
    for (let i = 0; i < count; i++) {
      const created = await this.#context.store.create(
        nodeClaimFor({
          nodePool: defaulted,
          instanceTypeOptions: planned.instanceTypeOptions,
          zone: planned.zone,
          capacityType: planned.capacityType,
        }),
      );
      this.#context.events.record({
        kind: "NodeClaimCreated",
        object: `NodeClaim/${created.metadata.name}`,
        message: `for static NodePool ${name} (${total + i + 1} of ${replicas} replicas): ${planned.instanceType} (${planned.instanceTypeOptions.length} option(s)) ${planned.capacityType} in ${planned.zone}`,
      });
    }
  }

  async #scaleDown(pool: NodePool, active: readonly NodeClaim[], count: number): Promise<void> {
    const { store, clock, events } = this.#context;
    const [nodes, pods] = await Promise.all([store.list("Node"), store.list("Pod")]);
    const chosen = scaleDownCandidates(
      {
        claims: active,
        nodes,
        pods: pods.filter(
          (p) => p.spec.nodeName && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed",
        ),
        expireAfter: pool.spec.template.spec.expireAfter,
        now: clock.now().getTime(),
      },
      count,
    );
    const replicas = staticReplicas(pool) ?? 0;
    for (const claim of chosen) {
      try {
        await store.delete({ kind: "NodeClaim", name: claim.metadata.name ?? "" });
      } catch (error) {
        // Gone already (someone else deleted it): one node fewer, as wanted.
        if (error instanceof NotFoundError) continue;
        throw error;
      }
      // Karpenter's termination reason for a static pool above its replicas.
      events.record({
        kind: "NodeClaimDeleted",
        object: `NodeClaim/${claim.metadata.name}`,
        message: `overprovisioned: static NodePool ${pool.metadata.name} has ${active.length} nodes for ${replicas} replicas`,
      });
    }
  }

  /** An Event once per pool and cause, until it clears. */
  #tell(pool: string, kind: string, message: string): void {
    if (this.#reported.get(pool) === kind) return;
    this.#reported.set(pool, kind);
    this.#context.events.record({ kind, object: `NodePool/${pool}`, message });
  }
}
