import type { CloudProvider } from "../ports/cloud-provider.ts";
import type { CarpoolMetrics } from "./metrics.ts";

export interface CloudProviderInstrumentation {
  /**
   * The `controller` label. Karpenter reads it from the calling reconciler's context; carpool's
   * ports carry no context, so a caller that wants it per controller decorates once per
   * controller. Empty by default.
   */
  readonly controller?: string;
}

/**
 * Karpenter's cloud-provider metrics decorator (pkg/cloudprovider/metrics): every call's duration
 * in `karpenter_cloudprovider_duration_seconds{controller,method,provider}`, every failure in
 * `karpenter_cloudprovider_errors_total{…,error}` with the error's class name
 * (`InsufficientCapacityError`, `NodeClaimNotFoundError`). Calls go through unchanged and errors
 * are re-thrown. Method names are Karpenter's, so its dashboards match. Decorate once: wrapping
 * twice counts twice.
 */
export function instrumentCloudProvider(
  provider: CloudProvider,
  metrics: CarpoolMetrics,
  providerName: string,
  options: CloudProviderInstrumentation = {},
): CloudProvider {
  const controller = options.controller ?? "";
  async function measure<T>(method: string, call: () => Promise<T>): Promise<T> {
    const labels = { controller, method, provider: providerName };
    const end = metrics.cloudProviderDuration.startTimer(labels);
    try {
      return await call();
    } catch (error) {
      metrics.cloudProviderErrors.inc({ ...labels, error: errorLabel(error) });
      throw error;
    } finally {
      end();
    }
  }
  return {
    create: (nodeClaim) => measure("Create", () => provider.create(nodeClaim)),
    delete: (nodeClaim) => measure("Delete", () => provider.delete(nodeClaim)),
    get: (providerID) => measure("Get", () => provider.get(providerID)),
    list: () => measure("List", () => provider.list()),
    instanceTypes: () => measure("GetInstanceTypes", () => provider.instanceTypes()),
    isDrifted: (nodeClaim) => measure("IsDrifted", () => provider.isDrifted(nodeClaim)),
  };
}

/** The error's class name (its `name`, or its constructor's when a subclass left `name` alone). */
export function errorLabel(error: unknown): string {
  if (!(error instanceof Error)) return "";
  return error.name !== "Error" ? error.name : error.constructor.name;
}
