import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import fc from "fast-check";
import { shellQuote } from "./shell-quote.ts";

/** What `sh` makes of one word: printf writes its argument back unchanged. */
function throughShell(word: string): string {
  const run = spawnSync("sh", ["-c", `printf '%s' ${word}`], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

// POSIX Shell Command Language §2.2.2: single quotes preserve every character literally, and a
// single quote cannot occur inside them — so it is closed, escaped (§2.2.1) and reopened.
describe("shellQuote", () => {
  const rows: [string, string, string][] = [
    ["a plain word is quoted all the same", "agent", "'agent'"],
    ["the empty string is one empty word", "", "''"],
    ["a single quote is closed, escaped and reopened", "it's", `'it'\\''s'`],
    ["only quotes", "''", `''\\'''\\'''`],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${HOME} is what the row checks
    ["$ and command substitution stay literal", "$(id) `id` ${HOME}", "'$(id) `id` ${HOME}'"],
    ["spaces and globs do not split or expand", "a b *", "'a b *'"],
    ["a backslash is literal inside single quotes", "a\\nb", "'a\\nb'"],
    ["a newline is kept inside the word", "a\nb", "'a\nb'"],
    ["a double quote needs nothing", 'say "hi"', `'say "hi"'`],
  ];
  for (const [rule, value, quoted] of rows) {
    it(`${JSON.stringify(value)}: ${rule}`, () => {
      assert.equal(shellQuote(value), quoted);
      assert.equal(throughShell(quoted), value);
    });
  }
  it("refuses a NUL, which no shell word can carry", () => {
    assert.throws(() => shellQuote("a\0b"), /NUL/);
  });

  const seed = 7001;
  it(`sh reads every quoted string back unchanged (fast-check seed ${seed})`, () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 40 }).filter((s) => !s.includes("\0")),
        (value) => assert.equal(throughShell(shellQuote(value)), value),
      ),
      { seed, numRuns: 150 },
    );
  });
});
