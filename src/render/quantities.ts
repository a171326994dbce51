/**
 * Resource amounts as people read them, for tables and sentences (JSON and YAML keep Kubernetes'
 * exact quantities). CPU stays exact: whole and fractional cores ("2", "1.5", "7.91"), millicores
 * only below one core ("250m", as `kubectl top` writes them). Byte amounts use binary units
 * (KiB, MiB, GiB, TiB, as the IEC names them) with about three significant digits: "14103Mi"
 * reads "13.77GiB", never raw bytes or Ki.
 */

/** CPU from milli-units (the scheduler's unit): exact, cores from one core up. */
export function formatCpu(milli: number): string {
  if (milli === 0) return "0";
  if (Math.abs(milli) < 1000) return `${milli}m`;
  const sign = milli < 0 ? "-" : "";
  const magnitude = Math.abs(milli);
  const cores = Math.trunc(magnitude / 1000);
  const fraction = String(magnitude % 1000)
    .padStart(3, "0")
    .replace(/0+$/, "");
  return `${sign}${cores}${fraction === "" ? "" : `.${fraction}`}`;
}

const binaryUnits = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"] as const;

/** Bytes in the largest binary unit that leaves at least 1, rounded to about three digits. */
export function formatBytes(bytes: number): string {
  const sign = bytes < 0 ? "-" : "";
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < binaryUnits.length - 1) {
    value /= 1024;
    unit++;
  }
  const decimals = unit === 0 ? 0 : value < 100 ? 2 : value < 1000 ? 1 : 0;
  let text = value.toFixed(decimals);
  // Rounding may carry into the next unit (1023.96MiB reads 1024.0): say 1GiB instead.
  if (Number(text) >= 1024 && unit < binaryUnits.length - 1) {
    unit++;
    text = "1";
  }
  if (text.includes(".")) text = text.replace(/0+$/, "").replace(/\.$/, "");
  return `${sign}${text}${binaryUnits[unit]}`;
}

// Resources Kubernetes counts in bytes (hugepages-2Mi and the like too).
const byteResources = new Set(["memory", "ephemeral-storage", "storage"]);

/** A scheduler-unit amount of a resource, for people: cores, bytes in binary units, or a count. */
export function formatAmount(resource: string, amount: number): string {
  if (resource === "cpu") return formatCpu(amount);
  if (byteResources.has(resource) || resource.startsWith("hugepages-")) return formatBytes(amount);
  return String(amount);
}
