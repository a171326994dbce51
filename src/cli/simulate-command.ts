import { writeFileSync } from "node:fs";
import { formatLoadError } from "../api/load.ts";
import type { KnownObject } from "../api/validate.ts";
import { packageFile } from "../package-files.ts";
import { renderSimulationTable } from "../render/simulation.ts";
import { objectsOnlyScenario } from "../sim/objects-scenario.ts";
import { renderReportHtml } from "../sim/report-html.ts";
import { loadScenario, type Scenario } from "../sim/scenario.ts";
import { simulate } from "../sim/simulation.ts";
import {
  ExitCode,
  type LoadFlags,
  loadOrReport,
  type OutputFormat,
  printDiagnostic,
  printObject,
} from "./output.ts";

export interface SimulateCommandOptions extends LoadFlags {
  readonly filename: string[];
  readonly output: OutputFormat;
  readonly report?: string;
  readonly seed?: string;
}

/** The bundled demo: a day of EKS-style traffic on spot and on-demand pools. */
export const DemoScenario = packageFile("examples/scenarios/eks-daily-traffic.yaml");

/** `carpool simulate`: exit 0 with a result (violations included), 2 on invalid input. */
export async function runSimulate(
  scenarioPath: string | undefined,
  options: SimulateCommandOptions,
): Promise<number> {
  const seed = options.seed === undefined ? undefined : Number(options.seed);
  if (seed !== undefined && !Number.isInteger(seed)) {
    process.stderr.write(`--seed: "${options.seed}" is not an integer\n`);
    return ExitCode.invalidInput;
  }
  let extra: KnownObject[] = [];
  if (options.filename.length > 0) {
    const objects = loadOrReport(options.filename, options);
    if (objects === undefined) return ExitCode.invalidInput;
    extra = objects.objects.map((o) => o.object);
  }
  // With -f and no scenario, the -f objects alone are the cluster: the demo's would pass for theirs.
  let scenario: Scenario;
  if (scenarioPath === undefined && options.filename.length > 0)
    scenario = objectsOnlyScenario(options.filename);
  else {
    const loaded = loadScenario(scenarioPath ?? DemoScenario);
    if (!loaded.ok) {
      for (const error of loaded.errors) printDiagnostic(formatLoadError(error));
      return ExitCode.invalidInput;
    }
    for (const unknown of loaded.unknownFields)
      printDiagnostic(`${options.strict === true ? "" : "warning: "}${formatLoadError(unknown)}`);
    if (options.strict === true && loaded.unknownFields.length > 0) return ExitCode.invalidInput;
    scenario = loaded.scenario;
  }
  const progress = process.stderr.isTTY ? progressBar() : undefined;
  const result = await simulate(scenario, extra, {
    ...(seed !== undefined && { seed }),
    ...(progress && { onProgress: progress.update }),
  });
  progress?.done();
  if (options.report !== undefined) {
    writeFileSync(options.report, renderReportHtml(result));
    process.stderr.write(`report written to ${options.report}\n`);
  }
  printObject(result, options.output, () => renderSimulationTable(result));
  return ExitCode.ok;
}

/** A one-line progress bar on standard error, redrawn at most every whole percent. */
function progressBar(): { update: (fraction: number) => void; done: () => void } {
  let shown = -1;
  return {
    update: (fraction) => {
      const percent = Math.min(100, Math.floor(fraction * 100));
      if (percent === shown) return;
      shown = percent;
      const width = 30;
      const filled = Math.round((percent / 100) * width);
      process.stderr.write(`\r[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${percent}%`);
    },
    done: () => process.stderr.write("\r\x1b[K"),
  };
}
