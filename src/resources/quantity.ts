/**
 * Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource), exact: values are held
 * in nano-units as bigint, the finest precision Kubernetes keeps (finer input is rounded up).
 */
export type QuantityFormat = "DecimalSI" | "BinarySI" | "DecimalExponent";

export interface Quantity {
  /** The value in milli-units, rounded up (away from zero) as Quantity.MilliValue does. */
  readonly milli: bigint;
  /** The exact value in nano-units. */
  readonly nano: bigint;
  readonly format: QuantityFormat;
}

export type QuantityResult =
  | { readonly ok: true; readonly quantity: Quantity }
  | { readonly ok: false; readonly message: string };

const grammar = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|[numkMGTPE]?)$/;

const decimalSuffixes: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  "": 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const binarySuffixes: Readonly<Record<string, number>> = {
  Ki: 1,
  Mi: 2,
  Gi: 3,
  Ti: 4,
  Pi: 5,
  Ei: 6,
};

/** Parses a quantity; throws an Error naming the text when it is not one. */
export function parseQuantity(text: string): Quantity {
  const result = tryParseQuantity(text);
  if (!result.ok) throw new Error(result.message);
  return result.quantity;
}

/** Parses a quantity, or says why the text is not one. Numbers are read as their decimal text. */
export function tryParseQuantity(text: string | number): QuantityResult {
  const source = typeof text === "number" ? numberText(text) : text;
  const match = grammar.exec(source);
  if (match === null) {
    return {
      ok: false,
      message: `quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': ${JSON.stringify(source)}`,
    };
  }
  const [, sign = "", number = "", suffix = ""] = match;
  const negative = sign === "-";
  const { digits, fractionDigits } = splitNumber(number);
  let format: QuantityFormat;
  let numerator = digits; // value = numerator / denominator, in base units
  let denominator = 10n ** BigInt(fractionDigits);
  if (suffix in binarySuffixes) {
    format = "BinarySI";
    numerator *= 1024n ** BigInt(binarySuffixes[suffix] ?? 0);
  } else {
    const exponent =
      suffix === "" || suffix in decimalSuffixes
        ? (decimalSuffixes[suffix] ?? 0)
        : Number(suffix.slice(1));
    format = suffix.length > 1 ? "DecimalExponent" : "DecimalSI";
    if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
    else denominator *= 10n ** BigInt(-exponent);
  }
  // Kubernetes keeps nano precision at most and rounds finer values up (away from zero).
  const nano = divideAwayFromZero(numerator * 1_000_000_000n, denominator);
  const signed = negative ? -nano : nano;
  return { ok: true, quantity: { nano: signed, milli: nanoTo(signed, 1_000_000n), format } };
}

/** The value in whole units, rounded away from zero (Quantity.Value). */
export function quantityValue(quantity: Quantity): bigint {
  return nanoTo(quantity.nano, 1_000_000_000n);
}

/** Kubernetes' canonical text: no fraction, the largest suffix that loses nothing, the same format. */
export function formatQuantity(quantity: Quantity): string {
  const { nano, format } = quantity;
  if (nano === 0n) return "0";
  const magnitude = nano < 0n ? -nano : nano;
  const sign = nano < 0n ? "-" : "";
  // A binary quantity below 1024 (or with a fraction) is written in decimal (CanonicalizeBytes).
  if (
    format === "BinarySI" &&
    magnitude % 1_000_000_000n === 0n &&
    magnitude >= 1024n * 1_000_000_000n
  ) {
    let value = magnitude / 1_000_000_000n;
    let power = 0;
    while (power < 6 && value % 1024n === 0n) {
      value /= 1024n;
      power++;
    }
    return `${sign}${value}${["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][power]}`;
  }
  let mantissa = magnitude;
  let exponent = -9;
  while (exponent < 18 && mantissa % 1000n === 0n) {
    mantissa /= 1000n;
    exponent += 3;
  }
  if (format === "DecimalExponent")
    return `${sign}${mantissa}${exponent === 0 ? "" : `e${exponent}`}`;
  const suffix =
    Object.keys(decimalSuffixes).find((key) => decimalSuffixes[key] === exponent) ?? "";
  return `${sign}${mantissa}${suffix}`;
}

export function compareQuantity(a: Quantity, b: Quantity): -1 | 0 | 1 {
  return a.nano < b.nano ? -1 : a.nano > b.nano ? 1 : 0;
}

/** The sum keeps the format of the first operand, as Quantity.Add does. */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  const nano = a.nano + b.nano;
  return { nano, milli: nanoTo(nano, 1_000_000n), format: a.format };
}

function splitNumber(number: string): { digits: bigint; fractionDigits: number } {
  const [whole = "", fraction = ""] = number.split(".");
  return { digits: BigInt(`${whole}${fraction}` || "0"), fractionDigits: fraction.length };
}

function divideAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  return numerator % denominator === 0n ? quotient : quotient + 1n;
}

function nanoTo(nano: bigint, unit: bigint): bigint {
  const quotient = nano / unit;
  if (nano % unit === 0n) return quotient;
  return nano > 0n ? quotient + 1n : quotient - 1n;
}

/** A JS number as quantity text: integers and plain decimals as written; exponents kept exact. */
function numberText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const text = String(value);
  // String(1e21) is "1e+21": the grammar takes "1e21".
  return text.replace("e+", "e");
}
