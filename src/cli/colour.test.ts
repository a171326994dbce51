import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type ColourSettings, colourWanted } from "./colour.ts";

// https://no-color.org: a NO_COLOR that is present and not empty turns colour off, whatever its
// value. FORCE_COLOR as Node's tty.getColorDepth reads it: non-empty and not "0" forces colour.
describe("colourWanted", () => {
  const tty = { flag: true, env: {}, isTTY: true };
  const rows: [string, ColourSettings, boolean][] = [
    ["a terminal gets colour", tty, true],
    ["a pipe or file gets none", { ...tty, isTTY: false }, false],
    ["--no-color turns it off on a terminal", { ...tty, flag: false }, false],
    ["NO_COLOR=1 turns it off", { ...tty, env: { NO_COLOR: "1" } }, false],
    ["NO_COLOR with any non-empty value turns it off", { ...tty, env: { NO_COLOR: "0" } }, false],
    ["an empty NO_COLOR is as if unset", { ...tty, env: { NO_COLOR: "" } }, true],
    ["FORCE_COLOR=1 colours a pipe", { ...tty, isTTY: false, env: { FORCE_COLOR: "1" } }, true],
    ["FORCE_COLOR=0 keeps a terminal plain", { ...tty, env: { FORCE_COLOR: "0" } }, false],
    [
      "NO_COLOR beats FORCE_COLOR: the user's no is the last word",
      { ...tty, env: { NO_COLOR: "1", FORCE_COLOR: "1" } },
      false,
    ],
    ["--no-color beats FORCE_COLOR", { ...tty, flag: false, env: { FORCE_COLOR: "1" } }, false],
  ];
  for (const [rule, settings, wanted] of rows)
    it(rule, () => assert.equal(colourWanted(settings), wanted));
});
