// The SQS interruption queue against moto's SQS, through the controller's own factory (so the SDK
// finds the endpoint in AWS_ENDPOINT_URL as it would in a cluster). Needs a moto server:
//   scripts/dev-cluster up --with-aws && eval "$(scripts/dev-cluster env)"
// or by hand: moto_server -H 127.0.0.1 -p 5055 & AWS_ENDPOINT_URL=http://127.0.0.1:5055
// then: node_modules/.bin/node --import tsx --test src/providers/aws/interruption/sqs-queue.moto.test.ts
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { before, describe, it } from "node:test";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { createLogger } from "../../../observability/log.ts";
import { sqsInterruptionQueue } from "./sqs-interruption-queue.ts";

const endpoint = process.env.AWS_ENDPOINT_URL;
const skip =
  endpoint === undefined || endpoint === ""
    ? 'AWS_ENDPOINT_URL is not set: run moto (scripts/dev-cluster up --with-aws; eval "$(scripts/dev-cluster env)")'
    : false;

const region = process.env.AWS_REGION ?? "us-west-2";
const lines: Record<string, unknown>[] = [];
const log = createLogger({
  level: "debug",
  format: "json",
  destination: new Writable({
    write(chunk, _, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  }),
});

function spotWarning(instanceID: string): string {
  return JSON.stringify({
    version: "0",
    id: `e-${instanceID}`,
    "detail-type": "EC2 Spot Instance Interruption Warning",
    source: "aws.ec2",
    account: "123456789012",
    time: new Date().toISOString(),
    region,
    resources: [`arn:aws:ec2:${region}:123456789012:instance/${instanceID}`],
    detail: { "instance-id": instanceID, "instance-action": "terminate" },
  });
}

describe("the SQS interruption queue against moto", { skip }, () => {
  let sqs: SQSClient;
  let url = "";
  const name = `carpool-interruption-${process.pid}-${Date.now()}`;
  const waiting = async () => {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    return (
      Number(Attributes?.ApproximateNumberOfMessages) +
      Number(Attributes?.ApproximateNumberOfMessagesNotVisible)
    );
  };

  before(async () => {
    // moto takes any credentials; the dev cluster's env exports test ones, a hand-run moto may not.
    process.env.AWS_ACCESS_KEY_ID ??= "testing";
    process.env.AWS_SECRET_ACCESS_KEY ??= "testing";
    sqs = new SQSClient({ region });
    url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl ?? "";
    assert.ok(url);
  });

  it("receives an EventBridge spot warning as a notice, deletes it on ack, and deletes junk at once", async () => {
    for (const body of [
      spotWarning("i-0123456789abcdef0"),
      "not an event",
      JSON.stringify({ version: "0", source: "aws.ec2", "detail-type": "EC2 AMI State Change" }),
    ])
      await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    const received: string[] = [];
    let deleted = 0;
    const queue = sqsInterruptionQueue({
      queueName: name,
      region,
      log,
      observer: {
        received: (type) => received.push(type),
        deleted: () => deleted++,
        handled: () => {},
      },
    });
    const notices = [];
    // SQS may hand out fewer messages than are waiting; read until all three came.
    for (let i = 0; i < 5 && received.length < 3; i++)
      notices.push(...(await queue.receive(new AbortController().signal)));
    assert.deepEqual(
      notices.map((n) => [n.kind, n.instanceIDs]),
      [["SpotInterruption", ["i-0123456789abcdef0"]]],
    );
    assert.deepEqual(received.sort(), ["no_op", "no_op", "spot_interrupted"]);
    assert.equal(deleted, 2, "the two messages not acted on are deleted at once");
    assert.equal(await waiting(), 1, "the notice's message stays until acknowledged");
    await notices[0]?.ack();
    assert.equal(deleted, 3);
    assert.equal(await waiting(), 0);
  });

  it("an aborted long poll ends at once, not after its 20 s", async () => {
    const queue = sqsInterruptionQueue({ queueName: name, region, log });
    const abort = new AbortController();
    const started = performance.now();
    const receiving = queue.receive(abort.signal);
    setTimeout(() => abort.abort(), 300);
    await assert.rejects(receiving);
    assert.ok(performance.now() - started < 5_000, `${performance.now() - started} ms`);
  });

  it("a queue that does not exist rejects (the poller logs it and backs off)", async () => {
    const queue = sqsInterruptionQueue({ queueName: `${name}-missing`, region, log });
    await assert.rejects(queue.receive(new AbortController().signal), /exist/i);
  });
});
