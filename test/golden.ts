import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Compares `actual` with the golden file at `path`. With UPDATE_GOLDEN=1 the file is
 * (re)written instead, so a change in output shows up as a diff in review.
 */
export function assertGolden(path: string, actual: string): void {
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  assert.ok(
    existsSync(path),
    `golden file ${path} is missing: run with UPDATE_GOLDEN=1 to create it`,
  );
  assert.equal(
    actual,
    readFileSync(path, "utf8"),
    `output differs from ${path} (UPDATE_GOLDEN=1 rewrites it)`,
  );
}
