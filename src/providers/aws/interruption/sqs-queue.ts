import {
  DeleteMessageCommand,
  GetQueueUrlCommand,
  type GetQueueUrlCommandOutput,
  type Message,
  ReceiveMessageCommand,
  type ReceiveMessageCommandOutput,
} from "@aws-sdk/client-sqs";
import type { Logger } from "pino";
import type {
  InterruptionKind,
  InterruptionNotice,
  InterruptionQueue,
} from "../../../ports/interruption-queue.ts";
import { type InterruptionMessage, messageType } from "./message.ts";
import { parseInterruptionMessage } from "./parse-message.ts";

/** The part of the SDK's SQSClient used here, so tests can script it. */
export interface SqsClient {
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** Counts for Karpenter's interruption metrics; the queue stays free of prom-client. */
export interface SqsQueueObserver {
  /** A message arrived, by Karpenter's `message_type` (`no_op` for one not acted on). */
  received(messageType: string): void;
  deleted(): void;
  /** A message was acted on this long after its event was emitted. */
  handled(queuedSeconds: number): void;
}

export interface SqsQueueOptions {
  readonly client: SqsClient;
  /** The queue's name (`--interruption-queue`); its URL is looked up with GetQueueUrl. */
  readonly queueName: string;
  readonly log: Logger;
  readonly observer?: SqsQueueObserver;
  readonly now?: () => Date;
}

/** Karpenter's receive: up to 10 messages, a 20 s long poll (SQS's longest), hidden 20 s while handled. */
const MaxMessages = 10;
const WaitSeconds = 20;
const VisibilitySeconds = 20;

/**
 * Interruption notices from an SQS queue that EventBridge rules feed (docs/eks-interruption.md),
 * as Karpenter's AWS provider reads it. A message is deleted once its notice is acknowledged; one
 * that is not an event carpool acts on is logged by its IDs and deleted at once. Bodies are never
 * logged.
 */
export class SqsInterruptionQueue implements InterruptionQueue {
  readonly #options: SqsQueueOptions;
  #url: string | undefined;

  constructor(options: SqsQueueOptions) {
    this.#options = options;
  }

  async receive(signal: AbortSignal): Promise<readonly InterruptionNotice[]> {
    const { client } = this.#options;
    const url = await this.#queueURL(signal);
    let answer: ReceiveMessageCommandOutput;
    try {
      answer = (await client.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: MaxMessages,
          WaitTimeSeconds: WaitSeconds,
          VisibilityTimeout: VisibilitySeconds,
        }),
        { abortSignal: signal },
      )) as ReceiveMessageCommandOutput;
    } catch (error) {
      // A queue deleted and created again has a new URL: look it up again after any failure.
      this.#url = undefined;
      throw error;
    }
    const notices: InterruptionNotice[] = [];
    for (const raw of answer.Messages ?? []) {
      const message = parseInterruptionMessage(raw.Body ?? "");
      this.#options.observer?.received(messageType(message));
      if (message.kind === "Unknown") {
        this.#options.log.warn(
          { messageId: raw.MessageId, eventId: message.id, reason: message.reason },
          "interruption message not acted on; deleting it",
        );
        await this.#delete(url, raw);
        continue;
      }
      this.#options.log.info(
        { messageId: raw.MessageId, kind: message.kind, instanceIDs: message.instanceIDs },
        "interruption message received",
      );
      notices.push(this.#notice(url, raw, message));
    }
    return notices;
  }

  #notice(
    url: string,
    raw: Message,
    message: Exclude<InterruptionMessage, { kind: "Unknown" }>,
  ): InterruptionNotice {
    let acknowledged = false;
    return {
      kind: noticeKind(message),
      instanceIDs: message.instanceIDs,
      ack: async () => {
        if (acknowledged) return;
        acknowledged = true;
        const now = this.#options.now?.() ?? new Date();
        this.#options.observer?.handled(Math.max(0, now.getTime() - message.time.getTime()) / 1000);
        await this.#delete(url, raw);
      },
    };
  }

  async #queueURL(signal: AbortSignal): Promise<string> {
    if (this.#url !== undefined) return this.#url;
    const { client, queueName } = this.#options;
    const answer = (await client.send(new GetQueueUrlCommand({ QueueName: queueName }), {
      abortSignal: signal,
    })) as GetQueueUrlCommandOutput;
    if (answer.QueueUrl === undefined)
      throw new Error(`GetQueueUrl for ${queueName} answered no QueueUrl`);
    this.#url = answer.QueueUrl;
    return answer.QueueUrl;
  }

  /** Deletes a message; a failure is logged, and SQS hands the message out again later. */
  async #delete(url: string, raw: Message): Promise<void> {
    try {
      await this.#options.client.send(
        new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: raw.ReceiptHandle }),
      );
      this.#options.observer?.deleted();
    } catch (error) {
      this.#options.log.error(
        { messageId: raw.MessageId, error: error instanceof Error ? error.message : String(error) },
        "interruption message not deleted; it will be received again",
      );
    }
  }
}

/** Karpenter's handling: stopping and stopped are a stop, shutting-down and terminated an end. */
function noticeKind(message: Exclude<InterruptionMessage, { kind: "Unknown" }>): InterruptionKind {
  if (message.kind !== "StateChange") return message.kind;
  return message.state === "stopping" || message.state === "stopped"
    ? "InstanceStopping"
    : "InstanceTerminating";
}
