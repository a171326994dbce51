import { awsCatalog } from "../src/catalog/aws-catalog.ts";

const cpus = [100, 250, 500, 1000, 1500];
const memories = [128, 256, 512, 1024, 2048, 4096];
const n = Number(process.argv[2] ?? 10000);
type Cls = { cpu: number; mem: number; count: number; v: number };
const classes = new Map<string, Cls>();
for (let i = 0; i < n; i++) {
  const cpu = cpus[i % 5]!,
    mem = memories[(i * 7) % 6]! * 1048576;
  const k = `${cpu}/${mem}`;
  const c = classes.get(k) ?? { cpu, mem, count: 0, v: 0 };
  c.count++;
  classes.set(k, c);
}
type T = { name: string; price: number; cpu: number; mem: number; pods: number };
let types: T[] = awsCatalog("us-east-1").instanceTypes.flatMap((t) => {
  const price = t.offerings.find((o) => o.available && o.capacityType === "on-demand")?.price;
  return price === undefined
    ? []
    : [
        {
          name: t.name,
          price,
          cpu: t.allocatable.cpu!,
          mem: t.allocatable.memory!,
          pods: t.allocatable.pods!,
        },
      ];
});
types = types.filter(
  (t) =>
    !types.some(
      (u) =>
        u !== t &&
        u.price <= t.price &&
        u.cpu >= t.cpu &&
        u.mem >= t.mem &&
        u.pods >= t.pods &&
        (u.price < t.price || u.cpu > t.cpu || u.mem > t.mem || u.pods > t.pods),
    ),
);
console.log("non-dominated", types.length);
const cls = [...classes.values()];
const share = (c: Cls, t: T) => Math.max(c.cpu / t.cpu, c.mem / t.mem, 1 / t.pods);
const duals = process.env.DUALS
  ? JSON.parse((await import("node:fs")).readFileSync(process.env.DUALS, "utf8"))
  : undefined;
for (const c of cls)
  c.v = duals
    ? duals[`${c.cpu}/${c.mem}`]
    : Math.min(
        ...types.filter((t) => c.cpu <= t.cpu && c.mem <= t.mem).map((t) => t.price * share(c, t)),
      );
let total = 0,
  nodes = 0;
const used = new Map<string, number>();
const t0 = performance.now();
for (;;) {
  const left = cls.filter((c) => c.count > 0);
  if (left.length === 0) break;
  let best: { t: T; fill: number[]; eff: number } | undefined;
  for (const t of types) {
    // fill by value density on this type
    const order = left
      .filter((c) => c.cpu <= t.cpu && c.mem <= t.mem)
      .sort(
        (a, b) =>
          (b.v / (a.cpu / t.cpu + a.mem / t.mem + 1 / t.pods)) * 0 +
          b.v / share(b, t) -
          a.v / share(a, t),
      );
    if (order.length === 0) continue;
    let cpu = 0,
      mem = 0,
      pods = 0,
      value = 0;
    const fill = cls.map(() => 0);
    for (const c of order) {
      const k = Math.min(
        c.count,
        Math.floor((t.cpu - cpu) / c.cpu),
        Math.floor((t.mem - mem) / c.mem),
        t.pods - pods,
      );
      if (k <= 0) continue;
      fill[cls.indexOf(c)] = k;
      cpu += k * c.cpu;
      mem += k * c.mem;
      pods += k;
      value += k * c.v;
    }
    const eff = value / t.price;
    if (best === undefined || eff > best.eff) best = { t, fill, eff };
  }
  if (!best) throw new Error("stuck");
  let reps = Number.POSITIVE_INFINITY;
  best.fill.forEach((k, i) => {
    if (k > 0) reps = Math.min(reps, Math.floor(cls[i]!.count / k));
  });
  best.fill.forEach((k, i) => {
    cls[i]!.count -= k * reps;
  });
  total += reps * best.t.price;
  nodes += reps;
  used.set(best.t.name, (used.get(best.t.name) ?? 0) + reps);
}
console.log({ total: total.toFixed(2), nodes, ms: (performance.now() - t0).toFixed(0) }, [...used]);
