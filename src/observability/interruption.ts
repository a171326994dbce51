import { Counter, Histogram, type Registry } from "prom-client";
import { DurationBuckets } from "./metrics.ts";

/** What an interruption queue reports as it reads (the SQS queue's observer). */
export interface InterruptionQueueCounts {
  received(messageType: string): void;
  deleted(): void;
  handled(queuedSeconds: number): void;
}

/**
 * Karpenter's interruption metrics (karpenter-provider-aws pkg/controllers/interruption/metrics.go,
 * v1 names): messages received by `message_type`, messages deleted, and how long a message waited
 * on the queue before it was handled. Registered only when a queue is configured, as Karpenter
 * runs its interruption controller only then.
 */
export function interruptionMetrics(registry: Registry): InterruptionQueueCounts {
  const registers = [registry];
  const received = new Counter({
    name: "karpenter_interruption_received_messages_total",
    help: "Count of messages received from the SQS queue. Broken down by message type.",
    labelNames: ["message_type"],
    registers,
  });
  const deleted = new Counter({
    name: "karpenter_interruption_deleted_messages_total",
    help: "Count of messages deleted from the SQS queue.",
    registers,
  });
  const queued = new Histogram({
    name: "karpenter_interruption_message_queue_duration_seconds",
    help: "Amount of time an interruption message is on the queue before it is processed.",
    buckets: [...DurationBuckets],
    registers,
  });
  return {
    received: (messageType) => received.inc({ message_type: messageType }),
    deleted: () => deleted.inc(),
    handled: (seconds) => queued.observe(seconds),
  };
}
