import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseDuration } from "../disruption/duration.ts";
import { firesAt, parseCron, windowActive } from "./cron.ts";

const at = (iso: string) => new Date(iso);

describe("cron schedules (robfig/cron standard parser, as Karpenter's budgets use it; UTC)", () => {
  const cases: [schedule: string, time: string, fires: boolean][] = [
    ["@daily", "2026-11-25T00:00:00Z", true],
    ["@daily", "2026-11-25T00:01:00Z", false],
    ["@midnight", "2026-11-25T00:00:00Z", true],
    ["@hourly", "2026-11-25T13:00:00Z", true],
    ["@weekly", "2026-11-29T00:00:00Z", true], // a Sunday
    ["@weekly", "2026-11-25T00:00:00Z", false],
    ["@monthly", "2026-12-01T00:00:00Z", true],
    ["@yearly", "2027-01-01T00:00:00Z", true],
    ["@annually", "2026-06-01T00:00:00Z", false],
    ["0 9 * * MON-FRI", "2026-11-25T09:00:00Z", true], // Wednesday
    ["0 9 * * MON-FRI", "2026-11-28T09:00:00Z", false], // Saturday
    ["0 9 * * mon-fri", "2026-11-27T09:00:00Z", true], // names are case-insensitive
    ["*/15 * * * *", "2026-11-25T10:45:00Z", true],
    ["*/15 * * * *", "2026-11-25T10:50:00Z", false],
    ["5/20 * * * *", "2026-11-25T10:45:00Z", true], // a/n is a-max/n
    ["0 0,12 * * *", "2026-11-25T12:00:00Z", true],
    ["0 0 1 JAN-MAR *", "2027-02-01T00:00:00Z", true],
    ["0 0 1 JAN-MAR *", "2026-12-01T00:00:00Z", false],
    // Both day fields restricted: either matches (robfig's dayMatches).
    ["0 0 1 * MON", "2026-11-30T00:00:00Z", true], // a Monday, not the 1st
    ["0 0 1 * MON", "2026-12-01T00:00:00Z", true], // the 1st, a Tuesday
    ["0 0 1 * MON", "2026-12-02T00:00:00Z", false],
    // One day field is * or ?: both must match, so the other decides alone.
    ["0 0 * * MON", "2026-12-01T00:00:00Z", false],
    ["0 0 ? * TUE", "2026-12-01T00:00:00Z", true],
  ];
  for (const [schedule, time, fires] of cases) {
    it(`${schedule} ${fires ? "fires" : "does not fire"} at ${time}`, () => {
      assert.equal(firesAt(parseCron(schedule), at(time)), fires);
    });
  }

  it("rejects malformed schedules with the schedule in the message", () => {
    for (const bad of ["* * * *", "61 * * * *", "0 0 * * FUNDAY", "*/0 * * * *", "5-1 * * * *"]) {
      assert.throws(() => parseCron(bad), new RegExp(`schedule "${bad.replace(/[*?]/g, "\\$&")}"`));
    }
  });

  it("a window is active from each firing for the duration (Karpenter: next firing after now-duration is not after now)", () => {
    const schedule = parseCron("0 9 * * MON-FRI");
    const eight = parseDuration("8h");
    assert.equal(windowActive(schedule, eight, at("2026-11-25T09:00:00Z")), true); // at the firing
    assert.equal(windowActive(schedule, eight, at("2026-11-25T16:59:00Z")), true);
    assert.equal(windowActive(schedule, eight, at("2026-11-25T17:00:00Z")), false); // firing + duration
    assert.equal(windowActive(schedule, eight, at("2026-11-25T08:59:00Z")), false);
    assert.equal(windowActive(schedule, eight, at("2026-11-28T10:00:00Z")), false); // Saturday
  });
});

describe("durations (Go syntax as the NodePool CRD allows)", () => {
  it("parses h, m and s and their sums; Never is infinite", () => {
    assert.equal(parseDuration("720h"), 720 * 3_600_000);
    assert.equal(parseDuration("1h30m"), 90 * 60_000);
    assert.equal(parseDuration("30s"), 30_000);
    assert.equal(parseDuration("0s"), 0);
    assert.equal(parseDuration("Never"), Number.POSITIVE_INFINITY);
  });
  it("rejects anything else", () => {
    for (const bad of ["", "10", "1d", "1h 30m", "h"]) assert.throws(() => parseDuration(bad));
  });
});
