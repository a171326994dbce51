import { chartsFor } from "./report/charts.ts";
import { escapeHtml } from "./report/escape.ts";
import { splitObjects } from "./report/event-log.ts";
import { objectButton, renderEventLog } from "./report/event-log-html.ts";
import { REPORT_STYLE } from "./report/style.ts";
import { renderSummary } from "./report/summary.ts";
import { renderChart } from "./report/svg-chart.ts";
import type { SimulationResult, Violation } from "./result.ts";

/**
 * One self-contained HTML page for a simulation result: summary, inline SVG charts, violations
 * and a filterable event log. Nothing is loaded from elsewhere, so the file can be mailed,
 * attached to CI runs or opened offline.
 */
export function renderReportHtml(result: SimulationResult): string {
  const title = `carpool simulation: ${result.scenario} (seed ${result.seed})`;
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${REPORT_STYLE}</style>`,
    "</head>",
    "<body>",
    renderSummary(result),
    '<section class="charts">',
    ...chartsFor(result.samples).map(renderChart),
    "</section>",
    renderViolations(result.violations),
    renderEventLog(result.events),
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

/** A violation's object leads to its events in the log below. */
function renderViolations(violations: readonly Violation[]): string {
  const heading = `<h2>Violations (${violations.length})</h2>`;
  if (violations.length === 0)
    return `<section class="violations">${heading}<p>No violations</p></section>`;
  const head = "<tr><th>time</th><th>invariant</th><th>object</th><th>message</th></tr>";
  const rows = violations.map(
    (v) =>
      `<tr><td class="t">${escapeHtml(v.t)}</td><td>${escapeHtml(v.invariant)}</td><td class="objects">${splitObjects(
        v.object,
      )
        .map((name) => `<div>${objectButton(name)}</div>`)
        .join("")}</td><td>${escapeHtml(v.message)}</td></tr>`,
  );
  return `<section class="violations">${heading}<table><thead>${head}</thead><tbody>\n${rows.join("\n")}\n</tbody></table></section>`;
}
