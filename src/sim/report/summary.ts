import type { SimulationResult, SimulationSummary } from "../result.ts";
import { escapeHtml, usd } from "./escape.ts";

/** The page's header: what ran, and the summary's figures grouped as a reader asks about them. */
export function renderSummary(result: SimulationResult): string {
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

interface Group {
  readonly title: string;
  readonly rows: readonly (readonly [string, string])[];
}

function summaryGroups(s: SimulationSummary): Group[] {
  const d = s.disruptions;
  return [
    {
      title: "Pods",
      rows: [
        ["created", String(s.pods.created)],
        ["most pending at once", String(s.pods.maxPending)],
        ["pending time p50 / p99", `${s.pods.pendingSecondsP50}s / ${s.pods.pendingSecondsP99}s`],
        ["never scheduled", String(s.pods.neverScheduled)],
      ],
    },
    {
      title: "Nodes",
      rows: [
        ["launched", String(s.nodes.launched)],
        ["terminated", String(s.nodes.terminated)],
        ["peak", String(s.nodes.peak)],
        ["at the end", String(s.nodes.final)],
      ],
    },
    {
      title: "Cost",
      rows: [
        ["whole run", usd(s.cost.total)],
        ["hourly at the end", `${usd(s.cost.finalHourly)}/h`],
      ],
    },
    {
      title: "Disruptions",
      rows: (Object.keys(d) as (keyof typeof d)[]).map((reason) => [reason, String(d[reason])]),
    },
  ];
}

function renderGroup(group: Group): string {
  const rows = group.rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`);
  return `<dl><h3>${escapeHtml(group.title)}</h3>${rows.join("")}</dl>`;
}
