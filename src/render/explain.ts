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
  return `Pod ${explanation.pod}${relaxed}\n\n${renderTable(["TARGET", "FITS", "WHY"], rows)}\n\nIn the full plan: ${explanation.planned}\n`;
}
