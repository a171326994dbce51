import { randomUUID } from "node:crypto";
import type { CarpoolMetrics } from "./metrics.ts";

export interface SchedulingRun {
  /** Karpenter's `controller` label: `provisioner` for provisioning, `disruption` for re-packing. */
  readonly controller?: string;
  /** How many pods this run places; shown as the queue depth while it runs. */
  readonly pods?: number;
}

export interface SchedulingOutcome {
  /** Pods that fit nowhere; sets the unschedulable-pods gauge. */
  readonly unschedulablePods?: number;
}

/**
 * Starts timing one scheduling run; call the returned function when it ends. Observes
 * `karpenter_scheduler_scheduling_duration_seconds{controller}`, shows the run's pods in
 * `karpenter_scheduler_queue_depth{controller,scheduling_id}` while it runs (a UUID per run; the
 * series goes when it ends, as Karpenter's does), and sets `karpenter_scheduler_unschedulable_pods_count`.
 * Returns the seconds taken.
 *
 *     const done = timeScheduling(metrics, { pods: pods.length });
 *     const unschedulable = await provisioner.provision(pods);
 *     done({ unschedulablePods: unschedulable.length });
 */
export function timeScheduling(
  metrics: CarpoolMetrics,
  run: SchedulingRun = {},
): (outcome?: SchedulingOutcome) => number {
  const controller = run.controller ?? "provisioner";
  const queue = { controller, scheduling_id: randomUUID() };
  if (run.pods !== undefined) metrics.schedulerQueueDepth.set(queue, run.pods);
  const end = metrics.schedulingDuration.startTimer({ controller });
  let seconds: number | undefined;
  return (outcome = {}) => {
    if (seconds !== undefined) return seconds;
    seconds = end();
    if (run.pods !== undefined) metrics.schedulerQueueDepth.remove(queue);
    if (outcome.unschedulablePods !== undefined)
      metrics.unschedulablePods.set({ controller }, outcome.unschedulablePods);
    return seconds;
  };
}
