import { formatLoadError } from "../api/load.ts";
import { explainObjects } from "../explain.ts";
import { renderExplanation } from "../render/explain.ts";
import { ExitCode, loadOrReport, type OutputFormat, printObject } from "./output.ts";

export interface ExplainCommandOptions {
  readonly filename: string[];
  readonly output: OutputFormat;
  readonly region: string;
}

/** `carpool explain POD`: exit 0 with an explanation, 2 on invalid input or an unknown pod. */
export function runExplain(pod: string, options: ExplainCommandOptions): number {
  const loaded = loadOrReport(options.filename);
  if (loaded === undefined) return ExitCode.invalidInput;
  const result = explainObjects(loaded.objects, pod, { region: options.region });
  if (result.ok) {
    printObject(result.explanation, options.output, () => renderExplanation(result.explanation));
    return ExitCode.ok;
  }
  if ("errors" in result) {
    for (const error of result.errors) process.stderr.write(`${formatLoadError(error)}\n`);
  } else {
    const known =
      result.pending.length > 0
        ? `; pending pods: ${result.pending.join(", ")}`
        : "; there are no pending pods";
    process.stderr.write(`pod ${result.notFound} is not a pending pod in the input${known}\n`);
  }
  return ExitCode.invalidInput;
}
