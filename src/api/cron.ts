/**
 * Cron schedules as NodePool disruption budgets use them: the standard five fields (minute, hour,
 * day of month, month, day of week) or a descriptor (@yearly, @monthly, @weekly, @daily,
 * @hourly, ...), always in UTC. Semantics are those of robfig/cron's standard parser, which
 * Karpenter uses: `*` and `?` mean any, lists, ranges, steps (`a/n` means `a-max/n`), month and
 * weekday names; when both day fields are restricted, a day matches either of them.
 */
export interface CronSchedule {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly daysOfWeek: ReadonlySet<number>;
  /** A day field written as `*` or `?`: then a day must match both day fields. */
  readonly anyDay: boolean;
}

const descriptors: Readonly<Record<string, string>> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

const monthNames = [
  "JAN",
  "FEB",
  "MAR",
  "APR",
  "MAY",
  "JUN",
  "JUL",
  "AUG",
  "SEP",
  "OCT",
  "NOV",
  "DEC",
];
const dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface FieldRange {
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  readonly nameBase?: number;
}

const fields: readonly FieldRange[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: monthNames, nameBase: 1 },
  { min: 0, max: 6, names: dayNames, nameBase: 0 },
];

/** Parses a schedule; throws an Error naming the schedule and the bad part. */
export function parseCron(text: string): CronSchedule {
  const expanded = descriptors[text.trim().toLowerCase()] ?? text.trim();
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5)
    throw new Error(`schedule "${text}": expected 5 fields or a descriptor such as @daily`);
  const sets = parts.map((part, i) => parseField(part, fields[i] as FieldRange, text));
  const star = (part: string | undefined) => part === "*" || part === "?";
  return {
    minutes: sets[0] as Set<number>,
    hours: sets[1] as Set<number>,
    daysOfMonth: sets[2] as Set<number>,
    months: sets[3] as Set<number>,
    daysOfWeek: sets[4] as Set<number>,
    anyDay: star(parts[2]) || star(parts[4]),
  };
}

function parseField(part: string, range: FieldRange, text: string): Set<number> {
  const values = new Set<number>();
  for (const item of part.split(",")) {
    const [span = "", stepText] = item.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1)
      throw new Error(`schedule "${text}": bad step in "${item}"`);
    let low: number;
    let high: number;
    if (span === "*" || span === "?") {
      low = range.min;
      high = range.max;
    } else {
      const [from = "", to] = span.split("-");
      low = value(from, range, text);
      high = to === undefined ? (stepText === undefined ? low : range.max) : value(to, range, text);
    }
    if (low > high) throw new Error(`schedule "${text}": range "${item}" runs backwards`);
    for (let v = low; v <= high; v += step) values.add(v);
  }
  return values;
}

function value(token: string, range: FieldRange, text: string): number {
  const index = range.names?.indexOf(token.toUpperCase()) ?? -1;
  const parsed = index >= 0 ? index + (range.nameBase ?? 0) : Number(token);
  if (token === "" || !Number.isInteger(parsed) || parsed < range.min || parsed > range.max)
    throw new Error(`schedule "${text}": "${token}" is not a value in ${range.min}-${range.max}`);
  return parsed;
}

/** Whether the schedule fires at the start of this UTC minute. */
export function firesAt(schedule: CronSchedule, minute: Date): boolean {
  if (!schedule.minutes.has(minute.getUTCMinutes())) return false;
  if (!schedule.hours.has(minute.getUTCHours())) return false;
  if (!schedule.months.has(minute.getUTCMonth() + 1)) return false;
  const dom = schedule.daysOfMonth.has(minute.getUTCDate());
  const dow = schedule.daysOfWeek.has(minute.getUTCDay());
  return schedule.anyDay ? dom && dow : dom || dow;
}

const minuteMs = 60_000;

/**
 * Karpenter's budget window: active when the schedule fired in (now − duration, now], i.e. the
 * next firing after `now − duration` is not after `now`.
 */
export function windowActive(schedule: CronSchedule, durationMs: number, now: Date): boolean {
  const from = now.getTime() - durationMs;
  // The first whole minute strictly after `from`.
  let t = Math.floor(from / minuteMs) * minuteMs + minuteMs;
  for (; t <= now.getTime(); t += minuteMs) if (firesAt(schedule, new Date(t))) return true;
  return false;
}
