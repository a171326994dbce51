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

const goUnitMs: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  "\u00b5s": 1e-3,
  "\u03bcs": 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Go's time.ParseDuration in full (`1.5h`, `-5m`, `300ms`, `0`), in milliseconds; undefined when
 * Go would refuse the text. Annotations such as karpenter.sh/do-not-disrupt are parsed with it.
 */
export function parseGoDuration(text: string): number | undefined {
  const match = /^([-+]?)(.*)$/s.exec(text);
  const sign = match?.[1] === "-" ? -1 : 1;
  const body = match?.[2] ?? "";
  if (body === "0") return 0;
  if (body === "") return undefined;
  let ms = 0;
  let rest = body;
  while (rest !== "") {
    const part = /^([0-9]*)(?:\.([0-9]*))?([^0-9.]+)/.exec(rest);
    if (part === null) return undefined;
    const [whole, integer = "", fraction, unit = ""] = part;
    if (integer === "" && (fraction ?? "") === "") return undefined;
    const scale = goUnitMs[unit];
    if (scale === undefined) return undefined;
    ms += Number(`${integer || "0"}.${fraction || "0"}`) * scale;
    rest = rest.slice(whole.length);
  }
  return sign * ms;
}
