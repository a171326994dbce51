import { formatLoadError } from "../api/load.ts";
import { planObjects } from "../plan.ts";
import { renderPlanTable } from "../render/plan.ts";
import { ExitCode, loadOrReport, type OutputFormat, printObject } from "./output.ts";

export interface PlanCommandOptions {
  readonly filename: string[];
  readonly output: OutputFormat;
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
  printObject(result.plan, options.output, () => renderPlanTable(result.plan));
  return ExitCode.ok;
}
