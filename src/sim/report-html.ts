import type { Sample, SimulationResult, SimulationSummary, Violation } from "./result.ts";

/**
 * One self-contained HTML page for a simulation result: summary, four inline SVG charts,
 * violations and the event log. Nothing is loaded from elsewhere, so the file can be mailed,
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
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    renderHeader(result),
    '<section class="charts">',
    ...chartsFor(result.samples).map(renderChart),
    "</section>",
    renderViolations(result.violations),
    renderEvents(result),
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1f2328; background: #fff; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
.summary { display: flex; flex-wrap: wrap; align-items: flex-start; gap: .75rem; margin: .75rem 0 1.5rem; }
.summary dl { margin: 0; padding: .5rem .75rem; border: 1px solid #d0d7de; border-radius: 6px; }
.summary dt { font-weight: 600; margin-top: .25rem; }
.summary dt:first-child { margin-top: 0; }
.summary dd { margin: 0; font-variant-numeric: tabular-nums; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 1rem; }
figure { margin: 0; }
figcaption { font-weight: 600; margin-bottom: .25rem; }
svg { width: 100%; height: auto; max-width: 640px; display: block; }
svg text { font-size: 11px; fill: #57606a; }
.axis { stroke: #8c959f; }
.grid { stroke: #eaeef2; }
.empty { font-size: 13px; }
polyline { fill: none; stroke-width: 1.75; stroke-linejoin: round; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: .75rem; padding: 0; margin: .25rem 0 0; }
.swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; margin-right: .3rem; vertical-align: -1px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .2rem .5rem; border-bottom: 1px solid #eaeef2; vertical-align: top; }
td.t { white-space: nowrap; font-variant-numeric: tabular-nums; }
`;

const COLORS = ["#0969da", "#cf222e", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#1b7c83"];

/** Escapes for both element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

function usd(amount: number): string {
  return `$${finite(amount).toFixed(4)}`;
}

/** Bad input must never reach the SVG as `NaN` or `Infinity`, which browsers reject. */
function finite(value: number): number {
  return Number.isFinite(value) ? value : 0;
}

/** Compact Go-like durations for axis ticks: 0s, 45s, 30m, 1h, 1h30m. */
export function formatSeconds(seconds: number): string {
  const total = Math.round(finite(seconds));
  if (total === 0) return "0s";
  const sign = total < 0 ? "-" : "";
  const abs = Math.abs(total);
  const parts = [
    [Math.floor(abs / 3600), "h"],
    [Math.floor((abs % 3600) / 60), "m"],
    [abs % 60, "s"],
  ] as const;
  return sign + parts.map(([n, unit]) => (n > 0 ? `${n}${unit}` : "")).join("");
}

// --- header ---------------------------------------------------------------------------------

function renderHeader(result: SimulationResult): string {
  const s = result.summary;
  return [
    "<header>",
    `<h1>Simulation: ${escapeHtml(result.scenario)}</h1>`,
    `<div>seed <strong>${escapeHtml(String(result.seed))}</strong>, duration <strong>${escapeHtml(s.duration)}</strong></div>`,
    '<div class="summary">',
    ...summaryGroups(s).map(renderGroup),
    "</div>",
    "</header>",
  ].join("\n");
}

type Group = readonly (readonly [string, string])[];

function summaryGroups(s: SimulationSummary): Group[] {
  const d = s.disruptions;
  return [
    [
      ["Pods created", String(s.pods.created)],
      ["Max pending", String(s.pods.maxPending)],
      ["Pending p50 / p99", `${s.pods.pendingSecondsP50}s / ${s.pods.pendingSecondsP99}s`],
      ["Never scheduled", String(s.pods.neverScheduled)],
    ],
    [
      ["Nodes launched", String(s.nodes.launched)],
      ["Nodes terminated", String(s.nodes.terminated)],
      ["Peak nodes", String(s.nodes.peak)],
      ["Final nodes", String(s.nodes.final)],
    ],
    [
      ["Total cost", usd(s.cost.total)],
      ["Final hourly cost", `${usd(s.cost.finalHourly)}/h`],
    ],
    (Object.keys(d) as (keyof typeof d)[]).map((reason) => [
      `Disrupted: ${reason}`,
      String(d[reason]),
    ]),
  ];
}

function renderGroup(group: Group): string {
  const rows = group.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`);
  return `<dl>${rows.join("")}</dl>`;
}

// --- charts ---------------------------------------------------------------------------------

interface Series {
  readonly name: string;
  readonly values: readonly number[];
}

interface Chart {
  readonly id: string;
  readonly title: string;
  readonly xs: readonly number[];
  readonly series: readonly Series[];
  readonly formatValue: (value: number) => string;
  /** Counts of nodes or pods: a tick at 0.5 would be meaningless. */
  readonly wholeNumbers: boolean;
}

function chartsFor(samples: readonly Sample[]): Chart[] {
  const xs = samples.map((s) => finite(s.seconds));
  const count = (value: number) => String(value);
  return [
    {
      id: "nodes-by-pool",
      title: "Nodes by NodePool",
      xs,
      series: seriesByKey(samples, (s) => s.nodesByPool),
      formatValue: count,
      wholeNumbers: true,
    },
    {
      id: "nodes-by-capacity-type",
      title: "Nodes by capacity type",
      xs,
      series: seriesByKey(samples, (s) => s.nodesByCapacityType),
      formatValue: count,
      wholeNumbers: true,
    },
    {
      id: "pods",
      title: "Pods",
      xs,
      series: [
        { name: "pending", values: samples.map((s) => s.pendingPods) },
        { name: "running", values: samples.map((s) => s.runningPods) },
      ],
      formatValue: count,
      wholeNumbers: true,
    },
    {
      id: "cost",
      title: "Hourly cost (USD)",
      xs,
      series: [{ name: "hourly cost", values: samples.map((s) => s.hourlyCost) }],
      formatValue: (value) => `$${value}`,
      wholeNumbers: false,
    },
  ];
}

/** A pool or capacity type can appear mid-run; before that it counts as zero nodes. */
function seriesByKey(
  samples: readonly Sample[],
  pick: (sample: Sample) => Readonly<Record<string, number>>,
): Series[] {
  const names = [...new Set(samples.flatMap((s) => Object.keys(pick(s))))].sort();
  return names.map((name) => ({ name, values: samples.map((s) => pick(s)[name] ?? 0) }));
}

const WIDTH = 640;
const HEIGHT = 240;
const PLOT = { left: 56, right: WIDTH - 16, top: 12, bottom: HEIGHT - 28 };

interface Scale {
  readonly x: (seconds: number) => number;
  readonly y: (value: number) => number;
  readonly xTicks: readonly number[];
  readonly yTicks: readonly number[];
}

function renderChart(chart: Chart): string {
  const scale = scaleFor(chart);
  const body =
    chart.xs.length === 0
      ? `<text class="empty" x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle">No samples</text>`
      : chart.series.map((series, i) => renderSeries(series, i, chart.xs, scale)).join("");
  return [
    "<figure>",
    `<figcaption>${escapeHtml(chart.title)}</figcaption>`,
    `<svg data-chart="${escapeHtml(chart.id)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" xmlns="http://www.w3.org/2000/svg">`,
    `<title>${escapeHtml(chart.title)}</title>`,
    renderAxes(chart, scale),
    body,
    "</svg>",
    renderLegend(chart.series),
    "</figure>",
  ].join("\n");
}

function scaleFor(chart: Chart): Scale {
  const start = Math.min(0, extreme(chart.xs, Math.min));
  const xTicks = timeTicks(start, Math.max(start, extreme(chart.xs, Math.max)));
  // The axis spans whole ticks, so it starts and ends on a labelled time.
  const xMin = xTicks[0] ?? start;
  const xMax = xTicks[xTicks.length - 1] ?? xMin + 1;
  const yMaxValue = Math.max(0, ...chart.series.map((s) => extreme(s.values, Math.max)));
  const yTicks = valueTicks(yMaxValue, chart.wholeNumbers);
  const yMax = yTicks[yTicks.length - 1] ?? 1;
  const spanX = PLOT.right - PLOT.left;
  const spanY = PLOT.bottom - PLOT.top;
  return {
    x: (seconds) => PLOT.left + ((seconds - xMin) / (xMax - xMin)) * spanX,
    y: (value) => PLOT.bottom - (Math.max(0, finite(value)) / yMax) * spanY,
    xTicks,
    yTicks,
  };
}

/** Math.max(...values) overflows the call stack on long runs; a loop does not. */
function extreme(values: readonly number[], pick: (a: number, b: number) => number): number {
  return values.reduce((acc, v) => pick(acc, finite(v)), finite(values[0] ?? 0));
}

// Steps a reader can count in: seconds, minutes, then hours.
const TIME_STEPS = [1, 5, 10, 15, 30, 60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200];

/** At most about six ticks, always at least two so the scale never divides by zero. */
function timeTicks(min: number, max: number): number[] {
  const span = Math.max(max - min, 1);
  const step = TIME_STEPS.find((s) => span / s <= 6) ?? Math.ceil(span / 6 / 86400) * 86400;
  const first = Math.floor(min / step) * step;
  const last = Math.max(Math.ceil(max / step) * step, first + step);
  return range(first, last, step);
}

/** Round steps (1, 2 or 5 times a power of ten) from zero; an all-zero chart still gets 0..1. */
function valueTicks(max: number, wholeNumbers: boolean): number[] {
  if (max <= 0) return [0, 1];
  const raw = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const nice = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const step = wholeNumbers ? Math.max(1, nice) : nice;
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  // Rounding to the step's decimals keeps 0.1 + 0.2 from showing up as 0.30000000000000004.
  return range(0, Math.ceil(max / step - 1e-9) * step, step).map((v) =>
    Number(v.toFixed(decimals)),
  );
}

function range(first: number, last: number, step: number): number[] {
  const count = Math.round((last - first) / step);
  return Array.from({ length: count + 1 }, (_, i) => first + i * step);
}

function renderAxes(chart: Chart, scale: Scale): string {
  const xLabels = scale.xTicks.map((t) => {
    const x = num(scale.x(t));
    return `<line class="grid" x1="${x}" x2="${x}" y1="${PLOT.top}" y2="${PLOT.bottom}"/><text x="${x}" y="${PLOT.bottom + 16}" text-anchor="middle">${escapeHtml(formatSeconds(t))}</text>`;
  });
  const yLabels = scale.yTicks.map((v) => {
    const y = num(scale.y(v));
    return `<line class="grid" x1="${PLOT.left}" x2="${PLOT.right}" y1="${y}" y2="${y}"/><text x="${PLOT.left - 6}" y="${y}" dy="4" text-anchor="end">${escapeHtml(chart.formatValue(v))}</text>`;
  });
  const axes = `<line class="axis" x1="${PLOT.left}" x2="${PLOT.left}" y1="${PLOT.top}" y2="${PLOT.bottom}"/><line class="axis" x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.bottom}" y2="${PLOT.bottom}"/>`;
  return `<g class="axes">${xLabels.join("")}${yLabels.join("")}${axes}</g>`;
}

function renderSeries(series: Series, index: number, xs: readonly number[], scale: Scale): string {
  const color = colorAt(index);
  const points = series.values.map((v, i) => `${num(scale.x(xs[i] ?? 0))},${num(scale.y(v))}`);
  const name = escapeHtml(series.name);
  const line = `<polyline data-series="${name}" stroke="${color}" points="${points.join(" ")}"/>`;
  // A polyline through a single point draws nothing, so one sample gets a visible dot.
  const dot =
    points.length === 1
      ? `<circle cx="${num(scale.x(xs[0] ?? 0))}" cy="${num(scale.y(series.values[0] ?? 0))}" r="3" fill="${color}"/>`
      : "";
  return line + dot;
}

function renderLegend(series: readonly Series[]): string {
  const items = series.map(
    (s, i) =>
      `<li><span class="swatch" style="background:${colorAt(i)}"></span>${escapeHtml(s.name)}</li>`,
  );
  return `<ul class="legend">${items.join("")}</ul>`;
}

function colorAt(index: number): string {
  return COLORS[index % COLORS.length] ?? "#000";
}

/** One decimal is finer than a pixel and keeps the markup small. */
function num(value: number): string {
  return String(Math.round(finite(value) * 10) / 10);
}

// --- tables ---------------------------------------------------------------------------------

function renderViolations(violations: readonly Violation[]): string {
  const heading = `<h2>Violations (${violations.length})</h2>`;
  if (violations.length === 0)
    return `<section class="violations">${heading}<p>No violations</p></section>`;
  const rows = violations.map((v) => [v.t, v.invariant, v.object, v.message]);
  return `<section class="violations">${heading}${renderTable(["t", "invariant", "object", "message"], rows)}</section>`;
}

function renderEvents(result: SimulationResult): string {
  const heading = `<h2>Events (${result.events.length})</h2>`;
  const rows = result.events.map((e) => [e.t, e.kind, e.object, e.message]);
  return `<section class="events">${heading}${renderTable(["t", "kind", "object", "message"], rows)}</section>`;
}

function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const body = rows.map(
    (row) =>
      `<tr>${row.map((cell, i) => `<td${i === 0 ? ' class="t"' : ""}>${escapeHtml(cell)}</td>`).join("")}</tr>`,
  );
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body.join("\n")}\n</tbody></table>`;
}
