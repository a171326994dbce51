/** Karpenter's batching of pending pods: wait for 1 s without new ones, at most 10 s in all. */
export const BatchIdleMs = 1000;
export const BatchMaxMs = 10_000;

/** When to provision: after a quiet second, or ten seconds after the first pod of the batch. */
export class Batcher {
  #first: number | undefined;
  #last: number | undefined;

  /** A new pending pod was seen now. */
  observe(nowMs: number): void {
    this.#first ??= nowMs;
    this.#last = nowMs;
  }

  /** When the open batch is due, if one is open. */
  dueAt(): number | undefined {
    if (this.#first === undefined || this.#last === undefined) return undefined;
    return Math.min(this.#first + BatchMaxMs, this.#last + BatchIdleMs);
  }

  reset(): void {
    this.#first = undefined;
    this.#last = undefined;
  }
}
