import { formatLoadError } from "../api/load.ts";
import { planObjects } from "../plan.ts";
import { renderPlanTable } from "../render/plan.ts";
import { plainStyle, type TextStyle } from "../render/text-style.ts";
import { ExitCode, type LoadFlags, loadOrReport, printDiagnostic } from "./output.ts";
import { type Output, printOutput } from "./print-output.ts";
import { podProgress } from "./progress.ts";

export interface PlanCommandOptions extends LoadFlags {
  readonly filename: string[];
  /**
   * `wide`: the table with each node's price in parts (instance, volumes, public IPv4);
   * `name`: a `nodeclaim/NAME` line for each node carpool would launch.
   */
  readonly output: Output;
  readonly region: string;
  /** Exit 3 when some pending pod has no place, for CI gates. */
  readonly failUnschedulable?: boolean;
}

/**
 * `carpool plan`: exit 0 with a plan (fitting or not), 2 on invalid input; with
 * `--fail-unschedulable`, 3 when the plan leaves a pod unschedulable (the plan is still printed).
 */
export function runPlan(options: PlanCommandOptions, style: TextStyle = plainStyle): number {
  const loaded = loadOrReport(options.filename, options);
  if (loaded === undefined) return ExitCode.invalidInput;
  const progress = podProgress(process.stderr, "planning");
  const result = planObjects(loaded.objects, {
    region: options.region,
    onProgress: progress.update,
  });
  progress.done();
  if (!result.ok) {
    for (const error of result.errors) printDiagnostic(formatLoadError(error));
    return ExitCode.invalidInput;
  }
  const plan = result.plan;
  printOutput(plan, options.output, {
    table: (wide) => renderPlanTable(plan, { wide, style }),
    names: () => plan.nodeClaims.map((claim) => `nodeclaim/${claim.name}`),
  });
  if (options.failUnschedulable === true && plan.summary.unschedulable > 0) {
    const pods = plan.summary.unschedulable;
    process.stderr.write(
      `${pods} pod${pods === 1 ? "" : "s"} cannot be scheduled (--fail-unschedulable)\n`,
    );
    return ExitCode.unschedulable;
  }
  return ExitCode.ok;
}
