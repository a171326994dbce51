import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type InterruptionMessage, messageType } from "./message.ts";
import { parseInterruptionMessage } from "./parse-message.ts";

/** An EventBridge envelope (EventBridge User Guide, "Amazon EventBridge events") around a detail. */
function event(source: string, detailType: string, detail: unknown, extra: object = {}): string {
  return JSON.stringify({
    version: "0",
    id: "7bf73129-1428-4cd3-a780-95db273d1602",
    "detail-type": detailType,
    source,
    account: "123456789012",
    time: "2026-03-04T05:06:07Z",
    region: "us-west-2",
    resources: ["arn:aws:ec2:us-west-2:123456789012:instance/i-0123456789abcdef0"],
    detail,
    ...extra,
  });
}

const time = new Date("2026-03-04T05:06:07Z");
const id = "7bf73129-1428-4cd3-a780-95db273d1602";
const healthDetail = {
  eventArn:
    "arn:aws:health:us-west-2::event/EC2/EC2_INSTANCE_RETIREMENT_SCHEDULED/EC2_INSTANCE_RETIREMENT_SCHEDULED_a1b2",
  service: "EC2",
  eventTypeCode: "EC2_INSTANCE_RETIREMENT_SCHEDULED",
  eventTypeCategory: "scheduledChange",
  startTime: "Sat, 14 Mar 2026 09:00:00 GMT",
  endTime: "Sat, 14 Mar 2026 11:00:00 GMT",
  eventDescription: [{ language: "en_US", latestDescription: "The instance will be retired." }],
  affectedEntities: [
    { entityValue: "i-0123456789abcdef0" },
    { entityValue: "i-0fedcba9876543210" },
  ],
};

describe("parsing an interruption queue message", () => {
  // Karpenter's parsers (pkg/controllers/interruption/messages/*/parser.go) over the event shapes
  // of the EC2 and AWS Health documentation.
  const rows: { name: string; body: string; expected: InterruptionMessage; type: string }[] = [
    {
      name: "EC2 Spot Instance Interruption Warning: its instance-id and instance-action",
      body: event("aws.ec2", "EC2 Spot Instance Interruption Warning", {
        "instance-id": "i-0123456789abcdef0",
        "instance-action": "terminate",
      }),
      expected: {
        kind: "SpotInterruption",
        id,
        time,
        instanceIDs: ["i-0123456789abcdef0"],
        instanceAction: "terminate",
      },
      type: "spot_interrupted",
    },
    {
      name: "EC2 Instance Rebalance Recommendation: its instance-id",
      body: event("aws.ec2", "EC2 Instance Rebalance Recommendation", {
        "instance-id": "i-0123456789abcdef0",
      }),
      expected: { kind: "RebalanceRecommendation", id, time, instanceIDs: ["i-0123456789abcdef0"] },
      type: "rebalance_recommendation",
    },
    {
      name: "AWS Health Event, EC2 scheduledChange: every affected entity is an instance",
      body: event("aws.health", "AWS Health Event", healthDetail),
      expected: {
        kind: "ScheduledChange",
        id,
        time,
        instanceIDs: ["i-0123456789abcdef0", "i-0fedcba9876543210"],
        eventTypeCode: "EC2_INSTANCE_RETIREMENT_SCHEDULED",
      },
      type: "scheduled_change",
    },
    ...(["stopping", "stopped", "shutting-down", "terminated"] as const).map((state) => ({
      name: `EC2 Instance State-change Notification, ${state}: acted on`,
      body: event("aws.ec2", "EC2 Instance State-change Notification", {
        "instance-id": "i-0123456789abcdef0",
        state,
      }),
      expected: {
        kind: "StateChange" as const,
        id,
        time,
        instanceIDs: ["i-0123456789abcdef0"],
        state,
      },
      type: state.startsWith("stop") ? "instance_stopped" : "instance_terminated",
    })),
    {
      name: "State-change to running: not one Karpenter acts on",
      body: event("aws.ec2", "EC2 Instance State-change Notification", {
        "instance-id": "i-0123456789abcdef0",
        state: "running",
      }),
      expected: {
        kind: "Unknown",
        id,
        reason:
          "detail.state: running is not acted on (only stopping, stopped, shutting-down, terminated)",
      },
      type: "no_op",
    },
    {
      name: "AWS Health Event of another service: ignored (Karpenter accepts EC2 only)",
      body: event("aws.health", "AWS Health Event", { ...healthDetail, service: "RDS" }),
      expected: {
        kind: "Unknown",
        id,
        reason:
          "detail: service RDS category scheduledChange is not acted on (only EC2 scheduledChange)",
      },
      type: "no_op",
    },
    {
      name: "AWS Health Event of EC2 but an issue, not a scheduled change: ignored",
      body: event("aws.health", "AWS Health Event", {
        ...healthDetail,
        eventTypeCategory: "issue",
      }),
      expected: {
        kind: "Unknown",
        id,
        reason: "detail: service EC2 category issue is not acted on (only EC2 scheduledChange)",
      },
      type: "no_op",
    },
    {
      name: "an affected entity without entityValue: the field path",
      body: event("aws.health", "AWS Health Event", {
        ...healthDetail,
        affectedEntities: [{ entityValue: "i-0123456789abcdef0" }, { entity: "x" }],
      }),
      expected: {
        kind: "Unknown",
        id,
        reason: "detail.affectedEntities[1].entityValue: must be a string",
      },
      type: "no_op",
    },
    {
      name: "a spot warning without instance-id: the field path",
      body: event("aws.ec2", "EC2 Spot Instance Interruption Warning", {
        "instance-action": "stop",
      }),
      expected: { kind: "Unknown", id, reason: "detail.instance-id: must be a string" },
      type: "no_op",
    },
    {
      name: "another EC2 event (an AMI state change): not acted on",
      body: event("aws.ec2", "EC2 AMI State Change", { State: "available" }),
      expected: {
        kind: "Unknown",
        id,
        reason: 'aws.ec2 "EC2 AMI State Change" is not acted on',
      },
      type: "no_op",
    },
    {
      name: "an envelope of another version: not an event Karpenter's parsers know",
      body: event(
        "aws.ec2",
        "EC2 Spot Instance Interruption Warning",
        { "instance-id": "i-0123456789abcdef0" },
        { version: "1" },
      ),
      expected: {
        kind: "Unknown",
        id,
        reason: "not an EventBridge event (version 0 with source and detail-type)",
      },
      type: "no_op",
    },
    {
      name: "a time that is not a time",
      body: event(
        "aws.ec2",
        "EC2 Instance Rebalance Recommendation",
        { "instance-id": "i-0123456789abcdef0" },
        { time: "yesterday" },
      ),
      expected: { kind: "Unknown", id, reason: "time: must be an RFC 3339 time" },
      type: "no_op",
    },
    {
      name: "detail missing",
      body: event("aws.ec2", "EC2 Instance Rebalance Recommendation", null),
      expected: { kind: "Unknown", id, reason: "detail: must be an object" },
      type: "no_op",
    },
    {
      name: "a body that is not JSON (an SQS test message typed by hand)",
      body: "hello",
      expected: { kind: "Unknown", reason: "the body is not JSON" },
      type: "no_op",
    },
    {
      name: "an empty body",
      body: "",
      expected: { kind: "Unknown", reason: "the body is not JSON" },
      type: "no_op",
    },
    {
      name: "JSON that is not an object",
      body: '["aws.ec2"]',
      expected: { kind: "Unknown", reason: "the body is not a JSON object" },
      type: "no_op",
    },
  ];
  for (const row of rows)
    it(row.name, () => {
      const message = parseInterruptionMessage(row.body);
      assert.deepEqual(message, row.expected);
      assert.equal(messageType(message), row.type, "Karpenter's message_type label");
    });

  it("never throws, whatever the body", () => {
    const bodies = ["{", "null", "1", '{"version":"0"}', '{"detail":{}}', "\u0000", "[]"];
    for (const body of bodies)
      assert.equal(parseInterruptionMessage(body).kind, "Unknown", JSON.stringify(body));
  });
});
