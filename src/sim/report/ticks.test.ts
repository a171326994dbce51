import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatSeconds, timeTicks, valueTicks } from "./ticks.ts";

describe("valueTicks", () => {
  const cases = [
    { name: "91 pods: steps of 25", max: 91, whole: true, want: [0, 25, 50, 75, 100] },
    { name: "30 nodes: steps of 10", max: 30, whole: true, want: [0, 10, 20, 30] },
    { name: "9 nodes: no step of 2.5", max: 9, whole: true, want: [0, 5, 10] },
    { name: "3 nodes: no step below 1", max: 3, whole: true, want: [0, 1, 2, 3] },
    {
      name: "$0.9 an hour: steps of 0.25 with both decimals",
      max: 0.9,
      whole: false,
      want: [0, 0.25, 0.5, 0.75, 1],
    },
    {
      name: "$0.3 an hour: 0.1 + 0.2 shown as 0.3",
      max: 0.3,
      whole: false,
      want: [0, 0.1, 0.2, 0.3],
    },
    { name: "all zero: still a 0..1 axis", max: 0, whole: true, want: [0, 1] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(valueTicks(c.max, c.whole), c.want));
});

describe("timeTicks", () => {
  const cases = [
    {
      name: "a day: every 3h",
      min: 0,
      max: 86400,
      want: [0, 3, 6, 9, 12, 15, 18, 21, 24].map((h) => h * 3600),
    },
    { name: "47 minutes: every 10m", min: 0, max: 2820, want: [0, 600, 1200, 1800, 2400, 3000] },
    { name: "one instant: two ticks, never a zero span", min: 0, max: 0, want: [0, 1] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(timeTicks(c.min, c.max), c.want));
});

describe("formatSeconds", () => {
  // Go's time.Duration String() without the zero units, as axis ticks want it short.
  const cases = [
    [0, "0s"],
    [45, "45s"],
    [1800, "30m"],
    [3600, "1h"],
    [5400, "1h30m"],
    [7200, "2h"],
    [Number.NaN, "0s"],
  ] as const;
  for (const [seconds, want] of cases)
    it(`${seconds} s is ${want}`, () => assert.equal(formatSeconds(seconds), want));
});
