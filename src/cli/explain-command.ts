import { formatLoadError } from "../api/load.ts";
import { explainObjects } from "../explain.ts";
import { renderExplanation } from "../render/explain.ts";
import {
  ExitCode,
  type LoadFlags,
  loadOrReport,
  type OutputFormat,
  printDiagnostic,
} from "./output.ts";
import { printOutput } from "./print-output.ts";

export interface ExplainCommandOptions extends LoadFlags {
  readonly filename: string[];
  /** `name`: a `nodepool/NAME` or `node/NAME` line for each target that can take the pod. */
  readonly output: OutputFormat | "name";
  readonly region: string;
}

/** `carpool explain POD`: exit 0 with an explanation, 2 on invalid input or an unknown pod. */
export function runExplain(pod: string, options: ExplainCommandOptions): number {
  const loaded = loadOrReport(options.filename, options);
  if (loaded === undefined) return ExitCode.invalidInput;
  const result = explainObjects(loaded.objects, pod, { region: options.region });
  if (result.ok) {
    const explanation = result.explanation;
    printOutput(explanation, options.output, {
      table: () => renderExplanation(explanation),
      // Targets are written `Kind/NAME`; -o name lower-cases the kind as kubectl does.
      names: () =>
        explanation.targets
          .filter((target) => target.verdict === "fits")
          .map((target) => target.target.replace(/^[^/]+/, (kind) => kind.toLowerCase())),
    });
    return ExitCode.ok;
  }
  if ("errors" in result) {
    for (const error of result.errors) printDiagnostic(formatLoadError(error));
  } else {
    const known =
      result.pending.length > 0
        ? `; pending pods: ${result.pending.join(", ")}`
        : "; there are no pending pods";
    printDiagnostic(`pod ${result.notFound} is not a pending pod in the input${known}`);
  }
  return ExitCode.invalidInput;
}
