import type { EventRecorder, RecordedEvent } from "../ports/event-recorder.ts";
import type { CarpoolMetrics } from "./metrics.ts";
import { type ObjectRef, parseObjectRef, parseObjectRefs } from "./object-ref.ts";

export interface EventInstrumentation {
  /**
   * The NodePool owning a NodeClaim or Node (its `karpenter.sh/nodepool` label), from a cache the
   * caller keeps. When it does not know, the pool is taken from the node's registration event or
   * from the claim's name (`<pool>-<5 characters>`, as generateName gives it), else "".
   */
  readonly nodePoolOf?: (ref: ObjectRef) => string | undefined;
}

/**
 * Turns the controllers' events into Karpenter's counters: NodeClaims created, launched,
 * registered, initialized, disrupted and terminated, nodes created and terminated, and voluntary
 * disruption decisions. Each event is recorded first and counted after; an error from the inner
 * recorder goes to the caller and the event is not counted.
 */
export function instrumentEvents(
  recorder: EventRecorder,
  metrics: CarpoolMetrics,
  options: EventInstrumentation = {},
): EventRecorder {
  const count = eventCounter(metrics, options);
  return {
    record(event: RecordedEvent): void {
      recorder.record(event);
      count(event);
    },
  };
}

/** Karpenter's decision label values (`disruption.Decision`). */
const decisionOfKind: Readonly<Record<string, string>> = {
  DisruptionDelete: "delete",
  DisruptionReplace: "replace",
};

/** Karpenter's AWS interruption message kinds, the `reason` it counts disruptions under. */
const interruptionReason: Readonly<Record<string, string>> = {
  SpotInterruption: "spot_interrupted",
  ScheduledChange: "scheduled_change",
  InstanceStopping: "instance_stopped",
  InstanceTerminating: "instance_terminated",
};

function eventCounter(
  metrics: CarpoolMetrics,
  options: EventInstrumentation,
): (event: RecordedEvent) => void {
  // Node → pool, learned at registration, so disruption events naming nodes find their pool.
  const nodePools = new Map<string, string>();
  const poolOf = (ref: ObjectRef): string =>
    options.nodePoolOf?.(ref) ??
    (ref.kind === "Node" ? nodePools.get(ref.name) : undefined) ??
    (ref.kind === "NodeClaim" ? nodePoolFromClaimName(ref.name) : undefined) ??
    "";
  const claimPool = (name: string) => poolOf({ kind: "NodeClaim", name });
  return (event) => {
    const ref = parseObjectRef(event.object);
    switch (event.kind) {
      case "NodeClaimCreated":
        metrics.nodeClaimsCreated.inc({ reason: "provisioned", nodepool: poolOf(ref) });
        return;
      case "NodeClaimLaunched":
        metrics.nodeClaimsLaunched.inc({ nodepool: poolOf(ref) });
        return;
      case "InsufficientCapacity":
        // Karpenter deletes a claim that failed to launch for capacity and counts it disrupted.
        metrics.nodeClaimsDisrupted.inc({ reason: "insufficient_capacity", nodepool: poolOf(ref) });
        return;
      case "RegistrationTimeout":
        metrics.nodeClaimsDisrupted.inc({ reason: "liveness", nodepool: poolOf(ref) });
        return;
      case "NodeRegistered": {
        const nodepool = poolOf(ref);
        const node = /Node\/(\S+)/.exec(event.message)?.[1];
        if (node !== undefined) nodePools.set(node, nodepool);
        metrics.nodeClaimsRegistered.inc({ nodepool });
        metrics.nodesCreated.inc({ nodepool });
        return;
      }
      case "NodeInitialized":
        metrics.nodeClaimsInitialized.inc({ nodepool: poolOf(ref) });
        return;
      case "NodeClaimTerminated": {
        const nodepool = poolOf(ref);
        metrics.nodeClaimsTerminated.inc({ nodepool });
        const node = /^Node\/(\S+) drained/.exec(event.message)?.[1];
        if (node !== undefined) {
          metrics.nodesTerminated.inc({ nodepool });
          nodePools.delete(node);
        }
        return;
      }
      // The interruption controller's Events for the notices it drains a node for.
      case "SpotInterrupted":
      case "InstanceUnhealthy":
      case "InstanceStopping":
      case "InstanceTerminating": {
        const reason = interruptionReason[leadingReason(event.message)] ?? "interrupted";
        metrics.nodeClaimsDisrupted.inc({ reason, nodepool: poolOf(ref) });
        for (const name of listAfter(event.message, /replacements (.+) launched/))
          metrics.nodeClaimsCreated.inc({ reason, nodepool: claimPool(name) });
        return;
      }
      case "DisruptionDelete":
      case "DisruptionReplace":
        return countDecision(event, decisionOfKind[event.kind] ?? "", metrics, poolOf, claimPool);
      case "DisruptionInvalidated":
        metrics.disruptionFailedValidations.inc({
          consolidation_type: disruptionLabels(event).type,
        });
        return;
      case "DisruptionAborted": {
        // Only a replacement that never came aborts a command, so the decision was a replace.
        const { reason, type } = disruptionLabels(event);
        metrics.disruptionQueueFailures.inc({
          decision: "replace",
          reason,
          consolidation_type: type,
        });
        return;
      }
    }
  };
}

function countDecision(
  event: RecordedEvent,
  decision: string,
  metrics: CarpoolMetrics,
  poolOf: (ref: ObjectRef) => string,
  claimPool: (name: string) => string,
): void {
  const { reason, type, nodes } = disruptionLabels(event);
  metrics.disruptionDecisions.inc({ decision, reason, consolidation_type: type });
  // Karpenter counts a claim disrupted when it deletes it, after the replacements initialize;
  // carpool's event comes when the command starts, so an aborted command was counted too.
  for (const node of nodes) metrics.nodeClaimsDisrupted.inc({ reason, nodepool: poolOf(node) });
  for (const name of listAfter(event.message, /launching (.+) first/))
    metrics.nodeClaimsCreated.inc({ reason, nodepool: claimPool(name) });
}

/**
 * A disruption event's reason (its message starts `Underutilized: …`) as Karpenter labels it
 * (snake case), and Karpenter's consolidation type: `empty`, `single` or `multi` node for
 * consolidation, none for drift and expiration.
 */
function disruptionLabels(event: RecordedEvent): {
  reason: string;
  type: string;
  nodes: ObjectRef[];
} {
  const reason = leadingReason(event.message);
  const nodes = parseObjectRefs(event.object);
  const type =
    reason === "Empty"
      ? "empty"
      : reason === "Underutilized"
        ? nodes.length > 1
          ? "multi"
          : "single"
        : "";
  return { reason: snakeCase(reason), type, nodes };
}

function leadingReason(message: string): string {
  return /^([A-Za-z]+):/.exec(message)?.[1] ?? "";
}

function listAfter(message: string, pattern: RegExp): string[] {
  return (pattern.exec(message)?.[1] ?? "").split(", ").filter((name) => name !== "");
}

function snakeCase(text: string): string {
  return text.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

/**
 * The pool in a NodeClaim's name: Karpenter and carpool create claims with generateName
 * `<nodepool>-`, to which the API server adds five characters. A name of another shape says nothing.
 */
export function nodePoolFromClaimName(name: string): string | undefined {
  return /^(.+)-[a-z0-9]{5}$/.exec(name)?.[1];
}
