import type { InstanceTypeObject } from "../api/instancetype.ts";
import { formatLoadError } from "../api/load.ts";
import type { NodePool } from "../api/nodepool.ts";
import { awsCatalog } from "../catalog/aws-catalog.ts";
import { filterCatalog, parseSelector } from "../catalog/filter.ts";
import { type Catalog, type InstanceType, pricePartsOf } from "../catalog/instance-type.ts";
import { nodeExtrasOf } from "../catalog/node-class-extras.ts";
import { catalogFromInstanceTypes } from "../catalog/user-catalog.ts";
import { buildSnapshot } from "../cluster/snapshot.ts";
import { formatPrice, renderTable } from "../render/table.ts";
import { formatResources } from "../resources/resource-list.ts";
import { poolTemplates } from "../solver/pool-template.ts";
import { ExitCode, loadOrReport, type OutputFormat, printObject } from "./output.ts";

export interface CatalogCommandOptions {
  readonly filename: string[];
  readonly region: string;
  readonly selector?: string;
  /** List the types this NodePool (from the manifests) may launch, priced as its nodes cost. */
  readonly nodepool?: string;
  readonly output: OutputFormat;
}

/**
 * `carpool catalog`: instance types with allocatable resources and their cheapest offering. With
 * `--nodepool`, only the pool's types, each offering priced as the solver prices it: the instance
 * plus the pool's node class's volumes and public IPv4 address.
 */
export function runCatalog(options: CatalogCommandOptions): number {
  const loaded = options.filename.length > 0 ? loadOrReport(options.filename) : undefined;
  if (options.filename.length > 0 && loaded === undefined) return ExitCode.invalidInput;
  const snapshot = buildSnapshot((loaded?.objects ?? []).map((o) => o.object));
  let catalog: Catalog;
  if (snapshot.instanceTypes.length > 0) {
    const user = catalogFromInstanceTypes(snapshot.instanceTypes as InstanceTypeObject[]);
    for (const error of user.errors)
      process.stderr.write(
        `${formatLoadError({ file: "-", kind: "InstanceType", name: error.instanceType, path: error.path, message: error.message })}\n`,
      );
    if (user.errors.length > 0) return ExitCode.invalidInput;
    catalog = user.catalog;
  } else {
    try {
      catalog = awsCatalog(options.region);
    } catch (error) {
      process.stderr.write(`${(error as Error).message}\n`);
      return ExitCode.invalidInput;
    }
  }
  const selector = options.selector === undefined ? undefined : parseSelector(options.selector);
  if (selector !== undefined && !selector.ok) {
    process.stderr.write(`-l ${options.selector}: ${selector.message}\n`);
    return ExitCode.invalidInput;
  }
  let types =
    selector === undefined
      ? catalog.instanceTypes
      : filterCatalog(catalog, selector.requirements).instanceTypes;
  if (options.nodepool !== undefined) {
    const nodePool = snapshot.nodePools.find((p) => p.metadata.name === options.nodepool);
    if (nodePool === undefined) {
      const known = snapshot.nodePools.map((p) => p.metadata.name).join(", ") || "none";
      process.stderr.write(
        `--nodepool ${options.nodepool}: no such NodePool in the manifests (-f); they have ${known}\n`,
      );
      return ExitCode.invalidInput;
    }
    types = poolView(nodePool, types, catalog.region, snapshot.nodeClasses);
  }
  const pooled = options.nodepool !== undefined;
  printObject(
    {
      apiVersion: "carpool.dev/v1alpha1",
      kind: "InstanceTypeList",
      region: catalog.region ?? null,
      ...(pooled && { nodePool: options.nodepool }),
      items: types.map((type) => ({
        name: type.name,
        allocatable: formatResources(type.allocatable),
        capacity: formatResources(type.capacity),
        labels: type.labels,
        offerings: type.offerings,
      })),
    },
    options.output,
    () =>
      `${renderTable(
        [
          "NAME",
          "CPU",
          "MEMORY",
          "PODS",
          "GPU",
          ...(pooled ? ["INSTANCE/H", "VOLUMES/H", "IPV4/H"] : []),
          "CHEAPEST",
          "ZONES",
        ],
        types.map((type) => catalogRow(type, pooled)),
      )}\n${types.length} instance types${pooled ? ` NodePool ${options.nodepool} may launch` : ""}\n`,
  );
  return ExitCode.ok;
}

/** The pool's instance types as the solver sees them: its requirements, its nodes' prices. */
function poolView(
  nodePool: NodePool,
  types: readonly InstanceType[],
  region: string | undefined,
  nodeClasses: Parameters<typeof nodeExtrasOf>[0]["nodeClasses"],
): InstanceType[] {
  const [template] = poolTemplates([nodePool], types, [], nodeExtrasOf({ region, nodeClasses }));
  return (template?.instanceTypes ?? []).map((c) => ({ ...c.type, offerings: c.offerings }));
}

function catalogRow(type: InstanceType, pooled: boolean): string[] {
  const allocatable = formatResources(type.allocatable);
  const gpu = Object.keys(type.capacity).find((r) => r.endsWith("/gpu") || r.endsWith("/neuron"));
  const cheapest = type.offerings.find((o) => o.available);
  const parts = cheapest && pricePartsOf(cheapest);
  return [
    type.name,
    allocatable.cpu ?? "0",
    allocatable.memory ?? "0",
    allocatable.pods ?? "0",
    gpu ? `${type.capacity[gpu]}` : "-",
    ...(pooled
      ? parts
        ? [formatPrice(parts.instance), formatPrice(parts.volumes), formatPrice(parts.publicIPv4)]
        : ["-", "-", "-"]
      : []),
    cheapest ? `${formatPrice(cheapest.price)} ${cheapest.capacityType}` : "none available",
    String(new Set(type.offerings.map((o) => o.zone)).size),
  ];
}
