/** A cloud's warning that it will take an instance back (EC2: spot interruption, about 2 minutes ahead). */
export interface InterruptionNotice {
  readonly providerID: string;
  readonly kind: "SpotInterruption" | "ScheduledMaintenance" | "InstanceStopping";
}

/** Where interruption notices arrive (EC2: an SQS queue fed by EventBridge). */
export interface InterruptionQueue {
  /** The notices that arrived since the last call. */
  receive(): Promise<InterruptionNotice[]>;
}
