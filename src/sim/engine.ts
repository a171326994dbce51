import type { Clock } from "../ports/clock.ts";

interface Scheduled {
  readonly at: number;
  readonly seq: number;
  readonly action: () => Promise<void> | void;
}

/**
 * A discrete-event engine on a virtual clock: actions run in time order (ties in the order they
 * were scheduled), each to completion, and time jumps from one to the next — nothing sleeps.
 */
export class Engine implements Clock {
  readonly #start: number;
  #now: number;
  #seq = 0;
  readonly #queue: Scheduled[] = [];

  constructor(start: Date) {
    this.#start = start.getTime();
    this.#now = this.#start;
  }

  now(): Date {
    return new Date(this.#now);
  }

  /** Milliseconds of virtual time since the start. */
  elapsed(): number {
    return this.#now - this.#start;
  }

  /** Runs the action `delayMs` from now (0: after what is already due now). */
  after(delayMs: number, action: Scheduled["action"]): void {
    this.#push({ at: this.#now + Math.max(0, delayMs), seq: this.#seq++, action });
  }

  /** Runs until the queue is empty or the next action is past `untilMs` of elapsed time. */
  async run(untilMs: number, onStep?: () => void): Promise<void> {
    const end = this.#start + untilMs;
    for (;;) {
      const next = this.#pop();
      if (next === undefined) break;
      if (next.at > end) {
        this.#push(next);
        break;
      }
      this.#now = next.at;
      await next.action();
      onStep?.();
    }
    this.#now = Math.max(this.#now, end);
  }

  // A binary heap ordered by (at, seq).
  #push(item: Scheduled): void {
    const q = this.#queue;
    q.push(item);
    let i = q.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(q[i] as Scheduled, q[parent] as Scheduled)) break;
      [q[i], q[parent]] = [q[parent] as Scheduled, q[i] as Scheduled];
      i = parent;
    }
  }

  #pop(): Scheduled | undefined {
    const q = this.#queue;
    const top = q[0];
    const last = q.pop();
    if (q.length > 0 && last !== undefined) {
      q[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < q.length && before(q[l] as Scheduled, q[m] as Scheduled)) m = l;
        if (r < q.length && before(q[r] as Scheduled, q[m] as Scheduled)) m = r;
        if (m === i) break;
        [q[i], q[m]] = [q[m] as Scheduled, q[i] as Scheduled];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Scheduled, b: Scheduled): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
