import type { Condition } from "../../api/meta.ts";
import type { NodeClaim } from "../../api/nodeclaim.ts";
import { defaultNodePool } from "../../api/nodepool.ts";
import { Labels } from "../../api/wellknown.ts";
import { driftOf } from "../../disruption/drift.ts";
import { parseDuration } from "../../disruption/duration.ts";
import type { DriftReason } from "../../disruption/reasons.ts";
import { renderDrift } from "../../render/disruption.ts";
import type { ControllerContext } from "../context.ts";
import { hasCondition } from "../lifecycle/lifecycle.ts";

/** Karpenter's drift reasons (cloudprovider.DriftReason and the AWS provider's), by carpool's codes. */
const DriftReasons: Readonly<Record<DriftReason["code"], string>> = {
  template_field: "NodePoolDrifted",
  template_hash: "NodePoolDrifted",
  requirements: "RequirementsDrifted",
  node_class_hash: "NodeClassDrift",
  ami: "AMIDrift",
  provider: "CloudProviderDrifted",
};

/**
 * Karpenter's NodeClaim disruption conditions, for people and tools reading the claims:
 * `Drifted=True` (with the reason and the field that changed) while the node no longer matches its
 * NodePool or node class, and `Consolidatable=True` once consolidateAfter has passed since its last
 * pod event. Each is removed when it no longer holds, as Karpenter clears them. The disruption
 * controller decides for itself; these conditions report, they do not drive.
 */
export class NodeClaimDisruptionConditions {
  readonly #context: ControllerContext;

  constructor(context: ControllerContext) {
    this.#context = context;
  }

  async reconcile(): Promise<void> {
    const { store, clock } = this.#context;
    const now = clock.now();
    const pools = new Map(
      (await store.list("NodePool")).map((p) => [p.metadata.name ?? "", defaultNodePool(p)]),
    );
    const nodes = new Map((await store.list("Node")).map((n) => [n.metadata.name ?? "", n]));
    const nodeClasses = await store.list("EC2NodeClass");
    for (const claim of await store.list("NodeClaim")) {
      if (claim.metadata.deletionTimestamp !== undefined || !hasCondition(claim, "Initialized"))
        continue;
      const pool = pools.get(claim.metadata.labels?.[Labels.nodePool] ?? "");
      const node = nodes.get(claim.status?.nodeName ?? "");
      if (pool === undefined || node === undefined) continue;
      const fromProvider = await this.#context.cloud.isDrifted(claim);
      const drift = [
        ...driftOf(pool, claim, node.metadata.labels ?? {}, nodeClasses),
        ...(fromProvider === undefined
          ? []
          : [{ code: "provider" as const, reason: fromProvider }]),
      ];
      const drifted =
        drift.length === 0
          ? undefined
          : {
              type: "Drifted",
              status: "True",
              reason: driftReason(drift[0]),
              message: drift.map(renderDrift).join("; "),
            };
      const after = parseDuration(pool.spec.disruption?.consolidateAfter ?? "0s");
      const since = Date.parse(
        claim.status?.lastPodEventTime ??
          claim.status?.conditions?.find((c) => c.type === "Initialized")?.lastTransitionTime ??
          "",
      );
      const consolidatable =
        Number.isFinite(after) && Number.isFinite(since) && now.getTime() >= since + after
          ? { type: "Consolidatable", status: "True", reason: "Consolidatable", message: "" }
          : undefined;
      await this.#write(claim, { Drifted: drifted, Consolidatable: consolidatable }, now);
    }
  }

  async #write(
    claim: NodeClaim,
    wanted: Record<"Drifted" | "Consolidatable", Omit<Condition, "lastTransitionTime"> | undefined>,
    now: Date,
  ): Promise<void> {
    const current = claim.status?.conditions ?? [];
    let changed = false;
    const conditions = current.filter((c) => {
      const keep = !(c.type in wanted) || wanted[c.type as keyof typeof wanted] !== undefined;
      if (!keep) changed = true;
      return keep;
    });
    for (const condition of Object.values(wanted)) {
      if (condition === undefined) continue;
      const index = conditions.findIndex((c) => c.type === condition.type);
      const before = conditions[index];
      if (
        before?.status === condition.status &&
        before.reason === condition.reason &&
        before.message === condition.message
      )
        continue;
      changed = true;
      const next = {
        ...condition,
        lastTransitionTime:
          before?.status === condition.status
            ? (before.lastTransitionTime ?? now.toISOString())
            : now.toISOString(),
      };
      if (index >= 0) conditions[index] = next;
      else conditions.push(next);
    }
    if (!changed) return;
    await this.#context.store.update({ ...claim, status: { ...claim.status, conditions } });
  }
}

/** Karpenter's Drifted reason: carpool's code mapped, or the provider's own reason (`AMIDrift`). */
function driftReason(first: DriftReason | undefined): string {
  if (first === undefined) return DriftReasons.template_hash;
  if (first.code === "provider" && /^[A-Z][A-Za-z]*$/.test(first.reason)) return first.reason;
  return DriftReasons[first.code];
}
