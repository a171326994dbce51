import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import type { InstanceTypeObject } from "../src/api/instancetype.ts";
import { awsCatalog } from "../src/catalog/aws-catalog.ts";
import type { InstanceType } from "../src/catalog/instance-type.ts";
import { catalogFromInstanceTypes } from "../src/catalog/user-catalog.ts";
import { addResources, type Resources } from "../src/resources/resource-list.ts";
import { podRequests } from "../src/scheduling/pod-requests.ts";
import { mix } from "./karpenter-mix.ts";
import { lowerBound } from "./lower-bound.ts";
import { packingBound } from "./packing-bound.ts";
import { dayScenario } from "./sim-day.ts";
import { disruptionSnapshot, plainPods } from "./snapshots.ts";

/**
 * `npm run bench [CASE ...]`: one JSON line per case — wall seconds end to end through
 * `bin/carpool` (process start included), the median of BENCH_RUNS runs (default 3; one for the
 * largest sizes), pods per second, nodes, hourly cost, cost over two lower bounds (the LP
 * over total resources, and the configuration LP that keeps each pod on one node), peak RSS.
 * Performance is measured here, never in tests: these machines are shared and noisy.
 */
const runs = Number(process.env.BENCH_RUNS ?? 3);
// bin/carpool runs the compiled bundle only when it is newer than every source: build it, so the
// bench never times the TypeScript fallback by accident.
const built = spawnSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
if (built.status !== 0) throw new Error("bench: the build failed");
const dir = mkdtempSync(join(tmpdir(), "carpool-bench-"));
const timed = existsSync("/usr/bin/time");

interface Case {
  readonly name: string;
  readonly size: number;
  readonly runs?: number;
  readonly args: readonly string[];
  readonly figures: (output: string) => Promise<Record<string, unknown>> | Record<string, unknown>;
}

function write(name: string, value: unknown, yaml = false): string {
  const file = join(dir, name);
  writeFileSync(file, yaml ? stringify(value) : JSON.stringify(value));
  return file;
}

/** Requests of the pods in a List, in scheduler units. */
function requestsOf(list: { items: object[] }): Resources[] {
  return list.items.flatMap((item) => {
    if ((item as { kind: string }).kind !== "Pod") return [];
    const requests = podRequests(item as never);
    return requests.ok ? [requests.requests] : [];
  });
}

const onDemand = (type: InstanceType) =>
  type.offerings.find((o) => o.available && o.capacityType === "on-demand")?.price;

function planCase(
  name: string,
  size: number,
  list: { items: object[] },
  types: () => readonly InstanceType[],
  caseRuns?: number,
  packing = false,
): Case {
  const file = write(`${name}-${size}.json`, list);
  return {
    name,
    size,
    ...(caseRuns !== undefined && { runs: caseRuns }),
    args: ["plan", "-f", file, "-o", "json"],
    figures: async (output) => {
      const plan = JSON.parse(output) as {
        summary: { newNodes: number; hourlyCost: number; unschedulable: number; pods: number };
      };
      const requests = requestsOf(list);
      const bound = await lowerBound(types(), requests.reduce(addResources, {}), onDemand);
      // The configuration LP converges in seconds on plain pods of one catalog; on the mix's 400
      // types with few pods of each shape it tails off for minutes, and the mix's target is
      // met against the total-resource bound anyway. Both are lower bounds, so the larger is one.
      const packed = packing ? (await packingBound(types(), requests, onDemand)).bound : undefined;
      const best = packed === undefined ? undefined : Math.max(bound, packed);
      const ratio = (b: number) => Math.round((plan.summary.hourlyCost / b) * 1000) / 1000;
      return {
        nodes: plan.summary.newNodes,
        unschedulable: plan.summary.unschedulable,
        hourlyCost: plan.summary.hourlyCost,
        lowerBound: Math.round(bound * 1e4) / 1e4,
        costRatio: ratio(bound),
        ...(best !== undefined && {
          packingBound: Math.round(best * 1e4) / 1e4,
          packingCostRatio: ratio(best),
        }),
      };
    },
  };
}

function karpenterMix(size: number): Case {
  const list = mix(size) as { items: object[] };
  const types = () =>
    catalogFromInstanceTypes(
      list.items.filter(
        (o) => (o as { kind: string }).kind === "InstanceType",
      ) as InstanceTypeObject[],
    ).catalog.instanceTypes;
  return planCase("karpenter-mix", size, list, types, size >= 20_000 ? 1 : undefined);
}

function awsPlain(size: number): Case {
  return planCase(
    "aws-plain",
    size,
    plainPods(size) as { items: object[] },
    () => awsCatalog("us-east-1").instanceTypes,
    undefined,
    true,
  );
}

function disruption(nodes: number, pods: number): Case {
  const file = write(`disruption-${nodes}.json`, disruptionSnapshot(nodes, pods));
  return {
    name: "disruption-pass",
    size: nodes,
    args: ["disrupt", "-f", file, "--now", "2026-11-25T00:00:00Z", "-o", "json"],
    figures: (output) => {
      const plan = JSON.parse(output) as {
        commands: unknown[];
        summary: { disrupted: number; hourlyCostBefore: number; hourlyCostAfter: number };
      };
      return {
        pods,
        commands: plan.commands.length,
        disrupted: plan.summary.disrupted,
        hourlyCost: plan.summary.hourlyCostAfter,
        hourlyCostBefore: plan.summary.hourlyCostBefore,
      };
    },
  };
}

function simulateDay(nodes: number): Case {
  const file = write(`day-${nodes}.yaml`, dayScenario(nodes), true);
  return {
    name: "simulate-day",
    size: nodes,
    runs: 1,
    args: ["simulate", file, "-o", "json"],
    figures: (output) => {
      const r = JSON.parse(output) as {
        summary: { nodes: { peak: number; launched: number }; cost: { total: number } };
        violations: unknown[];
      };
      return {
        nodes: r.summary.nodes.peak,
        launched: r.summary.nodes.launched,
        cost: r.summary.cost.total,
        violations: r.violations.length,
      };
    },
  };
}

const help: Case = { name: "help-cold-start", size: 1, args: ["--help"], figures: () => ({}) };

const all = (): Case[] => [
  help,
  ...[100, 1000, 5000, 20_000].map(karpenterMix),
  awsPlain(10_000),
  disruption(1000, 20_000),
  simulateDay(500),
];

const only = process.argv.slice(2);
for (const c of all().filter((c) => only.length === 0 || only.includes(c.name))) {
  const seconds: number[] = [];
  let output = "";
  let rssKiB: number | undefined;
  for (let i = 0; i < (c.runs ?? runs); i++) {
    // GNU time reports the peak RSS; without it the run is timed alone.
    const command = timed ? ["/usr/bin/time", "-f", "%M", process.execPath] : [process.execPath];
    const start = performance.now();
    const result = spawnSync(
      command[0] ?? "",
      [...command.slice(1), "bin/carpool.mjs", ...c.args],
      {
        encoding: "utf8",
        maxBuffer: 1 << 30,
      },
    );
    seconds.push((performance.now() - start) / 1000);
    if (result.status !== 0) throw new Error(`${c.name}: exit ${result.status}: ${result.stderr}`);
    if (timed) rssKiB = Number(result.stderr.trim().split("\n").at(-1));
    output = result.stdout;
  }
  seconds.sort((a, b) => a - b);
  const median = seconds[Math.floor(seconds.length / 2)] ?? 0;
  const pods = c.name === "karpenter-mix" || c.name === "aws-plain" ? c.size : undefined;
  console.log(
    JSON.stringify({
      name: c.name,
      size: c.size,
      seconds: Math.round(median * 1000) / 1000,
      runs: seconds.length,
      ...(pods !== undefined && { podsPerSecond: Math.round(pods / median) }),
      ...(await c.figures(output)),
      peakRssMiB: rssKiB === undefined ? null : Math.round(rssKiB / 1024),
    }),
  );
}
