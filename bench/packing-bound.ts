import type { InstanceType } from "../src/catalog/instance-type.ts";
import type { Resources } from "../src/resources/resource-list.ts";
import { loadHighs } from "./lower-bound.ts";

/**
 * A lower bound on any packing of the pods that keeps each pod's requests on one node: the
 * configuration LP (Gilmore–Gomory). A column is one node of one instance type with a mix of pods
 * that fits it (cpu, memory and pod count); the LP buys fractions of columns to cover every pod.
 * Columns are generated: the restricted LP (HiGHS) gives a price per pod shape, and for each type
 * a knapsack search finds the mix worth most at those prices; a mix worth more than the type costs
 * is a new column. When the search is cut short, the value it could still reach bounds it.
 *
 * The bound is Farley's: at any step the shapes' prices, scaled down by the worst ratio of a
 * type's worth to its price, are feasible for the dual of the complete LP, so their total is a
 * lower bound whatever columns were never generated. Once no column improves, it equals the LP.
 *
 * Inter-pod rules are ignored (dropping constraints only lowers the optimum), so the bound holds
 * for any input; it is tight for pods without them.
 */
export interface PackingBound {
  /** The lower bound, USD per hour. */
  readonly bound: number;
  /** The restricted LP's value when generation stopped (an upper estimate of the configuration LP). */
  readonly restricted: number;
  readonly columns: number;
  readonly rounds: number;
}

interface Shape {
  readonly cpu: number;
  readonly memory: number;
  readonly count: number;
}

interface NodeType {
  readonly name: string;
  readonly price: number;
  readonly cpu: number;
  readonly memory: number;
  readonly pods: number;
}

interface Column {
  readonly type: NodeType;
  /** Pods of each shape, by shape index. */
  readonly mix: readonly number[];
}

const Epsilon = 1e-9;
/** Memory is counted in MiB, so the LPs' coefficients stay within a few orders of magnitude. */
const Mebibyte = 1 << 20;
/** Knapsack search nodes per type and round before the search settles for its bound. */
const SearchLimit = 5_000;
const MaxRounds = 400;
/** The relative gap HiGHS may stop a knapsack at; the bound allows for it. */
const MipGap = 1e-7;

export async function packingBound(
  types: readonly InstanceType[],
  podRequests: readonly Resources[],
  priceOf: (type: InstanceType) => number | undefined,
): Promise<PackingBound> {
  const highs = await loadHighs();
  const shapes = shapesOf(podRequests);
  const nodeTypes = undominated(
    types.flatMap((type) => {
      const price = priceOf(type);
      if (price === undefined) return [];
      const a = type.allocatable;
      return [
        {
          name: type.name,
          price,
          cpu: a.cpu ?? 0,
          memory: (a.memory ?? 0) / Mebibyte,
          pods: a.pods ?? 0,
        },
      ];
    }),
  );
  const columns: Column[] = [];
  const known = new Set<string>();
  const add = (column: Column): boolean => {
    const key = `${column.type.name}|${column.mix.join(",")}`;
    if (known.has(key)) return false;
    known.add(key);
    columns.push(column);
    return true;
  };
  // A first feasible set: each shape alone, as many as fit, on every type that holds one.
  shapes.forEach((shape, s) => {
    for (const type of nodeTypes) {
      const most = fitCount(shape, type, shape.count);
      if (most > 0) add({ type, mix: shapes.map((_, i) => (i === s ? most : 0)) });
    }
  });
  let bound = 0;
  let restricted = Number.POSITIVE_INFINITY;
  let rounds = 0;
  // Rounds price columns with the knapsack's LP relaxation where the search is cut short; once
  // they stall, a certifying round settles those knapsacks exactly (HiGHS MIP).
  let certify = false;
  for (; rounds < MaxRounds; rounds++) {
    const solved = solveRestricted(highs, shapes, columns);
    restricted = solved.value;
    let worstRatio = 1;
    let added = 0;
    for (const type of nodeTypes) {
      const best = bestMix(highs, shapes, solved.duals, type, certify);
      if (best.bound > Epsilon) worstRatio = Math.min(worstRatio, type.price / best.bound);
      if (best.value > type.price + 1e-7 && add({ type, mix: best.mix })) added++;
    }
    const dualTotal = shapes.reduce(
      (sum, shape, s) => sum + (solved.duals[s] ?? 0) * shape.count,
      0,
    );
    bound = Math.max(bound, dualTotal * worstRatio);
    if (restricted - bound < 1e-6 * restricted) break;
    if (added === 0 && certify) break;
    certify = added === 0;
  }
  return { bound, restricted, columns: columns.length, rounds: rounds + 1 };
}

/** Pods grouped by their cpu and memory requests. */
function shapesOf(requests: readonly Resources[]): Shape[] {
  const byKey = new Map<string, { cpu: number; memory: number; count: number }>();
  for (const r of requests) {
    const cpu = r.cpu ?? 0;
    const memory = (r.memory ?? 0) / Mebibyte;
    const key = `${cpu}/${memory}`;
    const shape = byKey.get(key) ?? { cpu, memory, count: 0 };
    shape.count++;
    byKey.set(key, shape);
  }
  return [...byKey.values()];
}

/** Types no other type beats: at most the price with at least every resource. */
function undominated(types: readonly NodeType[]): NodeType[] {
  const sorted = [...types].sort((a, b) => a.price - b.price || (a.name < b.name ? -1 : 1));
  const kept: NodeType[] = [];
  for (const type of sorted) {
    const beaten = kept.some(
      (k) => k.cpu >= type.cpu && k.memory >= type.memory && k.pods >= type.pods,
    );
    if (!beaten && type.pods > 0) kept.push(type);
  }
  return kept;
}

function fitCount(shape: Shape, room: Room, most: number): number {
  let n = Math.min(most, room.pods);
  if (shape.cpu > 0) n = Math.min(n, Math.floor(room.cpu / shape.cpu));
  if (shape.memory > 0) n = Math.min(n, Math.floor(room.memory / shape.memory));
  return Math.max(0, n);
}

function solveRestricted(
  highs: Highs,
  shapes: readonly Shape[],
  columns: readonly Column[],
): { value: number; duals: number[] } {
  const cover = shapes.map((shape, s) => {
    const terms = columns.flatMap((column, c) => {
      const k = column.mix[s] ?? 0;
      return k > 0 ? [`${k} z${c}`] : [];
    });
    return ` s${s}: ${terms.join(" + ")} >= ${shape.count}`;
  });
  const lp = [
    "Minimize",
    ` cost: ${columns.map((column, c) => `${column.type.price} z${c}`).join(" + ")}`,
    "Subject To",
    ...cover,
    "End",
  ].join("\n");
  const result = highs.solve(lp, { output_flag: false });
  if (result.Status !== "Optimal") throw new Error(`packing bound: ${result.Status}`);
  const duals = shapes.map((_, s) => {
    return Math.max(0, dualOf(result.Rows, `s${s}`));
  });
  return { value: result.ObjectiveValue, duals };
}

/**
 * The mix of pods worth most at `duals` on one node of the type, and an upper bound on that worth
 * (exact when the search finished, else the knapsack's LP relaxation). Branch and bound over
 * shapes in order of worth per share of the node, counts from most to fewest; a subtree is cut
 * with the Lagrangian bound at the LP relaxation's resource prices, valid for any such prices.
 */
function bestMix(
  highs: Highs,
  shapes: readonly Shape[],
  duals: readonly number[],
  type: NodeType,
  certify: boolean,
): { value: number; mix: number[]; bound: number } {
  const share = (s: Shape) =>
    Math.max(s.cpu / Math.max(type.cpu, 1), s.memory / Math.max(type.memory, 1), 1 / type.pods);
  const order = shapes
    .map((shape, index) => ({ shape, index, worth: duals[index] ?? 0 }))
    .filter((e) => e.worth > Epsilon && fitCount(e.shape, type, 1) > 0)
    .sort((a, b) => b.worth / share(b.shape) - a.worth / share(a.shape));
  const mix = shapes.map(() => 0);
  if (order.length === 0) return { value: 0, mix, bound: 0 };
  const relaxed = knapsackRelaxation(highs, order, type);
  const [lCpu, lMemory, lPods] = relaxed.prices;
  // Each shape's worth beyond what its resources cost at those prices, if positive.
  const surplus = order.map((e) =>
    Math.max(0, e.worth - e.shape.cpu * lCpu - e.shape.memory * lMemory - lPods),
  );
  const best = { value: 0, mix: [...mix] };
  let visited = 0;
  let cut = false;
  const optimistic = (from: number, room: Room): number => {
    let value = room.cpu * lCpu + room.memory * lMemory + room.pods * lPods;
    for (let i = from; i < order.length; i++) {
      const gain = surplus[i] ?? 0;
      const entry = order[i];
      if (gain > 0 && entry !== undefined)
        value += gain * fitCount(entry.shape, room, entry.shape.count);
    }
    return value;
  };
  const search = (from: number, room: Room, value: number): void => {
    if (value > best.value + Epsilon) {
      best.value = value;
      best.mix = [...mix];
    }
    const entry = order[from];
    if (entry === undefined || room.pods <= 0) return;
    if (++visited > SearchLimit) {
      cut = true;
      return;
    }
    if (value + optimistic(from, room) <= best.value + 1e-9) return;
    for (let k = fitCount(entry.shape, room, entry.shape.count); k >= 0 && !cut; k--) {
      mix[entry.index] = k;
      search(
        from + 1,
        {
          cpu: room.cpu - k * entry.shape.cpu,
          memory: room.memory - k * entry.shape.memory,
          pods: room.pods - k,
        },
        value + k * entry.worth,
      );
    }
    mix[entry.index] = 0;
  };
  // The relaxation rounded down and topped up greedily: a good start the search must beat, and
  // on large nodes (where the search is cut short) close to the best.
  let room: Room = type;
  let start = 0;
  order.forEach((entry, i) => {
    const k = Math.min(
      Math.floor(relaxed.amounts[i] ?? 0),
      fitCount(entry.shape, room, entry.shape.count),
    );
    mix[entry.index] = k;
    start += k * entry.worth;
    room = {
      cpu: room.cpu - k * entry.shape.cpu,
      memory: room.memory - k * entry.shape.memory,
      pods: room.pods - k,
    };
  });
  for (const entry of order) {
    const k = fitCount(entry.shape, room, entry.shape.count - (mix[entry.index] ?? 0));
    mix[entry.index] = (mix[entry.index] ?? 0) + k;
    start += k * entry.worth;
    room = {
      cpu: room.cpu - k * entry.shape.cpu,
      memory: room.memory - k * entry.shape.memory,
      pods: room.pods - k,
    };
  }
  best.value = start;
  best.mix = [...mix];
  mix.fill(0);
  search(0, type, 0);
  if (!cut) return { value: best.value, mix: best.mix, bound: best.value };
  // The search was cut short (a large node): HiGHS's branch and cut settles the knapsack.
  // The relaxation bounds it well enough unless the node could be worth more than its price, and
  // a MIP is only worth its time once generation has stalled.
  if (!certify || relaxed.value <= type.price)
    return { value: best.value, mix: best.mix, bound: relaxed.value };
  const exact = knapsackRelaxation(highs, order, type, true);
  const rounded = shapes.map(() => 0);
  order.forEach((entry, i) => {
    rounded[entry.index] = Math.round(exact.amounts[i] ?? 0);
  });
  if (exact.value > best.value && fits(shapes, rounded, type)) {
    best.value = exact.value;
    best.mix = rounded;
  }
  return { value: best.value, mix: best.mix, bound: Math.min(relaxed.value, exact.bound) };
}

/** Whether the mix fits one node of the type. */
function fits(shapes: readonly Shape[], mix: readonly number[], type: NodeType): boolean {
  let cpu = 0;
  let memory = 0;
  let pods = 0;
  mix.forEach((k, s) => {
    cpu += k * (shapes[s]?.cpu ?? 0);
    memory += k * (shapes[s]?.memory ?? 0);
    pods += k;
  });
  return cpu <= type.cpu && memory <= type.memory && pods <= type.pods;
}

interface Room {
  readonly cpu: number;
  readonly memory: number;
  readonly pods: number;
}

type Highs = Awaited<ReturnType<typeof loadHighs>>;

/**
 * The knapsack on one node as an LP: its value and the prices of cpu, memory and a pod slot; or,
 * with `integral`, as a MIP: the best mix found and an upper bound on any (HiGHS's dual bound,
 * here from the relative gap it stopped at).
 */
function knapsackRelaxation(
  highs: Highs,
  order: readonly { shape: Shape; worth: number }[],
  type: NodeType,
  integral = false,
): { value: number; bound: number; prices: [number, number, number]; amounts: number[] } {
  const terms = (size: (shape: Shape) => number) =>
    order.map((e, i) => `${size(e.shape)} k${i}`).join(" + ");
  const lp = [
    "Maximize",
    ` worth: ${order.map((e, i) => `${e.worth} k${i}`).join(" + ")}`,
    "Subject To",
    ` cpu: ${terms((s) => s.cpu)} <= ${type.cpu}`,
    ` memory: ${terms((s) => s.memory)} <= ${type.memory}`,
    ` pods: ${terms(() => 1)} <= ${type.pods}`,
    "Bounds",
    ...order.map((e, i) => ` 0 <= k${i} <= ${fitCount(e.shape, type, e.shape.count)}`),
    ...(integral ? ["General", ` ${order.map((_, i) => `k${i}`).join(" ")}`] : []),
    "End",
  ].join("\n");
  const result = highs.solve(lp, {
    output_flag: false,
    ...(integral && { mip_rel_gap: MipGap, time_limit: 10 }),
  });
  if (integral && result.Status !== "Optimal")
    return { value: 0, bound: Number.POSITIVE_INFINITY, prices: [0, 0, 0], amounts: [] };
  if (result.Status !== "Optimal") throw new Error(`packing bound: knapsack ${result.Status}`);
  const price = (name: string) => Math.abs(dualOf(result.Rows, name));
  const columns = result.Columns as Record<string, { Primal: number }>;
  return {
    value: result.ObjectiveValue,
    bound: integral ? result.ObjectiveValue * (1 + MipGap) + 1e-12 : result.ObjectiveValue,
    prices: [price("cpu"), price("memory"), price("pods")],
    amounts: order.map((_, i) => columns[`k${i}`]?.Primal ?? 0),
  };
}

/** The dual value of a named row of an LP solution (0 for a MIP, which has none). */
function dualOf(rows: readonly object[], name: string): number {
  const row = rows.find((r) => (r as { Name?: string }).Name === name) as
    | { Dual?: number }
    | undefined;
  return row?.Dual ?? 0;
}
