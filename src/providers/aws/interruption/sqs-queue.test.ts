import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import {
  DeleteMessageCommand,
  GetQueueUrlCommand,
  type Message,
  ReceiveMessageCommand,
} from "@aws-sdk/client-sqs";
import { createLogger } from "../../../observability/log.ts";
import { type SqsClient, SqsInterruptionQueue } from "./sqs-queue.ts";

const url = "https://sqs.us-west-2.amazonaws.com/123456789012/carpool-interruption";

/**
 * An in-process SQS: answers GetQueueUrl for one queue, ReceiveMessage from a script (messages, or
 * an error), DeleteMessage by receipt handle; records every command with its options.
 */
class ScriptedSqs implements SqsClient {
  readonly sent: { name: string; input: Record<string, unknown>; signal?: AbortSignal }[] = [];
  readonly deleted: string[] = [];
  failDeletes = false;
  readonly #receives: (Message[] | Error)[];

  constructor(receives: (Message[] | Error)[]) {
    this.#receives = receives;
  }

  async send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown> {
    const { input } = command as { input: Record<string, unknown> };
    this.sent.push({
      name: command.constructor.name,
      input,
      ...(options?.abortSignal && { signal: options.abortSignal }),
    });
    if (command instanceof GetQueueUrlCommand) {
      if (input.QueueName !== "carpool-interruption")
        throw Object.assign(new Error("The specified queue does not exist."), {
          name: "QueueDoesNotExist",
        });
      return { QueueUrl: url };
    }
    if (command instanceof ReceiveMessageCommand) {
      const answer = this.#receives.shift() ?? [];
      if (answer instanceof Error) throw answer;
      return { Messages: answer };
    }
    if (command instanceof DeleteMessageCommand) {
      if (this.failDeletes) throw new Error("AccessDenied");
      this.deleted.push(String(input.ReceiptHandle));
      return {};
    }
    throw new Error(`not scripted: ${command.constructor.name}`);
  }
}

function message(n: number, body: string): Message {
  return { MessageId: `m-${n}`, ReceiptHandle: `r-${n}`, Body: body };
}

function event(detailType: string, detail: object, time = "2026-03-04T05:06:07Z"): string {
  const source = detailType === "AWS Health Event" ? "aws.health" : "aws.ec2";
  return JSON.stringify({
    version: "0",
    id: "e-1",
    "detail-type": detailType,
    source,
    time,
    detail,
  });
}

function setup(receives: (Message[] | Error)[], queueName = "carpool-interruption") {
  const client = new ScriptedSqs(receives);
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const counts = { received: [] as string[], deleted: 0, handled: [] as number[] };
  const queue = new SqsInterruptionQueue({
    client,
    queueName,
    log: createLogger({ level: "debug", format: "json", destination }),
    now: () => new Date("2026-03-04T05:06:10Z"),
    observer: {
      received: (type) => counts.received.push(type),
      deleted: () => counts.deleted++,
      handled: (seconds) => counts.handled.push(seconds),
    },
  });
  return { client, queue, lines, counts };
}

const signal = new AbortController().signal;
const spotBody = event("EC2 Spot Instance Interruption Warning", {
  "instance-id": "i-0123456789abcdef0",
  "instance-action": "terminate",
});

describe("the SQS interruption queue", () => {
  it("looks the URL up once, then long-polls as Karpenter does (10 messages, 20 s wait, 20 s visibility)", async () => {
    const { client, queue } = setup([[], []]);
    await queue.receive(signal);
    await queue.receive(signal);
    assert.deepEqual(
      client.sent.map((c) => c.name),
      ["GetQueueUrlCommand", "ReceiveMessageCommand", "ReceiveMessageCommand"],
    );
    assert.deepEqual(client.sent[1]?.input, {
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 20,
      VisibilityTimeout: 20,
    });
    assert.equal(client.sent[1]?.signal, signal, "the long poll is abortable");
  });

  it("turns each EC2 event into a notice by instance ID, deleted only when acknowledged", async () => {
    const { client, queue, counts } = setup([
      [
        message(1, spotBody),
        message(
          2,
          event("EC2 Instance State-change Notification", {
            "instance-id": "i-0fedcba9876543210",
            state: "stopping",
          }),
        ),
        message(
          3,
          event("EC2 Instance State-change Notification", {
            "instance-id": "i-0aaaabbbbccccdddd",
            state: "shutting-down",
          }),
        ),
        message(
          4,
          event("AWS Health Event", {
            service: "EC2",
            eventTypeCategory: "scheduledChange",
            eventTypeCode: "EC2_INSTANCE_REBOOT_MAINTENANCE_SCHEDULED",
            affectedEntities: [{ entityValue: "i-01" }, { entityValue: "i-02" }],
          }),
        ),
        message(
          5,
          event("EC2 Instance Rebalance Recommendation", { "instance-id": "i-0123456789abcdef0" }),
        ),
      ],
    ]);
    const notices = await queue.receive(signal);
    assert.deepEqual(
      notices.map((n) => [n.kind, n.instanceIDs]),
      [
        ["SpotInterruption", ["i-0123456789abcdef0"]],
        ["InstanceStopping", ["i-0fedcba9876543210"]],
        ["InstanceTerminating", ["i-0aaaabbbbccccdddd"]],
        ["ScheduledChange", ["i-01", "i-02"]],
        ["RebalanceRecommendation", ["i-0123456789abcdef0"]],
      ],
    );
    assert.deepEqual(client.deleted, [], "nothing is deleted before it is handled");
    await notices[0]?.ack();
    await notices[0]?.ack();
    await notices[3]?.ack();
    assert.deepEqual(client.deleted, ["r-1", "r-4"], "each acknowledged message deleted once");
    assert.deepEqual(counts.received, [
      "spot_interrupted",
      "instance_stopped",
      "instance_terminated",
      "scheduled_change",
      "rebalance_recommendation",
    ]);
    assert.equal(counts.deleted, 2);
    assert.deepEqual(counts.handled, [3, 3], "seconds since the event's time");
  });

  it("deletes a malformed or unknown message at once and logs its IDs and reason, never its body", async () => {
    const secretish = "AKIAEXAMPLEKEY-in-a-body";
    const { client, queue, lines, counts } = setup([
      [
        message(1, `not json ${secretish}`),
        message(2, event("EC2 AMI State Change", { note: secretish })),
        message(
          3,
          event("EC2 Instance State-change Notification", {
            "instance-id": "i-1",
            state: "running",
          }),
        ),
        { MessageId: "m-4", ReceiptHandle: "r-4" },
      ],
    ]);
    assert.deepEqual(await queue.receive(signal), []);
    assert.deepEqual(client.deleted, ["r-1", "r-2", "r-3", "r-4"]);
    assert.deepEqual(counts.received, ["no_op", "no_op", "no_op", "no_op"]);
    assert.equal(counts.deleted, 4);
    const warnings = lines.filter(
      (l) => l.message === "interruption message not acted on; deleting it",
    );
    assert.deepEqual(
      warnings.map((l) => [l.messageId, l.reason]),
      [
        ["m-1", "the body is not JSON"],
        ["m-2", 'aws.ec2 "EC2 AMI State Change" is not acted on'],
        [
          "m-3",
          "detail.state: running is not acted on (only stopping, stopped, shutting-down, terminated)",
        ],
        ["m-4", "the body is not JSON"],
      ],
    );
    assert.ok(!JSON.stringify(lines).includes(secretish), "no body reaches the log");
  });

  it("a failed delete is logged, never thrown: the message is received again", async () => {
    const { client, queue, lines } = setup([[message(1, spotBody)]]);
    client.failDeletes = true;
    const [notice] = await queue.receive(signal);
    await notice?.ack();
    assert.ok(
      lines.some((l) => String(l.message).includes("not deleted") && l.messageId === "m-1"),
    );
  });

  it("a ReceiveMessage error rejects (the poller backs off) and the URL is looked up again", async () => {
    const { client, queue } = setup([new Error("ServiceUnavailable"), []]);
    await assert.rejects(queue.receive(signal), /ServiceUnavailable/);
    await queue.receive(signal);
    assert.deepEqual(
      client.sent.map((c) => c.name),
      [
        "GetQueueUrlCommand",
        "ReceiveMessageCommand",
        "GetQueueUrlCommand",
        "ReceiveMessageCommand",
      ],
    );
  });

  it("a queue that does not exist rejects with SQS's error", async () => {
    const { queue } = setup([], "no-such-queue");
    await assert.rejects(queue.receive(signal), { name: "QueueDoesNotExist" });
  });
});
