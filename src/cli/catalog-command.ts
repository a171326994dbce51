import type { InstanceTypeObject } from "../api/instancetype.ts";
import { formatLoadError } from "../api/load.ts";
import { awsCatalog } from "../catalog/aws-catalog.ts";
import { filterCatalog, parseSelector } from "../catalog/filter.ts";
import type { Catalog } from "../catalog/instance-type.ts";
import { catalogFromInstanceTypes } from "../catalog/user-catalog.ts";
import { formatPrice, renderTable } from "../render/table.ts";
import { formatResources } from "../resources/resource-list.ts";
import { ExitCode, loadOrReport, type OutputFormat, printObject } from "./output.ts";

export interface CatalogCommandOptions {
  readonly filename: string[];
  readonly region: string;
  readonly selector?: string;
  readonly output: OutputFormat;
}

/** `carpool catalog`: instance types with allocatable resources and their cheapest offering. */
export function runCatalog(options: CatalogCommandOptions): number {
  let catalog: Catalog;
  if (options.filename.length > 0) {
    const loaded = loadOrReport(options.filename);
    if (loaded === undefined) return ExitCode.invalidInput;
    const objects = loaded.objects
      .map((o) => o.object)
      .filter((o): o is InstanceTypeObject => o.kind === "InstanceType");
    const user = catalogFromInstanceTypes(objects);
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
  const types =
    selector === undefined
      ? catalog.instanceTypes
      : filterCatalog(catalog, selector.requirements).instanceTypes;
  const listed = types.map((type) => ({
    name: type.name,
    allocatable: formatResources(type.allocatable),
    capacity: formatResources(type.capacity),
    labels: type.labels,
    offerings: type.offerings,
  }));
  printObject(
    {
      apiVersion: "carpool.dev/v1alpha1",
      kind: "InstanceTypeList",
      region: catalog.region ?? null,
      items: listed,
    },
    options.output,
    () =>
      `${renderTable(
        ["NAME", "CPU", "MEMORY", "PODS", "GPU", "CHEAPEST", "ZONES"],
        types.map((type) => {
          const allocatable = formatResources(type.allocatable);
          const gpu = Object.keys(type.capacity).find(
            (r) => r.endsWith("/gpu") || r.endsWith("/neuron"),
          );
          const cheapest = type.offerings.find((o) => o.available);
          return [
            type.name,
            allocatable.cpu ?? "0",
            allocatable.memory ?? "0",
            allocatable.pods ?? "0",
            gpu ? `${type.capacity[gpu]}` : "-",
            cheapest ? `${formatPrice(cheapest.price)} ${cheapest.capacityType}` : "none available",
            String(new Set(type.offerings.map((o) => o.zone)).size),
          ];
        }),
      )}\n${types.length} instance types\n`,
  );
  return ExitCode.ok;
}
