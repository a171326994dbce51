import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NodeClaim } from "../../api/nodeclaim.ts";
import { catalogFromInstanceTypes } from "../../catalog/user-catalog.ts";
import { Operator } from "../../operator/operator.ts";
import type { InterruptionNotice, InterruptionQueue } from "../../ports/interruption-queue.ts";
import { SimulatedCloud } from "../../sim/cloud.ts";
import { Engine } from "../../sim/engine.ts";
import { InMemoryClusterStore } from "../../sim/store.ts";
import { instanceType } from "../../solver/fixtures.test-helpers.ts";
import { UnavailableOfferings } from "../lifecycle/unavailable-offerings.ts";

/** A queue with one spot warning, then a long poll that only an abort ends (as SQS's 20 s). */
function queueWithOneWarning(acks: string[]): InterruptionQueue & { reads: number } {
  const queue = {
    reads: 0,
    receive(signal: AbortSignal): Promise<readonly InterruptionNotice[]> {
      queue.reads++;
      if (queue.reads === 1)
        return Promise.resolve([
          {
            kind: "SpotInterruption",
            instanceIDs: ["i-0abc"],
            ack: async () => {
              acks.push("i-0abc");
            },
          },
        ]);
      return new Promise((_, reject) =>
        signal.addEventListener("abort", () => reject(new Error("aborted")), { once: true }),
      );
    },
  };
  return queue;
}

describe("the operator's interruption wiring", () => {
  it("a notice from the queue drains its claim without waiting for a pass, and stop aborts the pending long poll", async () => {
    const engine = new Engine(new Date("2026-01-01T00:00:00Z"));
    const store = new InMemoryClusterStore(() => new Date());
    const claim: NodeClaim = {
      apiVersion: "karpenter.sh/v1",
      kind: "NodeClaim",
      metadata: { name: "p-abcde", labels: { "karpenter.sh/nodepool": "p" } },
      spec: { nodeClassRef: { group: "g", kind: "k", name: "n" }, requirements: [] },
      status: { providerID: "aws:///z1/i-0abc" },
    };
    await store.create(claim);
    const acks: string[] = [];
    const errors: string[] = [];
    const operator = new Operator({
      context: {
        store,
        cloud: new SimulatedCloud(
          catalogFromInstanceTypes([instanceType("small", 2, 4, 0.02)]).catalog,
          engine,
        ),
        clock: { now: () => new Date() },
        events: { record: () => {} },
        unavailable: new UnavailableOfferings(),
      },
      nodeClasses: [],
      interruptions: queueWithOneWarning(acks),
      onError: (error, controller) => errors.push(`${controller}: ${String(error)}`),
    });
    operator.start();
    const deadline = Date.now() + 5_000;
    while (acks.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(acks, ["i-0abc"]);
    assert.equal(await store.get("NodeClaim", "p-abcde"), undefined, "the claim was deleted");
    const started = performance.now();
    await operator.stop();
    assert.ok(performance.now() - started < 1_000, "stop does not wait out the long poll");
    assert.deepEqual(
      errors.filter((e) => e.startsWith("interruption")),
      [],
    );
  });
});
