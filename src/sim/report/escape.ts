/** Escapes for both element content and quoted attribute values: object names can hold anything. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** Bad input must never reach the SVG as `NaN` or `Infinity`, which browsers reject. */
export function finite(value: number): number {
  return Number.isFinite(value) ? value : 0;
}

export function usd(amount: number): string {
  return `$${finite(amount).toFixed(4)}`;
}
