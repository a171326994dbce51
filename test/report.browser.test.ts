// Opens the HTML report in a real Chromium: the unit tests check the markup as text, this checks
// that a browser parses it without errors, lays the charts out so a reader can see them, and
// that the event log's filters work.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { renderReportHtml } from "../src/sim/report-html.ts";
import type { Sample, SimulationEvent, SimulationResult } from "../src/sim/result.ts";
import { findOnPath, skipWithoutTool } from "./external-tools.ts";

// Debian's chromium, found on PATH as a shell would (/usr/bin/chromium).
const CHROMIUM = findOnPath("chromium");
const CHARTS = ["nodes-by-pool", "nodes-by-capacity-type", "pods", "cost"];
const BOLD_MESSAGE = "scheduled <b>web-0</b> & friends";
/** Pending pods at these minutes of a day, each for one minute: spikes of 1/1440 of the axis. */
const PENDING_AT = [0, 360, 361, 540, 1200];
// Path data of a step line: a move, then horizontal and vertical segments; NaN or Infinity fail.
const STEP_PATH = /^M-?\d+(\.\d+)?,-?\d+(\.\d+)?([HV]-?\d+(\.\d+)?)*$/;

/** A day of samples; `mixed` puts both capacity types in one pool, so no node chart repeats. */
function samples(mixed: boolean): Sample[] {
  return Array.from({ length: 1441 }, (_, minute): Sample => {
    const general = 2 + (Math.floor(minute / 60) % 5);
    const gpu = minute < 600 ? 0 : 1 + (Math.floor(minute / 90) % 3);
    const spot = Math.floor(general / 2);
    return {
      t: `${minute}m`,
      seconds: minute * 60,
      nodes: general + gpu,
      pendingPods: PENDING_AT.includes(minute) ? 3 + (minute % 4) : 0,
      runningPods: 10 + general * 3,
      hourlyCost: 0.0416 * general + 0.526 * gpu,
      nodesByPool: gpu === 0 ? { general } : { general, gpu },
      nodesByCapacityType: mixed
        ? { "on-demand": general + gpu - spot, spot }
        : gpu === 0
          ? { spot: general }
          : { spot: general, "on-demand": gpu },
    };
  });
}

const EVENTS: SimulationEvent[] = [
  { t: "0s", kind: "Applied", object: "NodePool/general", message: "by the scenario" },
  { t: "1s", kind: "NodeClaimCreated", object: "NodeClaim/general-1", message: "for 2 pod(s)" },
  { t: "1m1s", kind: "NodeRegistered", object: "NodeClaim/general-1", message: "as Node/n-1" },
  { t: "1m1s", kind: "NodeRegistered", object: "NodeClaim/general-2", message: "as Node/n-10" },
  { t: "1m2s", kind: "Scheduled", object: "Pod/shop/web-0", message: BOLD_MESSAGE },
  { t: "1m2s", kind: "Scheduled", object: "Pod/shop/db-0", message: "assigned to Node/n-1" },
  { t: "1m2s", kind: "Scheduled", object: "Pod/batch/<job>", message: "assigned to Node/n-10" },
  {
    t: "3h",
    kind: "DisruptionDelete",
    object: "Node/n-1",
    message: "Empty: empty: only daemonset pods run there",
  },
  { t: "3h1s", kind: "PodEvicted", object: "Pod/shop/db-0", message: "from Node/n-1" },
  { t: "3h5s", kind: "Scheduled", object: "Pod/shop/db-0", message: "assigned to Node/n-10" },
];

function fixture(mixed: boolean): SimulationResult {
  return {
    apiVersion: "carpool.dev/v1alpha1",
    kind: "SimulationResult",
    scenario: "browser <fixture>",
    seed: 7,
    summary: {
      duration: "24h0m0s",
      pods: {
        created: 60,
        maxPending: 6,
        pendingSecondsP50: 30,
        pendingSecondsP99: 240,
        neverScheduled: 0,
      },
      nodes: { launched: 12, terminated: 6, peak: 9, final: 6 },
      cost: { total: 1.5, finalHourly: 1.2 },
      disruptions: { Empty: 1, Underutilized: 3, Drifted: 1, Expired: 0, Interrupted: 0 },
    },
    samples: samples(mixed),
    events: EVENTS,
    violations: [
      {
        t: "30m0s",
        invariant: "pending_too_long",
        object: "Pod/shop/db-0",
        message: "pending for 10m0s",
      },
    ],
  };
}

// Without the browser the suite is skipped with the command that enables it — except in CI
// (`CI=true`, where .ci/run installs it), where a missing browser must fail.
const missingBrowser = skipWithoutTool("chromium");

describe("HTML report in Chromium", { skip: missingBrowser }, () => {
  let browser: Promise<Browser> | undefined;
  let dir: string | undefined;
  const pages = new Map<string, Promise<Page>>();
  const errors: string[] = [];

  // Opened by the first test rather than in a `before` hook: the runner reports a failing hook as
  // "cancelled", and a browser that fails to start must count as failed.
  function report(variant: "mixed" | "same"): Promise<Page> {
    let page = pages.get(variant);
    if (page === undefined) {
      page = open(variant);
      pages.set(variant, page);
    }
    return page;
  }

  async function launch(): Promise<Browser> {
    // Reached without the browser only in CI, where that is a failure.
    assert.ok(
      CHROMIUM,
      "chromium not found on PATH: install Debian's chromium (apt-get install -y chromium)",
    );
    return chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  }

  async function open(variant: "mixed" | "same"): Promise<Page> {
    browser ??= launch();
    dir ??= mkdtempSync(join(tmpdir(), "carpool-report-"));
    const file = join(dir, `${variant}.html`);
    writeFileSync(file, renderReportHtml(fixture(variant === "mixed")));
    const page = await (await browser).newPage({ viewport: { width: 1400, height: 1000 } });
    page.on("pageerror", (error) => errors.push(`${variant} pageerror: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`${variant} console: ${message.text()}`);
    });
    page.on("request", (request) => {
      if (!request.url().startsWith("file:")) errors.push(`external request: ${request.url()}`);
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    return page;
  }

  after(async () => {
    await (await browser)?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("loads without page errors, console errors or external requests", async () => {
    await report("mixed");
    await report("same");
    assert.deepEqual(errors, []);
  });

  for (const chart of CHARTS) {
    it(`lays out the ${chart} chart with numeric series and titled axes`, async () => {
      const svg = (await report("mixed")).locator(`svg[data-chart="${chart}"]`);
      assert.equal(await svg.count(), 1);
      assert.ok(await svg.isVisible(), `${chart} is not visible`);
      const box = await svg.boundingBox();
      assert.ok(box !== null && box.width > 0 && box.height > 0, `${chart} has no size`);
      assert.ok((await svg.locator("title").first().textContent())?.trim());
      for (const axis of ["x", "y"]) {
        const title = svg.locator(`[data-axis="${axis}"]`);
        assert.ok(await title.isVisible(), `${chart}: no ${axis} axis title`);
        assert.ok((await title.textContent())?.trim(), `${chart}: empty ${axis} axis title`);
      }
      const paths = await svg
        .locator("path[data-series]")
        .evaluateAll((nodes) => nodes.map((n) => n.getAttribute("d")));
      assert.ok(paths.length > 0, `${chart} has no series`);
      for (const d of paths) assert.match(d ?? "", STEP_PATH);
    });
  }

  it("leaves out the capacity-type chart when its series equal the pool chart's", async () => {
    const same = await report("same");
    assert.equal(await same.locator('svg[data-chart="nodes-by-capacity-type"]').count(), 0);
    assert.equal(await same.locator('svg[data-chart="nodes-by-pool"]').count(), 1);
    const note = await same.locator('[data-figure="nodes-by-pool"] .note').textContent();
    assert.match(note ?? "", /gpu: on-demand, general: spot|general: spot, gpu: on-demand/);
    const mixed = await report("mixed");
    assert.equal(await mixed.locator('svg[data-chart="nodes-by-capacity-type"]').count(), 1);
    assert.equal(await mixed.locator('[data-figure="nodes-by-pool"] .note').count(), 0);
  });

  it("draws each burst of pending pods at least 3px wide", async () => {
    const bars = (await report("mixed")).locator(
      'svg[data-chart="pods"] [data-series="pending"] rect',
    );
    // Minutes 360 and 361 hold different counts, so each is its own bar.
    assert.equal(await bars.count(), PENDING_AT.length);
    for (const bar of await bars.all()) {
      const box = await bar.boundingBox();
      assert.ok(box !== null && box.width >= 3 && box.height > 0, `bar ${JSON.stringify(box)}`);
    }
  });

  it("shows event messages as text, not markup", async () => {
    const events = (await report("mixed")).locator("section.events table");
    assert.equal(await events.locator("b").count(), 0);
    assert.equal(await events.locator("job").count(), 0);
    const cells = await events.locator("td").allTextContents();
    assert.ok(cells.includes(BOLD_MESSAGE), `no cell reads ${BOLD_MESSAGE}`);
    assert.ok(cells.includes("Empty: only daemonset pods run there"), "stuttered reason");
  });

  it("lists the violation", async () => {
    const text = await (await report("mixed")).locator("section.violations").textContent();
    assert.match(text ?? "", /pending_too_long/);
    assert.doesNotMatch(text ?? "", /No violations/);
  });

  describe("event log filters", () => {
    /** The visible rows as `reason object`, and the counts beside the reasons. */
    async function state(page: Page) {
      const rows = await page
        .locator("section.events tbody tr:visible")
        .evaluateAll((trs) =>
          trs.map(
            (tr) =>
              `${tr.querySelector(".reason")?.textContent} ${tr.querySelector(".object")?.textContent}`,
          ),
        );
      const counts = Object.fromEntries(
        await page
          .locator("[data-count]")
          .evaluateAll((spans) =>
            spans.map((s) => [s.getAttribute("data-count"), Number(s.textContent)]),
          ),
      );
      const shown = Number(await page.locator("[data-shown]").textContent());
      return { rows, counts, shown };
    }

    async function reset(page: Page) {
      await page.fill("[data-object-filter]", "");
      await page.click('[data-select="all"]');
    }

    it("counts every reason before any filter", async () => {
      const page = await report("mixed");
      const { counts, shown } = await state(page);
      assert.deepEqual(counts, {
        Applied: 1,
        NodeClaimCreated: 1,
        NodeRegistered: 2,
        Scheduled: 4,
        DisruptionDelete: 1,
        PodEvicted: 1,
      });
      assert.equal(shown, EVENTS.length);
    });

    it("hides the rows of an unchecked reason", async () => {
      const page = await report("mixed");
      await reset(page);
      await page.locator('[data-reason-filter][value="Scheduled"]').uncheck();
      const { rows, shown } = await state(page);
      assert.equal(rows.filter((r) => r.startsWith("Scheduled")).length, 0);
      assert.equal(shown, EVENTS.length - 4);
      await page.click('[data-select="none"]');
      assert.equal((await state(page)).shown, 0);
    });

    it("filters by object: a typed part of a name, with the counts of what matches", async () => {
      const page = await report("mixed");
      await reset(page);
      await page.fill("[data-object-filter]", "shop/db");
      const { rows, counts, shown } = await state(page);
      assert.deepEqual(rows, [
        "Scheduled Pod/shop/db-0",
        "PodEvicted Pod/shop/db-0",
        "Scheduled Pod/shop/db-0",
      ]);
      assert.equal(shown, 3);
      assert.equal(counts.Scheduled, 2);
      assert.equal(counts.PodEvicted, 1);
      assert.equal(counts.Applied, 0);
    });

    it("follows a clicked machine under both its names, and not a longer name", async () => {
      const page = await report("mixed");
      await reset(page);
      await page.locator('button[data-object="Node/n-1"]').click();
      assert.equal(await page.inputValue("[data-object-filter]"), "Node/n-1");
      const { rows } = await state(page);
      // The claim that became Node/n-1, the pods bound there, its disruption and the eviction;
      // nothing of Node/n-10.
      assert.deepEqual(rows, [
        "NodeClaimCreated NodeClaim/general-1",
        "NodeRegistered NodeClaim/general-1",
        "Scheduled Pod/shop/db-0",
        "DisruptionDelete Node/n-1",
        "PodEvicted Pod/shop/db-0",
      ]);
    });

    it("filters the log to a violation's object when its name is clicked", async () => {
      const page = await report("mixed");
      await reset(page);
      await page.locator('section.violations button[data-object="Pod/shop/db-0"]').click();
      const { rows } = await state(page);
      assert.deepEqual(rows, [
        "Scheduled Pod/shop/db-0",
        "PodEvicted Pod/shop/db-0",
        "Scheduled Pod/shop/db-0",
      ]);
    });

    it("combines both filters", async () => {
      const page = await report("mixed");
      await reset(page);
      await page.fill("[data-object-filter]", "n-10");
      await page.locator('[data-reason-filter][value="NodeRegistered"]').uncheck();
      const { rows, counts } = await state(page);
      assert.deepEqual(rows, ["Scheduled Pod/batch/<job>", "Scheduled Pod/shop/db-0"]);
      // Counts are of the object filter alone, so an unchecked reason still shows what it hides.
      assert.equal(counts.NodeRegistered, 1);
    });
  });
});
