import highsModule from "highs";
import { awsCatalog } from "../src/catalog/aws-catalog.ts";

const highsLoader = ((highsModule as any).default ?? highsModule) as any;
const cpus = [100, 250, 500, 1000, 1500];
const memories = [128, 256, 512, 1024, 2048, 4096];
const n = 10000;
const classes = new Map<string, { cpu: number; mem: number; count: number }>();
for (let i = 0; i < n; i++) {
  const cpu = cpus[i % 5]!,
    mem = memories[(i * 7) % 6]! * 1024 * 1024;
  const k = `${cpu}/${mem}`;
  const c = classes.get(k) ?? { cpu, mem, count: 0 };
  c.count++;
  classes.set(k, c);
}
const types = awsCatalog("us-east-1")
  .instanceTypes.map((t) => ({
    t,
    price: t.offerings.find((o) => o.available && o.capacityType === "on-demand")?.price,
  }))
  .filter((x) => x.price !== undefined);
console.error(types.length, "types", JSON.stringify(types[0]!.t.allocatable));
const highs = await highsLoader();
const cls = [...classes.values()];
const obj: string[] = [],
  cons: string[] = [];
const colsOf: string[][] = cls.map(() => []);
types.forEach(({ t, price }, j) => {
  const a = t.allocatable as Record<string, number>;
  const cpuT: string[] = [],
    memT: string[] = [],
    podT: string[] = [];
  cls.forEach((c, i) => {
    if (c.cpu > a.cpu! || c.mem > a.memory!) return;
    const v = `y${i}_${j}`;
    colsOf[i]!.push(v);
    cpuT.push(`${c.cpu} ${v}`);
    memT.push(`${c.mem / 1048576} ${v}`);
    podT.push(`${v}`);
  });
  if (cpuT.length === 0) return;
  obj.push(`${price} x${j}`);
  cons.push(` c${j}: ${cpuT.join(" + ")} - ${a.cpu} x${j} <= 0`);
  cons.push(` m${j}: ${memT.join(" + ")} - ${a.memory! / 1048576} x${j} <= 0`);
  cons.push(` p${j}: ${podT.join(" + ")} - ${a.pods} x${j} <= 0`);
});
cls.forEach((c, i) => cons.push(` d${i}: ${colsOf[i]!.join(" + ")} = ${c.count}`));
const lp = ["Minimize", ` cost: ${obj.join(" + ")}`, "Subject To", ...cons, "End"].join("\n");
const r = highs.solve(lp, { output_flag: false });
console.log(r.Status, r.ObjectiveValue);
const used = Object.entries(r.Columns as Record<string, any>)
  .filter(([k, v]) => k.startsWith("x") && v.Primal > 1e-6)
  .map(([k, v]) => [
    types[Number(k.slice(1))]!.t.name,
    v.Primal.toFixed(1),
    types[Number(k.slice(1))]!.price,
  ]);
console.log(used);
const ys = Object.entries(r.Columns as Record<string, any>).filter(
  ([k, v]) => k.startsWith("y") && v.Primal > 1e-6,
);
for (const [k, v] of ys) {
  const [i, j] = k.slice(1).split("_").map(Number);
  const c = cls[i!]!;
  console.log(`${c.cpu}m/${c.mem / 1048576}Mi -> ${types[j!]!.t.name} ${v.Primal.toFixed(1)}`);
}
for (const name of [
  "t4g.micro",
  "t4g.small",
  "t4g.medium",
  "t4g.2xlarge",
  "r6g.12xlarge",
  "t4g.nano",
]) {
  const t = types.find((x) => x.t.name === name)!;
  console.log(name, t.price, JSON.stringify(t.t.allocatable));
}
const rows = r.Rows as any[];
const duals: Record<string, number> = {};
for (const row of rows)
  if (row.Name.startsWith("d")) {
    const c = cls[Number(row.Name.slice(1))]!;
    duals[`${c.cpu}/${c.mem}`] = row.Dual;
  }

import { writeFileSync } from "node:fs";

writeFileSync("/tmp/x/duals.json", JSON.stringify(duals));
console.log(duals);
{
  // LP rounding: per type, FFD the assigned pods into nodes of that type.
  const byType = new Map<number, { cpu: number; mem: number; count: number }[]>();
  for (const [k, v] of ys) {
    const [i, j] = k.slice(1).split("_").map(Number);
    const list = byType.get(j!) ?? [];
    list.push({ cpu: cls[i!]!.cpu, mem: cls[i!]!.mem, count: Math.round(v.Primal) });
    byType.set(j!, list);
  }
  let total = 0,
    nodes = 0;
  for (const [j, list] of byType) {
    const t = types[j]!.t;
    const a = t.allocatable as Record<string, number>;
    const pods = list
      .flatMap((c) => Array.from({ length: c.count }, () => c))
      .sort((x, y) => y.cpu / a.cpu! + y.mem / a.memory! - (x.cpu / a.cpu! + x.mem / a.memory!));
    const bins: { cpu: number; mem: number; pods: number }[] = [];
    for (const p of pods) {
      const b = bins.find(
        (b) => b.cpu + p.cpu <= a.cpu! && b.mem + p.mem <= a.memory! && b.pods + 1 <= a.pods!,
      );
      if (b) {
        b.cpu += p.cpu;
        b.mem += p.mem;
        b.pods++;
      } else bins.push({ cpu: p.cpu, mem: p.mem, pods: 1 });
    }
    total += bins.length * types[j]!.price!;
    nodes += bins.length;
    console.log(t.name, bins.length, "lp", (r.Columns[`x${j}`].Primal as number).toFixed(1));
  }
  console.log("rounded", total.toFixed(2), nodes);
}
