import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { InterruptionNotice, InterruptionQueue } from "../../ports/interruption-queue.ts";
import { InterruptionPoller, retryDelayMs } from "./poller.ts";

const spot = (id: string): InterruptionNotice => ({
  kind: "SpotInterruption",
  instanceIDs: [id],
  ack: async () => {},
});

/** A queue answering from a script; past its end it waits, as a long poll does, until aborted. */
function scriptedQueue(script: (readonly InterruptionNotice[] | Error)[]) {
  let reads = 0;
  const queue: InterruptionQueue = {
    receive: (signal) => {
      const answer = script[reads++];
      if (answer instanceof Error) return Promise.reject(answer);
      if (answer !== undefined) return Promise.resolve(answer);
      return new Promise((_, reject) =>
        signal.addEventListener("abort", () => reject(new Error("aborted")), { once: true }),
      );
    },
  };
  return { queue, reads: () => reads };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("the interruption queue poller", () => {
  it("hands received notices to the next pass, and reads again only once they were taken", async () => {
    const { queue, reads } = scriptedQueue([[spot("i-1"), spot("i-2")], [spot("i-3")]]);
    let arrivals = 0;
    const poller = new InterruptionPoller(queue, {
      onArrival: () => arrivals++,
      onError: () => assert.fail("no error expected"),
    });
    poller.start();
    await tick();
    assert.equal(arrivals, 1);
    assert.equal(reads(), 1, "nothing more is read while notices wait");
    assert.deepEqual(
      poller.take().map((n) => n.instanceIDs[0]),
      ["i-1", "i-2"],
    );
    await tick();
    assert.equal(arrivals, 2);
    assert.deepEqual(
      poller.take().map((n) => n.instanceIDs[0]),
      ["i-3"],
    );
    assert.deepEqual(poller.take(), []);
    await poller.stop();
  });

  it("retries a failing queue with exponential backoff, reset by a read that works", async () => {
    const fail = new Error("SQS: ServiceUnavailable");
    const { queue } = scriptedQueue([fail, fail, fail, [spot("i-1")], fail]);
    const waits: number[] = [];
    const errors: number[] = [];
    const poller = new InterruptionPoller(queue, {
      onArrival: () => {},
      onError: (_, retryInMs) => errors.push(retryInMs),
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    poller.start();
    for (let i = 0; i < 5; i++) await tick();
    assert.deepEqual(waits, [1000, 2000, 4000]);
    assert.equal(poller.take().length, 1);
    for (let i = 0; i < 5; i++) await tick();
    assert.deepEqual(errors, [1000, 2000, 4000, 1000]);
    await poller.stop();
  });

  it("stop aborts a long poll in flight at once (shutdown does not wait 20 s)", async () => {
    const { queue } = scriptedQueue([]);
    const poller = new InterruptionPoller(queue, {
      onArrival: () => {},
      onError: () => assert.fail("an aborted read is not an error"),
    });
    poller.start();
    await tick();
    const started = performance.now();
    await poller.stop();
    assert.ok(performance.now() - started < 100);
  });

  it("stop ends a backoff wait and a wait for notices to be taken", async () => {
    for (const script of [[new Error("down")], [[spot("i-1")]]]) {
      const { queue } = scriptedQueue(script);
      const poller = new InterruptionPoller(queue, { onArrival: () => {}, onError: () => {} });
      poller.start();
      await tick();
      const started = performance.now();
      await poller.stop();
      assert.ok(performance.now() - started < 100);
    }
  });

  // Exponential backoff from 1 s, doubled per failure, capped at a minute.
  const delays: [failures: number, ms: number][] = [
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [6, 32_000],
    [7, 60_000],
    [50, 60_000],
  ];
  for (const [failures, ms] of delays)
    it(`after ${failures} failure(s) in a row the next read waits ${ms} ms`, () => {
      assert.equal(retryDelayMs(failures), ms);
    });
});
