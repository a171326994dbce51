import type { InstanceTypeObject } from "../api/instancetype.ts";
import { formatLoadError } from "../api/load.ts";
import type { NodePool } from "../api/nodepool.ts";
import { Labels } from "../api/wellknown.ts";
import { awsCatalog } from "../catalog/aws-catalog.ts";
import { filterCatalog, parseSelector } from "../catalog/filter.ts";
import { type Catalog, type InstanceType, pricePartsOf } from "../catalog/instance-type.ts";
import { nodeExtrasOf } from "../catalog/node-class-extras.ts";
import { catalogFromInstanceTypes } from "../catalog/user-catalog.ts";
import { buildSnapshot } from "../cluster/snapshot.ts";
import { compareInstanceTypeNames } from "../render/instance-type-order.ts";
import { formatAmount } from "../render/quantities.ts";
import { formatPrice, renderTable } from "../render/table.ts";
import { plainStyle, type TextStyle } from "../render/text-style.ts";
import { formatResources, type Resources } from "../resources/resource-list.ts";
import { poolTemplates } from "../solver/pool-template.ts";
import { ExitCode, loadOrReport, printDiagnostic } from "./output.ts";
import { type Output, printOutput } from "./print-output.ts";

export interface CatalogCommandOptions {
  readonly filename: string[];
  readonly region: string;
  readonly selector?: string;
  /** List the types this NodePool (from the manifests) may launch, priced as its nodes cost. */
  readonly nodepool?: string;
  /** `wide` adds architecture and capacity; `name` prints `instancetype/NAME` lines. */
  readonly output: Output;
}

/**
 * `carpool catalog`: instance types with allocatable resources and their cheapest offering. With
 * `--nodepool`, only the pool's types, each offering priced as the solver prices it: the instance
 * plus the pool's node class's volumes and public IPv4 address.
 */
export function runCatalog(options: CatalogCommandOptions, style: TextStyle = plainStyle): number {
  const loaded = options.filename.length > 0 ? loadOrReport(options.filename) : undefined;
  if (options.filename.length > 0 && loaded === undefined) return ExitCode.invalidInput;
  const snapshot = buildSnapshot((loaded?.objects ?? []).map((o) => o.object));
  let catalog: Catalog;
  if (snapshot.instanceTypes.length > 0) {
    const user = catalogFromInstanceTypes(snapshot.instanceTypes as InstanceTypeObject[]);
    for (const error of user.errors)
      printDiagnostic(
        formatLoadError({
          file: "-",
          kind: "InstanceType",
          name: error.instanceType,
          path: error.path,
          message: error.message,
        }),
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
    printDiagnostic(`-l ${options.selector}: ${selector.message}`);
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
      printDiagnostic(
        `--nodepool ${options.nodepool}: no such NodePool in the manifests (-f); they have ${known}`,
      );
      return ExitCode.invalidInput;
    }
    types = poolView(nodePool, types, catalog.region, snapshot.nodeClasses);
  }
  types = [...types].sort((a, b) => compareInstanceTypeNames(a.name, b.name));
  const pooled = options.nodepool !== undefined;
  printOutput(
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
    {
      table: (wide) =>
        `${renderTable(
          [
            "NAME",
            "CPU",
            "MEMORY",
            "PODS",
            "GPU",
            ...(wide ? ["ARCH", "CPU CAPACITY", "MEMORY CAPACITY"] : []),
            ...(pooled ? ["INSTANCE/H", "VOLUMES/H", "IPV4/H"] : []),
            "CHEAPEST",
            "ZONES",
          ],
          types.map((type) => catalogRow(type, pooled, wide)),
          style,
        )}\n${types.length} instance types${pooled ? ` NodePool ${options.nodepool} may launch` : ""}\n`,
      names: () => types.map((type) => `instancetype/${type.name}`),
    },
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

/** CPU and memory in cores and GiB (the JSON keeps Kubernetes' exact quantities). */
function amountOf(resources: Resources, resource: string): string {
  return formatAmount(resource, resources[resource] ?? 0);
}

function catalogRow(type: InstanceType, pooled: boolean, wide: boolean): string[] {
  const gpu = Object.keys(type.capacity).find((r) => r.endsWith("/gpu") || r.endsWith("/neuron"));
  const cheapest = type.offerings.find((o) => o.available);
  const parts = cheapest && pricePartsOf(cheapest);
  return [
    type.name,
    amountOf(type.allocatable, "cpu"),
    amountOf(type.allocatable, "memory"),
    amountOf(type.allocatable, "pods"),
    gpu ? `${type.capacity[gpu]}` : "-",
    ...(wide
      ? [
          type.labels[Labels.arch] ?? "-",
          amountOf(type.capacity, "cpu"),
          amountOf(type.capacity, "memory"),
        ]
      : []),
    ...(pooled
      ? parts
        ? [formatPrice(parts.instance), formatPrice(parts.volumes), formatPrice(parts.publicIPv4)]
        : ["-", "-", "-"]
      : []),
    cheapest ? `${formatPrice(cheapest.price)} ${cheapest.capacityType}` : "none available",
    String(new Set(type.offerings.map((o) => o.zone)).size),
  ];
}
