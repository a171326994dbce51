import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  addQuantity,
  compareQuantity,
  formatQuantity,
  parseQuantity,
  quantityValue,
  tryParseQuantity,
} from "./quantity.ts";

// Rows cite k8s.io/apimachinery/pkg/api/resource (quantity.go, quantity_test.go).
describe("parseQuantity: exact value in milli-units", () => {
  const rows: [string, string, bigint][] = [
    ["plain integer is whole units (DecimalSI, no suffix)", "1", 1000n],
    ["m is milli", "100m", 100n],
    ["Ki is 1024 (binary SI)", "1Ki", 1_024_000n],
    ["fractions of binary suffixes are exact", "1.5Gi", 1_610_612_736_000n],
    ["milli value rounds up: MilliValue is ceil(q*1000)", "0.1m", 1n],
    ["negative milli rounds away from zero", "-0.1m", -1n],
    ["decimal exponent e3", "1e3", 1_000_000n],
    ["upper-case E followed by digits is an exponent", "1E3", 1_000_000n],
    ["lone E is the exa suffix", "1E", 10n ** 21n],
    ["a leading dot is a number", ".5", 500n],
    ["a trailing dot is a number", "1.", 1000n],
    ["n is nano", "100n", 1n],
    ["precision finer than nano rounds up to 1n", "0.0000000001", 1n],
    ["negative exponent", "12e-3", 12n],
    ["explicit plus sign", "+2", 2000n],
    ["M is mega (10^6), not Mi", "1M", 1_000_000_000n],
    ["k is kilo", "2k", 2_000_000n],
    ["u is micro", "1500u", 2n],
  ];
  for (const [rule, text, milli] of rows) {
    it(`${text}: ${rule}`, () => assert.equal(parseQuantity(text).milli, milli));
  }
  it("numbers in manifests are read as their decimal text (cpu: 0.5)", () => {
    const parsed = tryParseQuantity(0.5);
    assert.ok(parsed.ok && parsed.quantity.milli === 500n);
  });
  it("Value() rounds up to whole units: 100m memory is 1 byte", () => {
    assert.equal(quantityValue(parseQuantity("100m")), 1n);
  });
});

describe("parseQuantity: invalid text is an error that names the text", () => {
  const rows: [string, string][] = [
    ["empty string", ""],
    ["two dots", "1.2.3"],
    ["suffix without number", "Gi"],
    ["space between number and suffix", "1 Gi"],
    ["unknown suffix KiB", "1KiB"],
    ["suffixes are case-sensitive", "1gi"],
    ["double sign", "--1"],
    ["exponent without digits", "1e"],
    ["fractional exponent", "1.5e1.5"],
    ["K is not a suffix (only k)", "1K"],
  ];
  for (const [rule, text] of rows) {
    it(`${JSON.stringify(text)}: ${rule}`, () => {
      assert.throws(
        () => parseQuantity(text),
        (error: Error) => error.message.includes(JSON.stringify(text)),
      );
    });
  }
});

describe("formatQuantity: canonical form (Quantity.String / CanonicalizeBytes)", () => {
  const rows: [string, string, string][] = [
    ["1.5 becomes 1500m: no fractional digits", "1.5", "1500m"],
    ["1.5Gi becomes 1536Mi: binary keeps binary", "1.5Gi", "1536Mi"],
    ["1024Mi becomes 1Gi: the largest suffix", "1024Mi", "1Gi"],
    ["1000 becomes 1k", "1000", "1k"],
    ["binary below 1024 is written in decimal", "0.5Ki", "512"],
    ["1000Ki stays 1000Ki", "1000Ki", "1000Ki"],
    ["0.1m becomes 100u", "0.1m", "100u"],
    ["exponent format stays exponent", "1E3", "1e3"],
    ["exponent below one", "12e-3", "12e-3"],
    ["zero is 0", "0Gi", "0"],
    ["negative keeps its sign", "-1500m", "-1500m"],
    ["plus sign is dropped", "+1", "1"],
  ];
  for (const [rule, text, canonical] of rows) {
    it(`${text} → ${canonical}: ${rule}`, () =>
      assert.equal(formatQuantity(parseQuantity(text)), canonical));
  }
});

describe("quantity arithmetic and properties", () => {
  it("addQuantity is exact and keeps the first format", () => {
    const sum = addQuantity(parseQuantity("1.5Gi"), parseQuantity("512Mi"));
    assert.equal(formatQuantity(sum), "2Gi");
    assert.equal(compareQuantity(sum, parseQuantity("2Gi")), 0);
  });
  it("parse(format(q)) == q for any decimal or binary quantity", () => {
    const text = fc.tuple(
      fc.constantFrom("", "-"),
      fc.bigInt({ min: 0n, max: 10n ** 12n }),
      fc.constantFrom("n", "u", "m", "", "k", "M", "G", "Ki", "Mi", "Gi", "Ti", "e3", "e-2"),
    );
    fc.assert(
      fc.property(text, ([sign, digits, suffix]) => {
        const quantity = parseQuantity(`${sign}${digits}${suffix}`);
        const again = parseQuantity(formatQuantity(quantity));
        assert.equal(again.nano, quantity.nano);
      }),
      { seed: 20261124 },
    );
  });
});
