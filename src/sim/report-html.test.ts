import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { escapeHtml, formatSeconds, renderReportHtml } from "./report-html.ts";
import type { Sample, SimulationResult } from "./result.ts";

const CHARTS = ["nodes-by-pool", "nodes-by-capacity-type", "pods", "cost"];

function sample(seconds: number, overrides: Partial<Sample> = {}): Sample {
  return {
    t: `${seconds}s`,
    seconds,
    nodes: 0,
    pendingPods: 0,
    runningPods: 0,
    hourlyCost: 0,
    nodesByPool: {},
    nodesByCapacityType: {},
    ...overrides,
  };
}

function result(overrides: Partial<SimulationResult> = {}): SimulationResult {
  return {
    apiVersion: "carpool.dev/v1alpha1",
    kind: "SimulationResult",
    scenario: "steady",
    seed: 42,
    summary: {
      duration: "1h0m0s",
      pods: {
        created: 10,
        maxPending: 3,
        pendingSecondsP50: 12,
        pendingSecondsP99: 95,
        neverScheduled: 1,
      },
      nodes: { launched: 4, terminated: 2, peak: 3, final: 2 },
      cost: { total: 1.23456, finalHourly: 0.0416 },
      disruptions: { Empty: 1, Underutilized: 2, Drifted: 0, Expired: 0, Interrupted: 3 },
    },
    samples: [],
    events: [],
    violations: [],
    ...overrides,
  };
}

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

describe("renderReportHtml", () => {
  it("escapes markup in event messages, objects and the scenario name", () => {
    const html = renderReportHtml(
      result({
        scenario: `a&b "quoted" 'single'`,
        events: [
          { t: "1m0s", kind: "Launch", object: "<pod>", message: "<script>alert(1)</script>" },
        ],
      }),
    );
    assert.ok(!html.includes("<script>alert(1)</script>"));
    assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert.ok(html.includes("&lt;pod&gt;"));
    assert.ok(html.includes("a&amp;b &quot;quoted&quot; &#39;single&#39;"));
  });

  it("escapes all five special characters", () => {
    assert.equal(
      escapeHtml(`<a href="x">'&'</a>`),
      "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
    );
  });

  it("draws exactly one svg per chart, each with a title", () => {
    const html = renderReportHtml(result({ samples: [sample(0), sample(60)] }));
    for (const chart of CHARTS) assert.equal(count(html, `<svg data-chart="${chart}"`), 1, chart);
    assert.equal(count(html, "<svg "), CHARTS.length);
    assert.equal(count(html, "<title>"), CHARTS.length + 1);
  });

  it("has no NaN or Infinity for zero samples, one sample and all-zero values", () => {
    const cases = [
      [],
      [sample(0, { nodesByPool: { a: 1 }, nodesByCapacityType: { spot: 1 } })],
      [sample(0), sample(60), sample(120)],
    ];
    for (const samples of cases) {
      const html = renderReportHtml(result({ samples }));
      assert.ok(!/NaN|Infinity/.test(html), `${samples.length} samples`);
    }
  });

  it("says so when there are no samples and no violations", () => {
    const html = renderReportHtml(result());
    assert.equal(count(html, "No samples"), CHARTS.length);
    assert.ok(html.includes("No violations"));
  });

  it("draws a series per pool and capacity type, zero where one is missing", () => {
    const html = renderReportHtml(
      result({
        samples: [
          sample(0, { nodesByPool: { general: 1 }, nodesByCapacityType: { "on-demand": 1 } }),
          sample(60, { nodesByPool: { general: 1, gpu: 2 }, nodesByCapacityType: { spot: 2 } }),
        ],
      }),
    );
    for (const name of ["general", "gpu", "on-demand", "spot", "pending", "running", "hourly cost"])
      assert.equal(count(html, `data-series="${name}"`), 1, name);
    const gpu = /data-series="gpu"[^>]*points="([^"]*)"/.exec(html)?.[1] ?? "";
    assert.equal(gpu.split(" ").length, 2);
  });

  it("labels count axes with whole numbers only", () => {
    const html = renderReportHtml(
      result({ samples: [sample(0, { runningPods: 2 }), sample(7200, { runningPods: 1 })] }),
    );
    const pods = html.slice(html.indexOf('data-chart="pods"'), html.indexOf('data-chart="cost"'));
    assert.ok(!/>\d+\.\d+</.test(pods), "fractional tick label");
    for (const label of [">0<", ">2<", ">0s<", ">1h<", ">2h<"])
      assert.ok(pods.includes(label), label);
  });

  it("shows the summary figures, costs with four decimals", () => {
    const html = renderReportHtml(result());
    for (const text of ["steady", "42", "1h0m0s", "$1.2346", "$0.0416/h", "Interrupted"])
      assert.ok(html.includes(text), text);
  });

  it("lists violations in a table", () => {
    const html = renderReportHtml(
      result({
        violations: [
          { t: "5m0s", invariant: "pool_limit", object: "NodePool/gpu", message: "cpu > 10" },
        ],
      }),
    );
    assert.ok(!html.includes("No violations"));
    assert.ok(html.includes("<td>pool_limit</td>"));
    assert.ok(html.includes("cpu &gt; 10"));
  });

  it("loads nothing from elsewhere", () => {
    const html = renderReportHtml(result({ samples: [sample(0), sample(60)] }));
    assert.ok(!/<(script|link|img|iframe)\b/i.test(html));
    assert.ok(!/\b(src|href)=/i.test(html));
    assert.ok(!/url\(/i.test(html));
  });
});

describe("formatSeconds", () => {
  it("formats axis ticks compactly", () => {
    assert.equal(formatSeconds(0), "0s");
    assert.equal(formatSeconds(45), "45s");
    assert.equal(formatSeconds(1800), "30m");
    assert.equal(formatSeconds(3600), "1h");
    assert.equal(formatSeconds(5400), "1h30m");
    assert.equal(formatSeconds(7200), "2h");
  });
});
