import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isCanonicalDecimalInteger, parseCanonicalInt64 } from "./decimal-integer.ts";

// Rows cite apimachinery pkg/api/validate/content IsDecimalInteger (strict canonical form).
describe("isCanonicalDecimalInteger", () => {
  const rows: [string, string, boolean][] = [
    ["zero is canonical", "0", true],
    ["a positive integer is canonical", "950", true],
    ["a negative integer is canonical", "-456", true],
    ["the empty string is not an integer", "", false],
    ["a lone minus is not an integer", "-", false],
    ["a plus sign is not canonical", "+5", false],
    ["a leading zero is not canonical (no octal reading)", "0700", false],
    ["minus zero is not canonical", "-0", false],
    ["a negative with a leading zero is not canonical", "-01", false],
    ["a decimal point is not an integer", "95.5", false],
    ["an exponent is not an integer", "1e3", false],
    ["surrounding space is not canonical", " 5", false],
    ["hexadecimal is not decimal", "0x10", false],
  ];
  for (const [rule, value, expected] of rows) {
    it(rule, () => assert.equal(isCanonicalDecimalInteger(value), expected));
  }
});

// Rows cite core/v1 compareNumericValues: IsDecimalInteger, then strconv.ParseInt(value, 10, 64).
describe("parseCanonicalInt64", () => {
  const rows: [string, string, bigint | undefined][] = [
    ["a canonical integer parses", "950", 950n],
    ["a negative integer parses", "-200", -200n],
    ["the largest int64 parses", "9223372036854775807", 9223372036854775807n],
    ["the smallest int64 parses", "-9223372036854775808", -9223372036854775808n],
    [
      "one past the largest int64 does not (ParseInt range error)",
      "9223372036854775808",
      undefined,
    ],
    ["one below the smallest int64 does not", "-9223372036854775809", undefined],
    ["a non-canonical spelling does not, though ParseInt would take it", "+5", undefined],
  ];
  for (const [rule, value, expected] of rows) {
    it(rule, () => assert.equal(parseCanonicalInt64(value), expected));
  }
});
