import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/**
 * Karpenter's own metrics, under Karpenter's names and label names, so its dashboards and alerts
 * work unchanged. Names follow the v1.0 metrics reference (karpenter.sh/v1.0/reference/metrics,
 * generated from kubernetes-sigs/karpenter `pkg/metrics`); where carpool keeps a metric v1.0
 * dropped or one a later v1 release added, the comment says so.
 */
export interface CarpoolMetrics {
  readonly registry: Registry;
  readonly nodeClaimsCreated: Counter<"reason" | "nodepool">;
  readonly nodeClaimsTerminated: Counter<"nodepool">;
  readonly nodeClaimsDisrupted: Counter<"reason" | "nodepool">;
  readonly nodeClaimsLaunched: Counter<"nodepool">;
  readonly nodeClaimsRegistered: Counter<"nodepool">;
  readonly nodeClaimsInitialized: Counter<"nodepool">;
  readonly nodesCreated: Counter<"nodepool">;
  readonly nodesTerminated: Counter<"nodepool">;
  readonly disruptionDecisions: Counter<"decision" | "reason" | "consolidation_type">;
  readonly disruptionQueueFailures: Counter<"decision" | "reason" | "consolidation_type">;
  readonly disruptionFailedValidations: Counter<"consolidation_type">;
  readonly podEvictionRequests: Counter<"code">;
  readonly schedulingDuration: Histogram<"controller">;
  readonly schedulerQueueDepth: Gauge<"controller" | "scheduling_id">;
  readonly unschedulablePods: Gauge<"controller">;
  readonly cloudProviderDuration: Histogram<"controller" | "method" | "provider">;
  readonly cloudProviderErrors: Counter<"controller" | "method" | "provider" | "error">;
  readonly nodePoolUsage: Gauge<"nodepool" | "resource_type">;
  readonly nodePoolLimit: Gauge<"nodepool" | "resource_type">;
}

export interface MetricsOptions {
  /** The registry to fill; a new one when absent. Never prom-client's global default. */
  readonly registry?: Registry;
  /** Node process metrics (`process_*`, `nodejs_*`) on the same registry; on unless false. */
  readonly defaultMetrics?: boolean;
}

/** Karpenter's `metrics.DurationBuckets()`: controller-runtime's, stretched for long singletons. */
export const DurationBuckets: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9,
  1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
  120, 150, 300, 450, 600,
];

export function createMetrics(options: MetricsOptions = {}): CarpoolMetrics {
  const registry = options.registry ?? new Registry();
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name, help, labelNames, registers });
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames, registers });
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Histogram<L>({ name, help, labelNames, buckets: [...DurationBuckets], registers });
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  return {
    registry,
    nodeClaimsCreated: counter(
      "karpenter_nodeclaims_created_total",
      "Number of nodeclaims created in total by Karpenter. Labeled by reason the nodeclaim was created and the owning nodepool.",
      ["reason", "nodepool"],
    ),
    nodeClaimsTerminated: counter(
      "karpenter_nodeclaims_terminated_total",
      "Number of nodeclaims terminated in total by Karpenter. Labeled by the owning nodepool.",
      ["nodepool"],
    ),
    nodeClaimsDisrupted: counter(
      "karpenter_nodeclaims_disrupted_total",
      "Number of nodeclaims disrupted in total by Karpenter. Labeled by reason the nodeclaim was disrupted and the owning nodepool.",
      ["reason", "nodepool"],
    ),
    // Launched, registered and initialized were `karpenter_nodeclaims_{launched,registered,
    // initialized}{nodepool}` up to v0.37; v1.0 folded them into status-condition metrics. Kept
    // here, with v1's `_total` suffix, because they are the lifecycle's rates at a glance.
    nodeClaimsLaunched: counter(
      "karpenter_nodeclaims_launched_total",
      "Number of nodeclaims launched in total by Karpenter. Labeled by the owning nodepool.",
      ["nodepool"],
    ),
    nodeClaimsRegistered: counter(
      "karpenter_nodeclaims_registered_total",
      "Number of nodeclaims registered in total by Karpenter. Labeled by the owning nodepool.",
      ["nodepool"],
    ),
    nodeClaimsInitialized: counter(
      "karpenter_nodeclaims_initialized_total",
      "Number of nodeclaims initialized in total by Karpenter. Labeled by the owning nodepool.",
      ["nodepool"],
    ),
    nodesCreated: counter(
      "karpenter_nodes_created_total",
      "Number of nodes created in total by Karpenter. Labeled by owning nodepool.",
      ["nodepool"],
    ),
    nodesTerminated: counter(
      "karpenter_nodes_terminated_total",
      "Number of nodes terminated in total by Karpenter. Labeled by owning nodepool.",
      ["nodepool"],
    ),
    disruptionDecisions: counter(
      "karpenter_voluntary_disruption_decisions_total",
      "Number of disruption decisions performed. Labeled by disruption decision, reason, and consolidation type.",
      ["decision", "reason", "consolidation_type"],
    ),
    disruptionQueueFailures: counter(
      "karpenter_voluntary_disruption_queue_failures_total",
      "The number of times that an enqueued disruption decision failed. Labeled by disruption method.",
      ["decision", "reason", "consolidation_type"],
    ),
    // Added after v1.0 (pkg/controllers/disruption/metrics.go).
    disruptionFailedValidations: counter(
      "karpenter_voluntary_disruption_failed_validations_total",
      "Number of candidates that were selected for disruption but failed validation. Labeled by consolidation type.",
      ["consolidation_type"],
    ),
    // Added after v1.0 (pkg/controllers/node/termination/eviction.go), labeled by API response code.
    podEvictionRequests: counter(
      "karpenter_pods_eviction_requests_total",
      "The total number of pod eviction requests made by Karpenter, labeled by response code",
      ["code"],
    ),
    schedulingDuration: histogram(
      "karpenter_scheduler_scheduling_duration_seconds",
      "Duration of scheduling simulations used for deprovisioning and provisioning in seconds.",
      ["controller"],
    ),
    schedulerQueueDepth: gauge(
      "karpenter_scheduler_queue_depth",
      "The number of pods currently waiting to be scheduled.",
      ["controller", "scheduling_id"],
    ),
    // Added after v1.0 (pkg/controllers/provisioning/scheduling/metrics.go).
    unschedulablePods: gauge(
      "karpenter_scheduler_unschedulable_pods_count",
      "The number of unschedulable Pods.",
      ["controller"],
    ),
    cloudProviderDuration: histogram(
      "karpenter_cloudprovider_duration_seconds",
      "Duration of cloud provider method calls. Labeled by the controller, method name and provider.",
      ["controller", "method", "provider"],
    ),
    cloudProviderErrors: counter(
      "karpenter_cloudprovider_errors_total",
      "Total number of errors returned from CloudProvider calls.",
      ["controller", "method", "provider", "error"],
    ),
    nodePoolUsage: gauge(
      "karpenter_nodepools_usage",
      "The amount of resources that have been provisioned for a nodepool. Labeled by nodepool name and resource type.",
      ["nodepool", "resource_type"],
    ),
    nodePoolLimit: gauge(
      "karpenter_nodepools_limit",
      "Limits specified on the nodepool that restrict the quantity of resources provisioned. Labeled by nodepool name and resource type.",
      ["nodepool", "resource_type"],
    ),
  };
}
