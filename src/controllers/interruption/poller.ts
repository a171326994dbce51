import { setTimeout as sleep } from "node:timers/promises";
import type { InterruptionNotice, InterruptionQueue } from "../../ports/interruption-queue.ts";

/** After the queue fails this many times in a row, wait retryDelayMs(n) before reading again. */
const FirstRetryMs = 1_000;
const LongestRetryMs = 60_000;

/** Exponential backoff: 1 s, 2 s, 4 s … up to a minute, so a queue that is down is not hammered. */
export function retryDelayMs(failures: number): number {
  return Math.min(LongestRetryMs, FirstRetryMs * 2 ** Math.max(0, failures - 1));
}

export interface PollerOptions {
  /** Notices are waiting in take(). */
  readonly onArrival: () => void;
  /** Reading the queue failed; the poller waits `retryInMs` and reads again. */
  readonly onError: (error: unknown, retryInMs: number) => void;
  /** Waits (abortably); node's timers by default, a virtual clock in tests. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * Reads an interruption queue on its own, so a long poll never holds up the operator's passes: the
 * notices it receives wait in take() for the next pass, and the next read starts only once they
 * were taken (what waits is not read twice). stop() aborts a read in flight, so shutdown never
 * waits out a 20 s long poll.
 */
export class InterruptionPoller {
  readonly #queue: InterruptionQueue;
  readonly #options: PollerOptions;
  #waiting: InterruptionNotice[] = [];
  #taken: (() => void) | undefined;
  #abort: AbortController | undefined;
  #loop: Promise<void> | undefined;

  constructor(queue: InterruptionQueue, options: PollerOptions) {
    this.#queue = queue;
    this.#options = options;
  }

  start(): void {
    if (this.#loop !== undefined) return;
    const abort = new AbortController();
    this.#abort = abort;
    this.#loop = this.#run(abort.signal);
  }

  /** Aborts a read in flight and resolves once the loop has ended. */
  async stop(): Promise<void> {
    this.#abort?.abort();
    await this.#loop;
    this.#loop = undefined;
  }

  /** The notices received since the last call. */
  take(): InterruptionNotice[] {
    const notices = this.#waiting;
    this.#waiting = [];
    this.#taken?.();
    return notices;
  }

  async #run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let notices: readonly InterruptionNotice[];
      try {
        notices = await this.#queue.receive(signal);
        failures = 0;
      } catch (error) {
        if (signal.aborted) return;
        failures++;
        const delay = retryDelayMs(failures);
        this.#options.onError(error, delay);
        await this.#sleep(delay, signal);
        continue;
      }
      if (signal.aborted || notices.length === 0) continue;
      this.#waiting.push(...notices);
      let resolve = () => {};
      const taken = new Promise<void>((r) => {
        resolve = r;
      });
      this.#taken = resolve;
      signal.addEventListener("abort", resolve, { once: true });
      this.#options.onArrival();
      await taken;
      signal.removeEventListener("abort", resolve);
      this.#taken = undefined;
    }
  }

  async #sleep(ms: number, signal: AbortSignal): Promise<void> {
    const wait = this.#options.sleep ?? ((t, s) => sleep(t, undefined, { signal: s }));
    try {
      await wait(ms, signal);
    } catch (error) {
      if (!signal.aborted) throw error;
    }
  }
}
