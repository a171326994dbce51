import { type NodeOverlay, ValidationSucceeded } from "../../api/nodeoverlay.ts";
import { evaluateNodeOverlays, type OverlayOutcome } from "../../catalog/overlay.ts";
import { type ControllerContext, catalogOf } from "../context.ts";
import { type ConditionState, stamped } from "./conditions.ts";

/**
 * The NodeOverlay status controller (Karpenter's pkg/controllers/nodeoverlay controller.go): all
 * overlays are evaluated together against every NodePool's instance types, as decisions apply
 * them (catalog/overlay.ts), and each says how it fared: `ValidationSucceeded` True, or False with
 * reason `RuntimeValidation` (its requirements or fields are refused) or `Conflict` (an overlay of
 * the same weight changes the same offering's price or the same resource); `Ready` follows it.
 */
export class NodeOverlayStatus {
  readonly #context: ControllerContext;

  constructor(context: ControllerContext) {
    this.#context = context;
  }

  async reconcile(): Promise<void> {
    const { store } = this.#context;
    const overlays = await store.list("NodeOverlay");
    if (overlays.length === 0) return;
    const nodePools = await store.list("NodePool");
    const { instanceTypes } = await catalogOf(this.#context, { overlays: false });
    const evaluation = evaluateNodeOverlays(overlays, nodePools, instanceTypes);
    const outcomes = new Map(evaluation.verdicts.map((v) => [v.name, v.outcome]));
    for (const overlay of overlays) {
      const outcome = outcomes.get(overlay.metadata.name ?? "");
      if (outcome !== undefined) await this.#write(overlay, overlayConditions(outcome));
    }
  }

  async #write(overlay: NodeOverlay, next: readonly ConditionState[]): Promise<void> {
    const previous = overlay.status?.conditions ?? [];
    const now = this.#context.clock.now().toISOString();
    const conditions = stamped(next, previous, now, overlay.metadata.generation ?? 1);
    if (JSON.stringify(conditions) === JSON.stringify(previous)) return;
    await this.#context.store.update({ ...overlay, status: { ...overlay.status, conditions } });
    const validation = next.find((c) => c.type === ValidationSucceeded);
    const before = previous.find((c) => c.type === ValidationSucceeded);
    if (validation?.status === "False" && before?.status !== "False")
      this.#context.events.record({
        kind: "NodeOverlayNotReady",
        object: `NodeOverlay/${overlay.metadata.name}`,
        message: `${ValidationSucceeded}=False (${validation.reason}): ${validation.message}`,
      });
  }
}

/**
 * The conditions Karpenter's controller sets for an outcome, with Ready as operatorpkg derives its
 * root condition (True when every dependent is; else False, UnhealthyDependents).
 */
export function overlayConditions(outcome: OverlayOutcome): ConditionState[] {
  const validation: ConditionState =
    outcome.kind === "applied"
      ? { type: ValidationSucceeded, status: "True", reason: ValidationSucceeded, message: "" }
      : outcome.kind === "conflict"
        ? {
            type: ValidationSucceeded,
            status: "False",
            reason: "Conflict",
            message: "conflict with another overlay",
          }
        : {
            type: ValidationSucceeded,
            status: "False",
            reason: "RuntimeValidation",
            message: outcome.errors.map((e) => `${e.path}: ${e.message}`).join("; "),
          };
  const ready: ConditionState =
    validation.status === "True"
      ? { type: "Ready", status: "True", reason: "Ready", message: "" }
      : {
          type: "Ready",
          status: "False",
          reason: "UnhealthyDependents",
          message: `${ValidationSucceeded}=False`,
        };
  return [validation, ready];
}
