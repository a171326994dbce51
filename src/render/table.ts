import { escapeForTerminal } from "./terminal-text.ts";
import { plainStyle, type TextStyle } from "./text-style.ts";

/**
 * A plain, kubectl-like table: upper-case headers, columns padded with three spaces. The style
 * applies to the header line after padding, so escape codes never count towards a width.
 */
export function renderTable(
  headers: readonly string[],
  cellRows: readonly (readonly string[])[],
  style: TextStyle = plainStyle,
): string {
  // Cells quote input (pod and node names, label values): control characters are shown escaped.
  const rows = cellRows.map((row) => row.map(escapeForTerminal));
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0),
      )
      .join("   ")
      .trimEnd();
  return [style.heading(line(headers)), ...rows.map(line)].join("\n");
}

/** Prices are USD per hour; four decimals show every catalog price exactly enough to compare. */
export function formatPrice(price: number): string {
  return `$${price.toFixed(4)}`;
}

/** A list of names, shortened after `max` with a count of the rest. */
export function abbreviateList(names: readonly string[], max = 4): string {
  if (names.length <= max) return names.join(", ");
  return `${names.slice(0, max).join(", ")} +${names.length - max} more`;
}
