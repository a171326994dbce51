/** A decision worth telling people about, with the object it concerns and why. */
export interface RecordedEvent {
  /** What happened, e.g. `NodeClaimCreated`, `DisruptionReplace`, `PodEvicted`. */
  readonly kind: string;
  /** `Kind/name` or `Kind/namespace/name`. */
  readonly object: string;
  readonly message: string;
}

/** Where controllers report their decisions (Kubernetes Events, a log, the simulation's event list). */
export interface EventRecorder {
  record(event: RecordedEvent): void;
}
