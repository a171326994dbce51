/**
 * apimachinery's content.IsDecimalInteger: "0", or an optional "-" then a digit 1–9 and more
 * digits. Stricter than strconv.ParseInt on purpose: no "+", no leading zeros, no "-0", so a
 * value reads one way only (never as octal, never two spellings of one number).
 */
export function isCanonicalDecimalInteger(value: string): boolean {
  return /^(0|-?[1-9][0-9]*)$/.test(value);
}

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

/**
 * The value as Kubernetes reads a Lt/Gt toleration or taint value: a canonical decimal integer
 * that strconv.ParseInt(value, 10, 64) accepts, or undefined for anything else (bigint, since
 * int64 is wider than a double holds exactly).
 */
export function parseCanonicalInt64(value: string): bigint | undefined {
  if (!isCanonicalDecimalInteger(value)) return undefined;
  const parsed = BigInt(value);
  return parsed < int64Min || parsed > int64Max ? undefined : parsed;
}
