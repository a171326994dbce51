import {
  ActiveCapacityStrategy,
  BufferConditions,
  type CapacityBuffer,
} from "../../api/capacitybuffer.ts";
import { resolveBuffer } from "../../api/capacitybuffer-pods.ts";
import type { ControllerContext } from "../context.ts";
import { type ConditionState, stamped } from "../nodeoverlay/conditions.ts";
import { bufferSources } from "./sources.ts";

/**
 * The CapacityBuffer controller (Karpenter's pkg/controllers/capacitybuffer controller.go):
 * resolves each buffer's chunk from its PodTemplate or workload and writes what provisioning will
 * keep room for: `status.replicas`, `status.podTemplateRef` and its generation (a PodTemplate
 * only), `status.provisioningStrategy`, and `ReadyForProvisioning` — True (Resolved), or False
 * with PodTemplateNotFound, ScalableRefNotFound or ResolutionFailed and the reason in words.
 */
export class CapacityBufferStatus {
  readonly #context: ControllerContext;

  constructor(context: ControllerContext) {
    this.#context = context;
  }

  async reconcile(): Promise<void> {
    const { store } = this.#context;
    const buffers = await store.list("CapacityBuffer");
    if (buffers.length === 0) return;
    const sources = await bufferSources(store);
    for (const buffer of buffers) await this.#write(buffer, bufferStatus(buffer, sources));
  }

  async #write(buffer: CapacityBuffer, next: BufferStatus): Promise<void> {
    const previous = buffer.status?.conditions ?? [];
    const now = this.#context.clock.now().toISOString();
    const { condition, ...fields } = next;
    const conditions = stamped([condition], previous, now, buffer.metadata.generation ?? 1);
    const {
      podTemplateRef: _ref,
      podTemplateGeneration: _generation,
      ...kept
    } = buffer.status ?? {};
    const status = { ...kept, ...fields, conditions };
    if (JSON.stringify(status) === JSON.stringify(buffer.status ?? {})) return;
    await this.#context.store.update({ ...buffer, status });
  }
}

interface BufferStatus {
  readonly condition: ConditionState;
  readonly provisioningStrategy?: string;
  readonly replicas?: number;
  readonly podTemplateRef?: { readonly name: string };
  readonly podTemplateGeneration?: number;
}

/** The status Karpenter's controller computes for a buffer from what its references name. */
export function bufferStatus(
  buffer: CapacityBuffer,
  sources: Parameters<typeof resolveBuffer>[1],
): BufferStatus {
  const type = BufferConditions.readyForProvisioning;
  const strategy = {
    provisioningStrategy: buffer.spec.provisioningStrategy ?? ActiveCapacityStrategy,
  };
  const resolved = resolveBuffer(buffer, sources);
  if (!resolved.ok)
    return {
      ...strategy,
      ...(buffer.status?.replicas !== undefined && { replicas: buffer.status.replicas }),
      condition: { type, status: "False", reason: resolved.reason, message: resolved.message },
    };
  const template = resolved.podTemplate;
  return {
    ...strategy,
    replicas: resolved.replicas,
    ...(template !== undefined && {
      podTemplateRef: { name: template.metadata.name ?? "" },
      podTemplateGeneration: template.metadata.generation ?? 1,
    }),
    condition: {
      type,
      status: "True",
      reason: "Resolved",
      message: "Pod template resolved successfully",
    },
  };
}
