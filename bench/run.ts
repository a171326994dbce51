import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { dayScenario } from "./sim-day.ts";

/**
 * `npm run bench`: one JSON line per case, timed end to end through `bin/carpool` (process start
 * included), the median of `BENCH_RUNS` runs (default 3). Performance is measured here, never in
 * tests: these machines are shared and noisy.
 */
const runs = Number(process.env.BENCH_RUNS ?? 3);
const dir = mkdtempSync(join(tmpdir(), "carpool-bench-"));
const timed = existsSync("/usr/bin/time");

interface Case {
  readonly name: string;
  readonly size: number;
  readonly args: readonly string[];
  readonly figures: (output: unknown) => Record<string, unknown>;
}

function simulateDay(nodes: number): Case {
  const file = join(dir, `day-${nodes}.yaml`);
  writeFileSync(file, stringify(dayScenario(nodes)));
  return {
    name: "simulate-day",
    size: nodes,
    args: ["simulate", file, "-o", "json"],
    figures: (output) => {
      const r = output as {
        summary: { nodes: { peak: number; launched: number }; cost: { total: number } };
        violations: unknown[];
        events: unknown[];
      };
      return {
        nodes: r.summary.nodes.peak,
        launched: r.summary.nodes.launched,
        cost: r.summary.cost.total,
        violations: r.violations.length,
        events: r.events.length,
      };
    },
  };
}

const only = process.argv.slice(2);
const cases = [simulateDay(500)].filter((c) => only.length === 0 || only.includes(c.name));

for (const c of cases) {
  const seconds: number[] = [];
  let figures: Record<string, unknown> = {};
  let rssKiB: number | undefined;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    // GNU time reports the peak RSS; without it the run is timed alone.
    const command = timed ? ["/usr/bin/time", "-f", "%M", process.execPath] : [process.execPath];
    const result = spawnSync(command[0] ?? "", [...command.slice(1), "bin/carpool", ...c.args], {
      encoding: "utf8",
      maxBuffer: 1 << 30,
    });
    seconds.push((performance.now() - start) / 1000);
    if (result.status !== 0) throw new Error(`${c.name}: exit ${result.status}: ${result.stderr}`);
    if (timed) rssKiB = Number(result.stderr.trim().split("\n").at(-1));
    figures = c.figures(JSON.parse(result.stdout));
  }
  seconds.sort((a, b) => a - b);
  const median = seconds[Math.floor(seconds.length / 2)] ?? 0;
  console.log(
    JSON.stringify({
      name: c.name,
      size: c.size,
      seconds: Math.round(median * 100) / 100,
      runs,
      ...figures,
      peakRssMiB: rssKiB === undefined ? null : Math.round(rssKiB / 1024),
    }),
  );
}
