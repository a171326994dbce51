import { type ActedOnState, ActedOnStates, type InterruptionMessage } from "./message.ts";

/**
 * Reads an SQS message body holding an EventBridge event. Events are told apart as Karpenter's
 * parser tells them: by `version` "0", `source` and `detail-type`. Never throws: a body that is
 * not one of the four events, or is one with a field missing, is Unknown with the field path.
 */
export function parseInterruptionMessage(body: string): InterruptionMessage {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch {
    return { kind: "Unknown", reason: "the body is not JSON" };
  }
  if (!isObject(event)) return { kind: "Unknown", reason: "the body is not a JSON object" };
  const id = typeof event.id === "string" ? event.id : undefined;
  const unknown = (reason: string): InterruptionMessage => ({
    kind: "Unknown",
    ...(id !== undefined && { id }),
    reason,
  });
  const source = event.source;
  const detailType = event["detail-type"];
  if (event.version !== "0" || typeof source !== "string" || typeof detailType !== "string")
    return unknown("not an EventBridge event (version 0 with source and detail-type)");
  const reader = readers[`${source}/${detailType}`];
  if (reader === undefined) return unknown(`${source} "${detailType}" is not acted on`);
  if (id === undefined) return unknown("id: must be a string");
  const time = typeof event.time === "string" ? new Date(event.time) : undefined;
  if (time === undefined || Number.isNaN(time.getTime()))
    return unknown("time: must be an RFC 3339 time");
  if (!isObject(event.detail)) return unknown("detail: must be an object");
  const read = reader(event.detail);
  if (typeof read === "string") return unknown(read);
  return { ...read, id, time };
}

/** What a reader makes of `detail`: the message without its envelope fields, or why not. */
type Detail = Readonly<Record<string, unknown>>;
type Parsed = Exclude<InterruptionMessage, { kind: "Unknown" }>;
type WithoutEnvelope<T> = T extends unknown ? Omit<T, "id" | "time"> : never;
type Reader = (detail: Detail) => WithoutEnvelope<Parsed> | string;

const readers: Readonly<Record<string, Reader>> = {
  // EC2 Spot Instance Interruption Warning: detail `instance-id`, `instance-action`.
  "aws.ec2/EC2 Spot Instance Interruption Warning": (detail) => {
    const instanceID = stringField(detail, "instance-id");
    if (instanceID === undefined) return "detail.instance-id: must be a string";
    const action = detail["instance-action"];
    return {
      kind: "SpotInterruption",
      instanceIDs: [instanceID],
      instanceAction: typeof action === "string" ? action : "",
    };
  },
  // EC2 Instance Rebalance Recommendation: detail `instance-id`.
  "aws.ec2/EC2 Instance Rebalance Recommendation": (detail) => {
    const instanceID = stringField(detail, "instance-id");
    if (instanceID === undefined) return "detail.instance-id: must be a string";
    return { kind: "RebalanceRecommendation", instanceIDs: [instanceID] };
  },
  // EC2 Instance State-change Notification: detail `instance-id`, `state`; Karpenter acts on
  // stopping, stopped, shutting-down and terminated only.
  "aws.ec2/EC2 Instance State-change Notification": (detail) => {
    const instanceID = stringField(detail, "instance-id");
    if (instanceID === undefined) return "detail.instance-id: must be a string";
    const state = stringField(detail, "state")?.toLowerCase();
    if (state === undefined) return "detail.state: must be a string";
    if (!(ActedOnStates as readonly string[]).includes(state))
      return `detail.state: ${state} is not acted on (only ${ActedOnStates.join(", ")})`;
    return { kind: "StateChange", instanceIDs: [instanceID], state: state as ActedOnState };
  },
  // AWS Health Event: only EC2's scheduled changes; the instances are the affected entities.
  "aws.health/AWS Health Event": (detail) => {
    const service = stringField(detail, "service");
    const category = stringField(detail, "eventTypeCategory");
    if (service !== "EC2" || category !== "scheduledChange")
      return `detail: service ${service} category ${category} is not acted on (only EC2 scheduledChange)`;
    const entities = detail.affectedEntities;
    if (!Array.isArray(entities)) return "detail.affectedEntities: must be an array";
    const instanceIDs: string[] = [];
    for (const [i, entity] of entities.entries()) {
      const value = isObject(entity) ? stringField(entity, "entityValue") : undefined;
      if (value === undefined) return `detail.affectedEntities[${i}].entityValue: must be a string`;
      instanceIDs.push(value);
    }
    const code = stringField(detail, "eventTypeCode") ?? "";
    return { kind: "ScheduledChange", instanceIDs, eventTypeCode: code };
  },
};

function stringField(object: Detail, key: string): string | undefined {
  const value = object[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function isObject(value: unknown): value is Detail {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
