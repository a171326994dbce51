import type { Sample } from "../result.ts";
import { finite } from "./escape.ts";

/**
 * How a series is drawn. Counts change in steps between samples, so a line through the samples
 * would invent slopes; pending pods come and go within a minute, so they are bars that stay
 * visible however short the run is.
 */
export type SeriesStyle = "step" | "bars";

export interface Series {
  readonly name: string;
  readonly values: readonly number[];
  readonly style: SeriesStyle;
}

export interface Chart {
  readonly id: string;
  readonly title: string;
  /** The quantity on the y axis, with its unit. */
  readonly yTitle: string;
  readonly xs: readonly number[];
  readonly series: readonly Series[];
  /** A value with this many decimals: ticks share the decimals of their step ($0.050, $0.075). */
  readonly formatValue: (value: number, decimals: number) => string;
  /** Counts of nodes or pods: a tick at 0.5 would be meaningless. */
  readonly wholeNumbers: boolean;
  /** Why a chart the reader might expect is not there. */
  readonly note?: string;
}

export const TIME_AXIS_TITLE = "time since the start of the run";

/** The charts worth drawing for these samples: one that repeats another is left out. */
export function chartsFor(samples: readonly Sample[]): Chart[] {
  const xs = samples.map((s) => finite(s.seconds));
  const count = (value: number) => String(value);
  const byPool: Chart = {
    id: "nodes-by-pool",
    title: "Nodes by NodePool",
    yTitle: "nodes",
    xs,
    series: seriesByKey(samples, (s) => s.nodesByPool),
    formatValue: count,
    wholeNumbers: true,
  };
  const byCapacityType: Chart = {
    id: "nodes-by-capacity-type",
    title: "Nodes by capacity type",
    yTitle: "nodes",
    xs,
    series: seriesByKey(samples, (s) => s.nodesByCapacityType),
    formatValue: count,
    wholeNumbers: true,
  };
  const pods: Chart = {
    id: "pods",
    title: "Pods",
    yTitle: "pods",
    xs,
    series: [
      { name: "running", values: samples.map((s) => s.runningPods), style: "step" },
      { name: "pending", values: samples.map((s) => s.pendingPods), style: "bars" },
    ],
    formatValue: count,
    wholeNumbers: true,
    note: "Pending pods are bars, widened so a burst of a minute stays visible; hover one for its count and time.",
  };
  const cost: Chart = {
    id: "cost",
    title: "Hourly cost",
    yTitle: "USD per hour",
    xs,
    series: [{ name: "hourly cost", values: samples.map((s) => s.hourlyCost), style: "step" }],
    formatValue: (value, decimals) => `$${value.toFixed(decimals)}`,
    wholeNumbers: false,
  };
  const note = capacityTypeRepeats(byPool.series, byCapacityType.series);
  if (note === undefined) return [byPool, byCapacityType, pods, cost];
  return [{ ...byPool, note }, pods, cost];
}

/**
 * Why the capacity-type chart would say nothing the pool chart does not — each pool ran one
 * capacity type, or every node had the same one — or undefined when it tells something new.
 */
function capacityTypeRepeats(
  byPool: readonly Series[],
  byCapacityType: readonly Series[],
): string | undefined {
  const pairs = sameSeries(byPool, byCapacityType);
  if (pairs !== undefined) return capacityTypeNote(pairs);
  const [only] = byCapacityType;
  const total = byPool.reduce<readonly number[]>(
    (sum, series) => sum.map((v, i) => v + (series.values[i] ?? 0)),
    only?.values.map(() => 0) ?? [],
  );
  if (byCapacityType.length === 1 && only !== undefined && equalValues(only.values, total))
    return `Every node was ${only.name}, so there is no chart by capacity type.`;
  return undefined;
}

/** A pool or capacity type can appear mid-run; before that it counts as zero nodes. */
function seriesByKey(
  samples: readonly Sample[],
  pick: (sample: Sample) => Readonly<Record<string, number>>,
): Series[] {
  const names = [...new Set(samples.flatMap((s) => Object.keys(pick(s))))].sort();
  return names.map((name) => ({
    name,
    values: samples.map((s) => pick(s)[name] ?? 0),
    style: "step",
  }));
}

/**
 * Pairs each series of `a` with one of `b` holding the very same values, or undefined when the
 * two charts differ: then `b` tells the reader something `a` does not.
 */
export function sameSeries(
  a: readonly Series[],
  b: readonly Series[],
): (readonly [string, string])[] | undefined {
  if (a.length !== b.length) return undefined;
  const unmatched = [...b];
  const pairs: (readonly [string, string])[] = [];
  for (const series of a) {
    const i = unmatched.findIndex((other) => equalValues(series.values, other.values));
    const match = unmatched[i];
    if (match === undefined) return undefined;
    unmatched.splice(i, 1);
    pairs.push([series.name, match.name]);
  }
  return pairs;
}

function equalValues(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function capacityTypeNote(pairs: readonly (readonly [string, string])[]): string {
  if (pairs.length === 0) return "No node ran, so there is no chart by capacity type either.";
  const mapping = pairs.map(([pool, type]) => `${pool}: ${type}`).join(", ");
  return `Nodes by capacity type is not drawn: each NodePool's nodes had one capacity type (${mapping}), so it would repeat this chart.`;
}
