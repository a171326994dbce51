import type { SimulationResult } from "../sim/result.ts";
import { formatPrice, renderTable } from "./table.ts";

/** `carpool simulate -o table`: what happened, in a few lines, then the violations. */
export function renderSimulationTable(result: SimulationResult): string {
  const s = result.summary;
  const rows: [string, string][] = [
    ["scenario", `${result.scenario} (seed ${result.seed}), ${s.duration} of virtual time`],
    [
      "pods",
      `${s.pods.created} created, at most ${s.pods.maxPending} pending, pending p50 ${s.pods.pendingSecondsP50}s p99 ${s.pods.pendingSecondsP99}s, ${s.pods.neverScheduled} never scheduled`,
    ],
    [
      "nodes",
      `${s.nodes.launched} launched, ${s.nodes.terminated} terminated, peak ${s.nodes.peak}, ${s.nodes.final} at the end`,
    ],
    [
      "cost",
      `${formatPrice(s.cost.total)} in all, ${formatPrice(s.cost.finalHourly)}/h at the end`,
    ],
    [
      "disruptions",
      Object.entries(s.disruptions)
        .map(([reason, count]) => `${reason} ${count}`)
        .join(", "),
    ],
    ["events", String(result.events.length)],
    ["violations", String(result.violations.length)],
  ];
  const sections = [renderTable(["", ""], rows).split("\n").slice(1).join("\n")];
  if (result.violations.length > 0) {
    sections.push(
      renderTable(
        ["T", "INVARIANT", "OBJECT", "MESSAGE"],
        result.violations.map((v) => [v.t, v.invariant, v.object, v.message]),
      ),
    );
  }
  return `${sections.join("\n\n")}\n`;
}
