import { SQSClient } from "@aws-sdk/client-sqs";
import type { Logger } from "pino";
import type { InterruptionQueue } from "../../../ports/interruption-queue.ts";
import { SqsInterruptionQueue, type SqsQueueObserver } from "./sqs-queue.ts";

/**
 * The controller's interruption queue (`--interruption-queue NAME`): an SQS client for the region,
 * with the SDK's own credential chain and endpoint settings (`AWS_ENDPOINT_URL`,
 * `AWS_ENDPOINT_URL_SQS`), so a local SQS stand-in such as moto works unchanged.
 */
export function sqsInterruptionQueue(options: {
  readonly queueName: string;
  readonly region: string;
  readonly log: Logger;
  readonly observer?: SqsQueueObserver;
}): InterruptionQueue {
  return new SqsInterruptionQueue({
    // The SDK's endpoint (AWS_ENDPOINT_URL, a VPC endpoint), not the host in the queue URL.
    client: new SQSClient({ region: options.region, useQueueUrlAsEndpoint: false }),
    queueName: options.queueName,
    log: options.log,
    ...(options.observer && { observer: options.observer }),
  });
}
