import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { escapeForTerminal } from "./terminal-text.ts";

describe("escapeForTerminal", () => {
  const rows: [string, string, string][] = [
    ["plain text is kept", "web-0 default/api", "web-0 default/api"],
    ["non-ASCII letters are kept (label values may not, names in messages may)", "café", "café"],
    ["an ANSI colour sequence (ECMA-48 CSI) is shown, not run", "\u001b[31mred", "\\x1b[31mred"],
    ["newline, carriage return and tab are named", "a\nb\rc\td", "a\\nb\\rc\\td"],
    ["NUL, BEL and DEL", "\u0000\u0007\u007f", "\\x00\\x07\\x7f"],
    ["a C1 control (8-bit CSI)", "\u009b2J", "\\x9b2J"],
    ["a right-to-left override (CVE-2021-42574)", "abc\u202edef", "abc\\u202edef"],
  ];
  for (const [name, input, expected] of rows)
    it(name, () => assert.equal(escapeForTerminal(input), expected));
});
