/**
 * An EventBridge event from the interruption queue, as far as carpool reads it. The kinds are
 * Karpenter's AWS message kinds (pkg/controllers/interruption/messages); anything else — another
 * event, a state carpool does not act on, a body that is not an event — is Unknown, with why.
 */
export type InterruptionMessage =
  | (EventFields & { readonly kind: "SpotInterruption"; readonly instanceAction: string })
  | (EventFields & { readonly kind: "RebalanceRecommendation" })
  | (EventFields & { readonly kind: "ScheduledChange"; readonly eventTypeCode: string })
  | (EventFields & { readonly kind: "StateChange"; readonly state: ActedOnState })
  | { readonly kind: "Unknown"; readonly id?: string; readonly reason: string };

export interface EventFields {
  /** The event's `id` (EventBridge's, not SQS's message ID). */
  readonly id: string;
  /** The event's `time`: when EC2 or AWS Health emitted it. */
  readonly time: Date;
  readonly instanceIDs: readonly string[];
}

/** EC2 instance states Karpenter acts on (statechange parser): the instance is going away. */
export const ActedOnStates = ["stopping", "stopped", "shutting-down", "terminated"] as const;
export type ActedOnState = (typeof ActedOnStates)[number];

/**
 * Karpenter's `message_type` label values (messages.Kind) for
 * `karpenter_interruption_received_messages_total`.
 */
export function messageType(message: InterruptionMessage): string {
  switch (message.kind) {
    case "SpotInterruption":
      return "spot_interrupted";
    case "RebalanceRecommendation":
      return "rebalance_recommendation";
    case "ScheduledChange":
      return "scheduled_change";
    case "StateChange":
      return message.state === "stopping" || message.state === "stopped"
        ? "instance_stopped"
        : "instance_terminated";
    case "Unknown":
      return "no_op";
  }
}
