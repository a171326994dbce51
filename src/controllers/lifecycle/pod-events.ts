import type { ControllerContext } from "../context.ts";

/**
 * Karpenter's pod-events controller: a pod bound to or leaving a node sets its NodeClaim's
 * `status.lastPodEventTime`, from which consolidateAfter counts. Writes are skipped when the
 * recorded time is under 5 s old, as Karpenter dedupes them.
 */
export class PodEvents {
  readonly #context: ControllerContext;

  constructor(context: ControllerContext) {
    this.#context = context;
  }

  async record(nodeNames: Iterable<string>): Promise<void> {
    const names = new Set(nodeNames);
    if (names.size === 0) return;
    const now = this.#context.clock.now();
    for (const claim of await this.#context.store.list("NodeClaim")) {
      const nodeName = claim.status?.nodeName;
      if (nodeName === undefined || !names.has(nodeName)) continue;
      const last = Date.parse(claim.status?.lastPodEventTime ?? "");
      if (now.getTime() - last < 5000) continue;
      await this.#context.store.update({
        ...claim,
        status: { ...claim.status, lastPodEventTime: now.toISOString() },
      });
    }
  }
}
