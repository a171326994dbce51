const unitMs: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000 };

/**
 * A Go duration as Karpenter's NodePool fields allow it (`720h`, `1h30m`, `30s`), in
 * milliseconds; `Never` (where allowed) is Infinity. Throws on anything else.
 */
export function parseDuration(text: string): number {
  if (text === "Never") return Number.POSITIVE_INFINITY;
  const parts = [...text.matchAll(/([0-9]+)(h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text)
    throw new Error(`"${text}" is not a duration such as 720h, 1h30m or 30s`);
  return parts.reduce((ms, [, n, unit]) => ms + Number(n) * (unitMs[unit ?? ""] ?? 0), 0);
}

/** `1h30m`, `45s`, `2d3h` for people. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "never";
  let seconds = Math.max(0, Math.round(ms / 1000));
  const days = Math.floor(seconds / 86_400);
  seconds -= days * 86_400;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  const parts = [
    days > 0 ? `${days}d` : "",
    hours > 0 ? `${hours}h` : "",
    minutes > 0 ? `${minutes}m` : "",
    seconds > 0 ? `${seconds}s` : "",
  ].join("");
  return parts === "" ? "0s" : parts;
}
