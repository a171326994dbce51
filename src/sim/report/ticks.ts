import { finite } from "./escape.ts";

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

// Steps a reader can count in: seconds, minutes, then hours.
const TIME_STEPS = [1, 5, 10, 15, 30, 60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200];

/** At most about eight ticks, always at least two so the scale never divides by zero. */
export function timeTicks(min: number, max: number): number[] {
  const span = Math.max(max - min, 1);
  const step = TIME_STEPS.find((s) => span / s <= 8) ?? Math.ceil(span / 8 / 86400) * 86400;
  const first = Math.floor(min / step) * step;
  const last = Math.max(Math.ceil(max / step) * step, first + step);
  return range(first, last, step);
}

/**
 * Round steps (1, 2, 2.5 or 5 times a power of ten) from zero, four or five of them, so 91 pods
 * get 0, 25, ... 100 rather than 0, 50, 100; an all-zero chart still gets 0..1.
 */
export function valueTicks(max: number, wholeNumbers: boolean): number[] {
  if (max <= 0) return [0, 1];
  const raw = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  // A count never steps by 2.5 (nor by less than 1): 2 or 3 nodes, never 2.5.
  const multiples = wholeNumbers && magnitude < 10 ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
  const nice = (multiples.find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const step = wholeNumbers ? Math.max(1, nice) : nice;
  const decimals = decimalsOf(step);
  // Rounding to the step's decimals keeps 0.1 + 0.2 from showing up as 0.30000000000000004.
  return range(0, Math.ceil(max / step - 1e-9) * step, step).map((v) =>
    Number(v.toFixed(decimals)),
  );
}

/** The decimals a step needs: 0.25 needs two, 0.5 one, 20 none. */
export function decimalsOf(step: number): number {
  for (let d = 0; d < 12; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, scaled)) return d;
  }
  return 12;
}

function range(first: number, last: number, step: number): number[] {
  const count = Math.round((last - first) / step);
  return Array.from({ length: count + 1 }, (_, i) => first + i * step);
}
