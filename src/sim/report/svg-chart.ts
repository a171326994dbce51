import { type Chart, type Series, TIME_AXIS_TITLE } from "./charts.ts";
import { escapeHtml, finite } from "./escape.ts";
import { decimalsOf, formatSeconds, timeTicks, valueTicks } from "./ticks.ts";

const WIDTH = 620;
const HEIGHT = 270;
const PLOT = { left: 70, right: WIDTH - 16, top: 14, bottom: HEIGHT - 46 };
/**
 * Pending pods often last less than one sample of a day-long run, a fraction of a pixel: a bar
 * is never narrower than this (the SVG is drawn at its own size, so these are CSS pixels).
 */
export const MIN_BAR_WIDTH = 4;

// Red is kept for pending pods, so no series of another chart reads as trouble.
const COLORS = ["#0969da", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#1b7c83", "#57606a"];
/** Pending pods are the thing to notice, whatever their position in the legend. */
const BAR_COLOR = "#d1242f";

interface Scale {
  readonly x: (seconds: number) => number;
  readonly y: (value: number) => number;
  readonly xTicks: readonly number[];
  readonly yTicks: readonly number[];
}

export function renderChart(chart: Chart): string {
  const scale = scaleFor(chart);
  const id = escapeHtml(chart.id);
  return [
    `<figure data-figure="${id}">`,
    `<figcaption>${escapeHtml(chart.title)}</figcaption>`,
    `<svg data-chart="${id}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" xmlns="http://www.w3.org/2000/svg">`,
    `<title>${escapeHtml(`${chart.title}: ${chart.yTitle} over ${TIME_AXIS_TITLE}`)}</title>`,
    renderAxes(chart, scale),
    renderBody(chart, scale),
    "</svg>",
    renderLegend(chart.series),
    chart.note === undefined ? "" : `<p class="note">${escapeHtml(chart.note)}</p>`,
    "</figure>",
  ].join("\n");
}

function renderBody(chart: Chart, scale: Scale): string {
  const empty = (text: string) =>
    `<text class="empty" x="${(PLOT.left + PLOT.right) / 2}" y="${(PLOT.top + PLOT.bottom) / 2}" text-anchor="middle">${text}</text>`;
  if (chart.xs.length === 0) return empty("No samples");
  if (chart.series.length === 0) return empty("Nothing ran");
  // Bars after lines, so a short burst of pending pods is never hidden under a line.
  const ordered = chart.series
    .map((series, i) => ({ series, color: colorAt(i) }))
    .sort((a, b) => Number(a.series.style === "bars") - Number(b.series.style === "bars"));
  return ordered
    .map(({ series, color }) =>
      series.style === "bars"
        ? renderBars(series, chart, scale)
        : renderStep(series, color, chart.xs, scale),
    )
    .join("");
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
    x: (seconds) => PLOT.left + ((finite(seconds) - xMin) / (xMax - xMin)) * spanX,
    y: (value) => PLOT.bottom - (Math.max(0, finite(value)) / yMax) * spanY,
    xTicks,
    yTicks,
  };
}

/** Math.max(...values) overflows the call stack on long runs; a loop does not. */
function extreme(values: readonly number[], pick: (a: number, b: number) => number): number {
  return values.reduce((acc, v) => pick(acc, finite(v)), finite(values[0] ?? 0));
}

function renderAxes(chart: Chart, scale: Scale): string {
  const step = (scale.yTicks[1] ?? 1) - (scale.yTicks[0] ?? 0);
  const decimals = decimalsOf(step);
  const xLabels = scale.xTicks.map((t) => {
    const x = num(scale.x(t));
    return `<line class="grid" x1="${x}" x2="${x}" y1="${PLOT.top}" y2="${PLOT.bottom}"/><text x="${x}" y="${PLOT.bottom + 16}" text-anchor="middle">${escapeHtml(formatSeconds(t))}</text>`;
  });
  const yLabels = scale.yTicks.map((v) => {
    const y = num(scale.y(v));
    return `<line class="grid" x1="${PLOT.left}" x2="${PLOT.right}" y1="${y}" y2="${y}"/><text x="${PLOT.left - 6}" y="${y}" dy="4" text-anchor="end">${escapeHtml(chart.formatValue(v, decimals))}</text>`;
  });
  const axes = `<line class="axis" x1="${PLOT.left}" x2="${PLOT.left}" y1="${PLOT.top}" y2="${PLOT.bottom}"/><line class="axis" x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.bottom}" y2="${PLOT.bottom}"/>`;
  const midY = (PLOT.top + PLOT.bottom) / 2;
  const titles =
    `<text class="axis-title" data-axis="x" x="${(PLOT.left + PLOT.right) / 2}" y="${HEIGHT - 8}" text-anchor="middle">${escapeHtml(TIME_AXIS_TITLE)}</text>` +
    `<text class="axis-title" data-axis="y" transform="rotate(-90)" x="${-midY}" y="16" text-anchor="middle">${escapeHtml(chart.yTitle)}</text>`;
  return `<g class="axes">${xLabels.join("")}${yLabels.join("")}${axes}${titles}</g>`;
}

/** Holds each value until the next sample: node and pod counts change in steps, not slopes. */
function renderStep(series: Series, color: string, xs: readonly number[], scale: Scale): string {
  const name = escapeHtml(series.name);
  const first = series.values[0] ?? 0;
  // Only changes need a segment: a day of minutes is a few dozen steps, not 1440.
  const moves: string[] = [];
  let held = num(scale.y(first));
  let at = num(scale.x(xs[0] ?? 0));
  series.values.forEach((v, i) => {
    const y = num(scale.y(v));
    if (i === 0 || y === held) return;
    at = num(scale.x(xs[i] ?? 0));
    moves.push(`H${at}V${y}`);
    held = y;
  });
  const end = num(scale.x(xs[series.values.length - 1] ?? 0));
  if (end !== at) moves.push(`H${end}`);
  const d = `M${num(scale.x(xs[0] ?? 0))},${num(scale.y(first))}${moves.join("")}`;
  const line = `<path data-series="${name}" class="step" stroke="${color}" d="${d}"/>`;
  // A path through a single point draws nothing, so one sample gets a visible dot.
  const dot =
    series.values.length === 1
      ? `<circle cx="${num(scale.x(xs[0] ?? 0))}" cy="${num(scale.y(first))}" r="3" fill="${color}"/>`
      : "";
  return line + dot;
}

/** One bar per run of equal, non-zero samples, from its first sample to the next one. */
function renderBars(series: Series, chart: Chart, scale: Scale): string {
  const { xs } = chart;
  const name = escapeHtml(series.name);
  const lastStep = xs.length > 1 ? (xs[xs.length - 1] ?? 0) - (xs[xs.length - 2] ?? 0) : 60;
  const bars: string[] = [];
  for (let i = 0; i < series.values.length; ) {
    const value = finite(series.values[i] ?? 0);
    let j = i + 1;
    while (j < series.values.length && series.values[j] === value) j++;
    if (value > 0) {
      const from = xs[i] ?? 0;
      const to = xs[j] ?? (xs[j - 1] ?? 0) + lastStep;
      const left = scale.x(from);
      const width = Math.max(MIN_BAR_WIDTH, Math.min(scale.x(to), PLOT.right) - left);
      const top = scale.y(value);
      const label = `${chart.formatValue(value, decimalsOf(value))} ${chart.yTitle} ${series.name} from ${formatSeconds(from)} to ${formatSeconds(to)}`;
      bars.push(
        `<rect x="${num(left)}" y="${num(top)}" width="${num(width)}" height="${num(PLOT.bottom - top)}"><title>${escapeHtml(label)}</title></rect>`,
      );
    }
    i = j;
  }
  return `<g data-series="${name}" class="bars" fill="${BAR_COLOR}">${bars.join("")}</g>`;
}

function renderLegend(series: readonly Series[]): string {
  const items = series.map(
    (s, i) =>
      `<li><span class="swatch ${s.style}" style="background:${s.style === "bars" ? BAR_COLOR : colorAt(i)}"></span>${escapeHtml(s.name)}</li>`,
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
