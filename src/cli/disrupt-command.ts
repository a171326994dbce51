import { formatLoadError } from "../api/load.ts";
import { disruptObjects } from "../disrupt.ts";
import { renderDisruptionTable } from "../render/disruption.ts";
import { plainStyle, type TextStyle } from "../render/text-style.ts";
import { ExitCode, type LoadFlags, loadOrReport, printDiagnostic } from "./output.ts";
import { type Output, printOutput } from "./print-output.ts";

export interface DisruptCommandOptions extends LoadFlags {
  readonly filename: string[];
  /** `wide`: every node and the pods moved; `name`: a `node/NAME` line per node to disrupt. */
  readonly output: Output;
  readonly region: string;
  readonly now?: string;
  readonly spotToSpot: boolean;
}

/** `carpool disrupt`: exit 0 with a disruption plan, 2 on invalid input (including `--now`). */
export function runDisrupt(options: DisruptCommandOptions, style: TextStyle = plainStyle): number {
  let now = new Date();
  if (options.now !== undefined) {
    now = new Date(options.now);
    if (!/^\d{4}-\d\d-\d\dT/.test(options.now) || Number.isNaN(now.getTime())) {
      process.stderr.write(
        `--now: "${options.now}" is not an RFC 3339 time such as 2026-11-25T12:00:00Z\n`,
      );
      return ExitCode.invalidInput;
    }
  }
  const loaded = loadOrReport(options.filename, options);
  if (loaded === undefined) return ExitCode.invalidInput;
  const result = disruptObjects(loaded.objects, {
    now,
    region: options.region,
    spotToSpot: options.spotToSpot,
  });
  if (!result.ok) {
    for (const error of result.errors) printDiagnostic(formatLoadError(error));
    return ExitCode.invalidInput;
  }
  const plan = result.plan;
  printOutput(plan, options.output, {
    table: (wide) => renderDisruptionTable(plan, { wide, style }),
    // In command order: the order disruption would act in.
    names: () => plan.commands.flatMap((command) => command.nodes.map((node) => `node/${node}`)),
  });
  return ExitCode.ok;
}
