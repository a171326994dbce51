import type { NodePool } from "../api/nodepool.ts";
import { quantityValue, tryParseQuantity } from "../resources/quantity.ts";
import type { CarpoolMetrics } from "./metrics.ts";

/**
 * Sets `karpenter_nodepools_usage` (from `status.resources`) and `karpenter_nodepools_limit`
 * (from `spec.limits`) for these pools, as Karpenter's nodepool metrics controller does: one
 * series per resource, `resource_type` lower-cased with `-` as `_`, cpu in cores, everything else
 * in whole units. Series of pools or resources no longer present are dropped, so call it with
 * every pool each time. A quantity that does not parse is left out (validation reports it).
 */
export function recordNodePools(metrics: CarpoolMetrics, nodePools: readonly NodePool[]): void {
  metrics.nodePoolUsage.reset();
  metrics.nodePoolLimit.reset();
  for (const pool of nodePools) {
    const nodepool = pool.metadata.name ?? "";
    setAll(metrics.nodePoolUsage, nodepool, pool.status?.resources);
    setAll(metrics.nodePoolLimit, nodepool, pool.spec.limits);
  }
}

function setAll(
  gauge: CarpoolMetrics["nodePoolUsage"],
  nodepool: string,
  resources: Readonly<Record<string, string | number>> | undefined,
): void {
  for (const [resource, text] of Object.entries(resources ?? {})) {
    const parsed = tryParseQuantity(text);
    if (!parsed.ok) continue;
    const value =
      resource === "cpu"
        ? Number(parsed.quantity.milli) / 1000
        : Number(quantityValue(parsed.quantity));
    gauge.set({ nodepool, resource_type: resource.toLowerCase().replaceAll("-", "_") }, value);
  }
}
