import { formatLoadError } from "../api/load.ts";
import { planObjects } from "../plan.ts";
import { renderPlanTable } from "../render/plan.ts";
import { ExitCode, loadOrReport, type OutputFormat, printObject } from "./output.ts";

export interface PlanCommandOptions {
  readonly filename: string[];
  /** `wide`: the table with each node's price in parts (instance, volumes, public IPv4). */
  readonly output: OutputFormat | "wide";
  readonly region: string;
}

/** `carpool plan`: exit 0 with a plan (fitting or not), 2 on invalid input. */
export function runPlan(options: PlanCommandOptions): number {
  const loaded = loadOrReport(options.filename);
  if (loaded === undefined) return ExitCode.invalidInput;
  const result = planObjects(loaded.objects, { region: options.region });
  if (!result.ok) {
    for (const error of result.errors) process.stderr.write(`${formatLoadError(error)}\n`);
    return ExitCode.invalidInput;
  }
  const wide = options.output === "wide";
  printObject(result.plan, wide ? "table" : options.output, () =>
    renderPlanTable(result.plan, { wide }),
  );
  return ExitCode.ok;
}
