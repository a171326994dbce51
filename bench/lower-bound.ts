import highsModule from "highs";
import type { InstanceType } from "../src/catalog/instance-type.ts";
import type { Resources } from "../src/resources/resource-list.ts";

/**
 * The cost lower bound: the LP relaxation of covering the pods' total cpu, memory and pod count
 * with instance types bought by the hour (fractions allowed), each at its cheapest allowed
 * offering. No packing can be cheaper, so plan cost / bound measures the packing's waste.
 */
// highs ships CommonJS types for an ES module: the default import is the loader at run time.
const highsLoader = ((highsModule as unknown as { default?: unknown }).default ??
  highsModule) as unknown as (typeof highsModule)["default"];

/** HiGHS, loaded once. */
export function loadHighs(): ReturnType<typeof highsLoader> {
  highs ??= highsLoader();
  return highs;
}
let highs: ReturnType<typeof highsLoader> | undefined;

export async function lowerBound(
  types: readonly InstanceType[],
  demand: Resources,
  priceOf: (type: InstanceType) => number | undefined,
): Promise<number> {
  const solver = await loadHighs();
  const usable = types
    .map((type, i) => ({ type, price: priceOf(type), name: `x${i}` }))
    .filter((t): t is { type: InstanceType; price: number; name: string } => t.price !== undefined);
  const resources = ["cpu", "memory", "pods"].filter((r) => (demand[r] ?? 0) > 0);
  const lines = [
    "Minimize",
    ` cost: ${usable.map((t) => `${t.price} ${t.name}`).join(" + ")}`,
    "Subject To",
    ...resources.map(
      (r) =>
        ` ${r}: ${usable.map((t) => `${t.type.allocatable[r] ?? 0} ${t.name}`).join(" + ")} >= ${demand[r]}`,
    ),
    "Bounds",
    ...usable.map((t) => ` ${t.name} >= 0`),
    "End",
  ];
  const result = solver.solve(lines.join("\n"), { output_flag: false });
  if (result.Status !== "Optimal") throw new Error(`lower bound: ${result.Status}`);
  return result.ObjectiveValue;
}
