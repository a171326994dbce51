import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { escapeHtml } from "./report/escape.ts";
import { MIN_BAR_WIDTH } from "./report/svg-chart.ts";
import { renderReportHtml } from "./report-html.ts";
import type { Sample, SimulationResult } from "./result.ts";

const CHARTS = ["nodes-by-pool", "nodes-by-capacity-type", "pods", "cost"];
/** A pool mixing capacity types, so no chart repeats another. */
const MIXED = { nodesByPool: { general: 2 }, nodesByCapacityType: { "on-demand": 1, spot: 1 } };

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
    assert.ok(!html.includes("<pod>"));
    assert.ok(html.includes("a&amp;b &quot;quoted&quot; &#39;single&#39;"));
  });

  it("keeps an object name with quotes inside the attributes it is put in", () => {
    const object = `Pod/ns/a" onmouseover="alert(1)`;
    const html = renderReportHtml(
      result({
        events: [{ t: "0s", kind: "Scheduled", object, message: "assigned" }],
        violations: [{ t: "0s", invariant: "pending_too_long", object, message: "x" }],
      }),
    );
    assert.ok(!html.includes('onmouseover="'));
    assert.equal(count(html, 'data-object="Pod/ns/a&quot; onmouseover=&quot;alert(1)"'), 2);
  });

  it("escapes all five special characters", () => {
    assert.equal(
      escapeHtml(`<a href="x">'&'</a>`),
      "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
    );
  });

  it("draws exactly one svg per chart, each with a title", () => {
    const html = renderReportHtml(result({ samples: [sample(0, MIXED), sample(60, MIXED)] }));
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
    // Without samples the two node charts are the same (empty): one is drawn.
    assert.equal(count(html, "No samples"), CHARTS.length - 1);
    assert.ok(html.includes("No violations"));
    assert.ok(html.includes("<h2>Events (0)</h2><p>No events</p>"));
    assert.ok(!html.includes("<script>"));
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
    // Zero before the gpu pool's first node, then a step up to two at the second sample.
    const gpu = /data-series="gpu"[^>]*d="([^"]*)"/.exec(html)?.[1] ?? "";
    assert.match(gpu, /^M[\d.]+,[\d.]+H[\d.]+V[\d.]+$/);
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
    assert.ok(html.includes('<button type="button" class="object" data-object="NodePool/gpu">'));
    assert.ok(html.includes("<th>time</th><th>invariant</th><th>object</th><th>message</th>"));
    assert.ok(html.includes("cpu &gt; 10"));
  });

  it("loads nothing from elsewhere", () => {
    const html = renderReportHtml(
      result({
        samples: [sample(0), sample(60)],
        events: [{ t: "0s", kind: "Applied", object: "NodePool/a", message: "by the scenario" }],
      }),
    );
    // The event filter is inline script; no element may name a resource to fetch.
    assert.equal(count(html, "<script>"), 1);
    assert.ok(!/<script\s/i.test(html));
    assert.ok(!/<(link|img|iframe)\b/i.test(html));
    assert.ok(!/\b(src|href)=/i.test(html));
    assert.ok(!/url\(/i.test(html));
  });
});

describe("renderReportHtml charts", () => {
  it("titles both axes of every chart", () => {
    const html = renderReportHtml(result({ samples: [sample(0, MIXED), sample(60, MIXED)] }));
    const svgs = html.split("<svg ").slice(1);
    assert.equal(svgs.length, CHARTS.length);
    for (const svg of svgs) {
      assert.match(svg, /data-axis="x"[^>]*>time since the start of the run</);
      assert.match(svg, /data-axis="y"[^>]*>(nodes|pods|USD per hour)</);
    }
  });

  it("labels cost ticks with the decimals of their step", () => {
    const html = renderReportHtml(
      result({ samples: [sample(0, { hourlyCost: 0.09 }), sample(60, { hourlyCost: 0.02 })] }),
    );
    const cost = html.slice(html.indexOf('data-chart="cost"'));
    for (const label of [">$0.000<", ">$0.025<", ">$0.050<", ">$0.075<", ">$0.100<"])
      assert.ok(cost.includes(label), label);
  });

  it("leaves out the capacity-type chart when it equals the pool chart, and says why", () => {
    const same = { nodesByPool: { spot: 2 }, nodesByCapacityType: { spot: 2 } };
    const html = renderReportHtml(result({ samples: [sample(0, same), sample(60, same)] }));
    assert.equal(count(html, 'data-chart="nodes-by-capacity-type"'), 0);
    assert.ok(html.includes("Nodes by capacity type is not drawn"));
  });

  it("draws a one-minute burst of pending pods in a day as a bar at least the minimum wide", () => {
    const samples = Array.from({ length: 1441 }, (_, m) =>
      sample(m * 60, { pendingPods: m === 600 ? 5 : 0 }),
    );
    const html = renderReportHtml(result({ samples }));
    const bars = /data-series="pending"[^>]*>(.*?)<\/g>/.exec(html)?.[1] ?? "";
    const widths = [...bars.matchAll(/width="([\d.]+)"/g)].map((m) => Number(m[1]));
    assert.deepEqual(widths, [MIN_BAR_WIDTH]);
    assert.ok(bars.includes("<title>5 pods pending from 10h to 10h1m</title>"));
  });
});

describe("renderReportHtml event log", () => {
  const events = [
    { t: "0s", kind: "Applied", object: "NodePool/a", message: "by the scenario" },
    { t: "1s", kind: "Scheduled", object: "Pod/shop/web-0", message: "assigned to Node/n-1" },
    { t: "2s", kind: "Scheduled", object: "Pod/shop/web-1", message: "assigned to Node/n-1" },
  ];
  const html = renderReportHtml(result({ events }));

  it("names the columns for what they hold", () => {
    assert.ok(html.includes("<th>time</th><th>reason</th><th>object</th><th>message</th>"));
  });

  it("offers each reason once, with its count", () => {
    assert.match(
      html,
      /value="Applied" checked> Applied <span class="count" data-count="Applied">1</,
    );
    assert.match(
      html,
      /value="Scheduled" checked> Scheduled <span class="count" data-count="Scheduled">2</,
    );
  });

  it("marks each row with its reason and the objects it concerns, in lower case", () => {
    assert.ok(
      html.includes('<tr data-reason="Scheduled" data-related="pod/shop/web-0\nnode/n-1">'),
    );
  });
});
