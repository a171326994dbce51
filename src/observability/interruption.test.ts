import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Registry } from "prom-client";
import { interruptionMetrics } from "./interruption.ts";

describe("interruption metrics", () => {
  it("counts under Karpenter's v1 names and labels (karpenter_interruption_*)", async () => {
    const registry = new Registry();
    const counts = interruptionMetrics(registry);
    counts.received("spot_interrupted");
    counts.received("spot_interrupted");
    counts.received("no_op");
    counts.deleted();
    counts.handled(3);
    const text = await registry.metrics();
    assert.match(
      text,
      /^karpenter_interruption_received_messages_total\{message_type="spot_interrupted"\} 2$/m,
    );
    assert.match(
      text,
      /^karpenter_interruption_received_messages_total\{message_type="no_op"\} 1$/m,
    );
    assert.match(text, /^karpenter_interruption_deleted_messages_total 1$/m);
    assert.match(text, /^karpenter_interruption_message_queue_duration_seconds_count 1$/m);
    assert.match(text, /^karpenter_interruption_message_queue_duration_seconds_sum 3$/m);
  });
});
