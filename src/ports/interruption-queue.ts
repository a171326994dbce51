/**
 * What a cloud says is about to happen to an instance. Karpenter's AWS interruption kinds: a spot
 * interruption warning (about 2 minutes ahead), a rebalance recommendation (elevated risk only), a
 * scheduled change (AWS Health maintenance), and the instance stopping or terminating.
 */
export type InterruptionKind =
  | "SpotInterruption"
  | "RebalanceRecommendation"
  | "ScheduledChange"
  | "InstanceStopping"
  | "InstanceTerminating";

export interface InterruptionNotice {
  readonly kind: InterruptionKind;
  /**
   * The instances it concerns, by the cloud's own ID: the last path segment of a provider ID
   * (EC2's `i-0123` of `aws:///us-west-2a/i-0123`), since EC2's events never carry provider IDs.
   */
  readonly instanceIDs: readonly string[];
  /**
   * The notice was acted on: the queue forgets it (SQS: DeleteMessage). A notice never acknowledged
   * arrives again, so acting on it must be safe to repeat. Never rejects: a failed acknowledgement
   * is the queue's to report, and only means the notice may arrive again.
   */
  ack(): Promise<void>;
}

/** Where interruption notices arrive (EC2: an SQS queue fed by EventBridge rules). */
export interface InterruptionQueue {
  /**
   * Waits for notices (SQS: a long poll of up to 20 s) and resolves with those that arrived, maybe
   * none. Rejects when the queue cannot be read; the caller retries. Aborting the signal ends the
   * wait at once (it rejects or resolves empty).
   */
  receive(signal: AbortSignal): Promise<readonly InterruptionNotice[]>;
}
