import {
  BufferConditions,
  BufferNameLabel,
  type CapacityBuffer,
} from "../../api/capacitybuffer.ts";
import { isVirtualPod } from "../../api/capacitybuffer-pods.ts";
import type { Pod } from "../../api/pod.ts";
import { podKey } from "../../cluster/snapshot.ts";
import type { Plan } from "../../solver/plan.ts";
import type { ControllerContext } from "../context.ts";
import { type ConditionState, stamped } from "../nodeoverlay/conditions.ts";

/** Where one provisioning run put a buffer's virtual pods. */
export interface BufferPlacement {
  existing: number;
  requiresNewClaim: number;
  failed: number;
}

/** Counts each buffer's virtual pods by where the plan put them (Karpenter's classifyBufferPods). */
export function bufferPlacements(pods: readonly Pod[], plan: Plan): Map<string, BufferPlacement> {
  const bufferOf = new Map(
    pods
      .filter(isVirtualPod)
      .map((p) => [podKey(p), `${p.metadata.namespace}/${p.metadata.labels?.[BufferNameLabel]}`]),
  );
  const placements = new Map<string, BufferPlacement>();
  const count = (key: string, field: keyof BufferPlacement) => {
    const buffer = bufferOf.get(key);
    if (buffer === undefined) return;
    const placement = placements.get(buffer) ?? { existing: 0, requiresNewClaim: 0, failed: 0 };
    placement[field]++;
    placements.set(buffer, placement);
  };
  for (const node of plan.existingNodes) for (const key of node.pods) count(key, "existing");
  for (const claim of plan.nodeClaims) for (const key of claim.pods) count(key, "requiresNewClaim");
  for (const entry of plan.unschedulable) count(entry.pod, "failed");
  return placements;
}

/**
 * The Provisioning condition Karpenter's provisioner writes on a buffer after a run
 * (provisioning/buffers.go computeProvisioningCondition); undefined leaves it as it is.
 */
export function provisioningCondition(
  buffer: CapacityBuffer,
  placement: BufferPlacement | undefined,
): ConditionState | undefined {
  const type = BufferConditions.provisioning;
  const ready = buffer.status?.conditions?.find(
    (c) => c.type === BufferConditions.readyForProvisioning,
  );
  if (ready?.status !== "True")
    return {
      type,
      status: "False",
      reason: "NotReadyForProvisioning",
      message: "Buffer is not ReadyForProvisioning",
    };
  const desired = buffer.status?.replicas ?? 0;
  if (desired === 0)
    return {
      type,
      status: "False",
      reason: "BufferEmpty",
      message: "Buffer has zero desired replicas",
    };
  if (placement === undefined) return undefined;
  if (placement.requiresNewClaim > 0 || placement.failed > 0)
    return {
      type,
      status: "False",
      reason: "RequiresNewCapacity",
      message: `${placement.requiresNewClaim}/${desired} virtual pods required new capacity, ${placement.failed} failed`,
    };
  if (placement.existing === desired)
    return {
      type,
      status: "True",
      reason: "FitsExistingCapacity",
      message: `All ${desired} virtual pods fit on existing capacity`,
    };
  return undefined;
}

/** Writes every buffer's Provisioning condition after a provisioning run. */
export async function recordBufferProvisioning(
  context: ControllerContext,
  pods: readonly Pod[],
  plan: Plan,
): Promise<void> {
  const buffers = await context.store.list("CapacityBuffer");
  if (buffers.length === 0) return;
  const placements = bufferPlacements(pods, plan);
  const now = context.clock.now().toISOString();
  for (const buffer of buffers) {
    const key = `${buffer.metadata.namespace ?? "default"}/${buffer.metadata.name}`;
    const condition = provisioningCondition(buffer, placements.get(key));
    if (condition === undefined) continue;
    const previous = buffer.status?.conditions ?? [];
    const conditions = stamped([condition], previous, now, buffer.metadata.generation ?? 1);
    if (JSON.stringify(conditions) === JSON.stringify(previous)) continue;
    await context.store.update({ ...buffer, status: { ...buffer.status, conditions } });
  }
}
