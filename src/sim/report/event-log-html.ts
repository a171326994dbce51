import type { SimulationEvent } from "../result.ts";
import { escapeHtml } from "./escape.ts";
import { EVENT_FILTER_SCRIPT } from "./event-filter-script.ts";
import { type EventRow, eventRows, type NamedObject, reasonCounts } from "./event-log.ts";

/**
 * The event log with its filters: a checkbox per reason with its count, and a text filter on
 * the objects a row concerns. Without script the page still lists every event; the script only
 * hides rows.
 */
export function renderEventLog(events: readonly SimulationEvent[]): string {
  const rows = eventRows(events);
  const total = rows.length;
  if (total === 0) return '<section class="events"><h2>Events (0)</h2><p>No events</p></section>';
  const heading = `<h2>Events <span class="shown">(<span data-shown>${total}</span> of ${total})</span></h2>`;
  return [
    '<section class="events" data-event-log>',
    heading,
    renderFilters(rows),
    "<table>",
    "<thead><tr><th>time</th><th>reason</th><th>object</th><th>message</th></tr></thead>",
    "<tbody>",
    ...rows.map(renderRow),
    "</tbody>",
    "</table>",
    "</section>",
    `<script>${EVENT_FILTER_SCRIPT}</script>`,
  ].join("\n");
}

function renderFilters(rows: readonly EventRow[]): string {
  const reasons = reasonCounts(rows).map(({ reason, count }) => {
    const r = escapeHtml(reason);
    return `<label class="reason-choice"><input type="checkbox" data-reason-filter value="${r}" checked> ${r} <span class="count" data-count="${r}">${count}</span></label>`;
  });
  return [
    '<div class="filters">',
    '<fieldset class="reasons"><legend>Reason</legend>',
    ...reasons,
    '<span class="select"><button type="button" data-select="all">all</button> <button type="button" data-select="none">none</button></span>',
    "</fieldset>",
    '<label class="object-filter">Object <input type="search" data-object-filter placeholder="e.g. Pod/shop/web or node-0002" autocomplete="off"></label>',
    '<p class="hint">A name in the object column filters to it; a Node and its NodeClaim count as one machine.</p>',
    "</div>",
  ].join("\n");
}

function renderRow(row: EventRow): string {
  const related = escapeHtml(row.related.map((name) => name.toLowerCase()).join("\n"));
  const rescheduled =
    row.rescheduled === undefined
      ? ""
      : `<div class="then">then at ${escapeHtml(row.rescheduled.t)}: ${escapeHtml(row.rescheduled.message)}</div>`;
  return [
    `<tr data-reason="${escapeHtml(row.reason)}" data-related="${related}">`,
    `<td class="t">${escapeHtml(row.t)}</td>`,
    `<td class="reason">${escapeHtml(row.reason)}</td>`,
    `<td class="objects">${row.objects.map(renderObject).join("")}</td>`,
    `<td>${escapeHtml(row.message)}${rescheduled}</td>`,
    "</tr>",
  ].join("");
}

/** A name that, clicked, filters the event log to the rows concerning it. */
export function objectButton(name: string): string {
  const escaped = escapeHtml(name);
  return `<button type="button" class="object" data-object="${escaped}">${escaped}</button>`;
}

function renderObject(object: NamedObject): string {
  const button = objectButton(object.name);
  const alias =
    object.alias === undefined ? "" : ` <span class="alias">${escapeHtml(object.alias)}</span>`;
  return `<div>${button}${alias}</div>`;
}
