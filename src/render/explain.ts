import type { Explanation } from "../explain.ts";
import { formatPrice, renderTable } from "./table.ts";

/** `carpool explain -o table`: a verdict per target, then where the full plan puts the pod. */
export function renderExplanation(explanation: Explanation): string {
  const rows = explanation.targets.flatMap((target) => {
    if (target.verdict === "fits") {
      const launch = target.launch
        ? `would launch ${target.launch.instanceType} in ${target.launch.zone} at ${formatPrice(target.launch.totalPrice)}/h`
        : "fits";
      return [[target.target, "yes", launch]];
    }
    return target.reasons.map((reason, i) => [
      i === 0 ? target.target : "",
      i === 0 ? "no" : "",
      reason,
    ]);
  });
  const fitsSomewhere = explanation.targets.some((target) => target.verdict === "fits");
  const steps = explanation.relaxedPreferences;
  const relaxed = !fitsSomewhere
    ? "\n(nothing fits, even with every scheduling preference relaxed)"
    : steps > 0
      ? `\n(after relaxing ${steps} scheduling preference${steps === 1 ? "" : "s"}, as Karpenter does)`
      : "";
  return `Pod ${explanation.pod}${relaxed}\n\n${renderTable(["TARGET", "FITS", "WHY"], rows)}\n\nIn the full plan: ${explanation.planned}${renderPlannedReasons(explanation, fitsSomewhere)}\n`;
}

/**
 * Why the full plan leaves the pod out, where the table above does not already say it: a target
 * may fit the pod alone and still be full in the plan (pods placed first took it, or its limits).
 */
function renderPlannedReasons(explanation: Explanation, fitsSomewhere: boolean): string {
  const reasons = explanation.plannedReasons;
  if (reasons === undefined || reasons.length === 0) return "";
  const told = new Set(
    explanation.targets.flatMap((t) => t.reasons.map((reason) => `${t.target}: ${reason}`)),
  );
  const lines = reasons.map((r) => `${r.target}: ${r.reason}`);
  if (lines.every((line) => told.has(line))) return "";
  const note = fitsSomewhere
    ? "\n(the verdicts above ask about this pod alone; in the full plan the pending pods placed before it take room and count against the pools' limits)"
    : "";
  return `, because${lines.map((line) => `\n  ${line}`).join("")}${note}`;
}
