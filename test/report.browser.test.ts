// Opens the HTML report in a real Chromium: the unit tests check the markup as text, this checks
// that a browser parses it without errors and actually lays the charts out.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { renderReportHtml } from "../src/sim/report-html.ts";
import type { Sample, SimulationResult } from "../src/sim/result.ts";
import { findOnPath, skipWithoutTool } from "./external-tools.ts";

// Debian's chromium, found on PATH as a shell would (/usr/bin/chromium).
const CHROMIUM = findOnPath("chromium");
const CHARTS = ["nodes-by-pool", "nodes-by-capacity-type", "pods", "cost"];
const BOLD_MESSAGE = "scheduled <b>web-0</b> & friends";
// Comma-separated coordinate pairs, space-separated; anything else (NaN, Infinity) fails.
const POINTS = /^-?\d+(\.\d+)?,-?\d+(\.\d+)?( -?\d+(\.\d+)?,-?\d+(\.\d+)?)*$/;

function fixture(): SimulationResult {
  const samples = Array.from({ length: 48 }, (_, minute): Sample => {
    const general = 2 + (minute % 5);
    const gpu = minute < 20 ? 0 : 1 + (minute % 3);
    const spot = Math.floor((general + gpu) / 2);
    return {
      t: `${minute}m0s`,
      seconds: minute * 60,
      nodes: general + gpu,
      pendingPods: minute % 7,
      runningPods: 10 + minute,
      hourlyCost: 0.0416 * general + 0.526 * gpu,
      nodesByPool: gpu === 0 ? { general } : { general, gpu },
      nodesByCapacityType: { "on-demand": general + gpu - spot, spot },
    };
  });
  return {
    apiVersion: "carpool.dev/v1alpha1",
    kind: "SimulationResult",
    scenario: "browser <fixture>",
    seed: 7,
    summary: {
      duration: "47m0s",
      pods: {
        created: 60,
        maxPending: 6,
        pendingSecondsP50: 30,
        pendingSecondsP99: 240,
        neverScheduled: 0,
      },
      nodes: { launched: 12, terminated: 6, peak: 9, final: 6 },
      cost: { total: 1.5, finalHourly: 1.2 },
      disruptions: { Empty: 2, Underutilized: 3, Drifted: 1, Expired: 0, Interrupted: 0 },
    },
    samples,
    events: [
      { t: "0s", kind: "Launch", object: "NodeClaim/general-abc", message: "launched m5.large" },
      { t: "1m0s", kind: "Schedule", object: "Pod/default/web-0", message: BOLD_MESSAGE },
      { t: "20m0s", kind: "Launch", object: "NodeClaim/gpu-xyz", message: "launched g5.xlarge" },
    ],
    violations: [
      {
        t: "30m0s",
        invariant: "pending_too_long",
        object: "Pod/default/batch-3",
        message: "pending for 10m0s",
      },
    ],
  };
}

// Without the browser the suite is skipped with the command that enables it — except in CI
// (`CI=true`, where .ci/run installs it), where a missing browser must fail.
const missingBrowser = skipWithoutTool("chromium");

describe("HTML report in Chromium", { skip: missingBrowser }, () => {
  let browser: Browser | undefined;
  let dir: string | undefined;
  let opened: Promise<Page> | undefined;
  const errors: string[] = [];

  // Opened by the first test rather than in a `before` hook: the runner reports a failing hook as
  // "cancelled", and a browser that fails to start must count as failed.
  function report(): Promise<Page> {
    opened ??= open();
    return opened;
  }

  async function open(): Promise<Page> {
    // Reached without the browser only in CI, where that is a failure.
    assert.ok(
      CHROMIUM,
      "chromium not found on PATH: install Debian's chromium (apt-get install -y chromium)",
    );
    dir = mkdtempSync(join(tmpdir(), "carpool-report-"));
    const file = join(dir, "report.html");
    writeFileSync(file, renderReportHtml(fixture()));
    browser = await chromium.launch({
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
    const page = await browser.newPage();
    page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`console: ${message.text()}`);
    });
    page.on("request", (request) => {
      if (!request.url().startsWith("file:")) errors.push(`external request: ${request.url()}`);
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    return page;
  }

  after(async () => {
    await browser?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("loads without page errors, console errors or external requests", async () => {
    await report();
    assert.deepEqual(errors, []);
  });

  for (const chart of CHARTS) {
    it(`lays out the ${chart} chart with numeric series`, async () => {
      const svg = (await report()).locator(`svg[data-chart="${chart}"]`);
      assert.equal(await svg.count(), 1);
      assert.ok(await svg.isVisible(), `${chart} is not visible`);
      const box = await svg.boundingBox();
      assert.ok(box !== null && box.width > 0 && box.height > 0, `${chart} has no size`);
      assert.ok((await svg.locator("title").textContent())?.trim());
      const points = await svg
        .locator("[data-series]")
        .evaluateAll((nodes) => nodes.map((n) => n.getAttribute("points") ?? n.getAttribute("d")));
      assert.ok(points.length > 0, `${chart} has no series`);
      for (const value of points) assert.match(value ?? "", POINTS);
    });
  }

  it("shows event messages as text, not markup", async () => {
    const events = (await report()).locator("section.events table");
    assert.equal(await events.locator("b").count(), 0);
    const cells = await events.locator("td").allTextContents();
    assert.ok(cells.includes(BOLD_MESSAGE), `no cell reads ${BOLD_MESSAGE}`);
  });

  it("lists the violation", async () => {
    const text = await (await report()).locator("section.violations").textContent();
    assert.match(text ?? "", /pending_too_long/);
    assert.doesNotMatch(text ?? "", /No violations/);
  });
});
