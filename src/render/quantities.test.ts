import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatAmount, formatBytes, formatCpu } from "./quantities.ts";

// CPU in milli-units is exact in Kubernetes (Quantity.MilliValue), so its text is exact too.
describe("formatCpu: cores as people write them, exact", () => {
  const rows: [string, number, string][] = [
    ["whole cores have no fraction", 2000, "2"],
    ["half a core past one reads 1.5", 1500, "1.5"],
    ["below one core, millicores as kubectl top writes them", 250, "250m"],
    ["an allocatable after kube-reserved keeps every milli", 7910, "7.91"],
    ["a thousandth of a core is kept past one core", 1001, "1.001"],
    ["no CPU is plain 0", 0, "0"],
    ["a large machine", 382920, "382.92"],
    ["a shortfall may be negative", -1500, "-1.5"],
  ];
  for (const [rule, milli, text] of rows) it(rule, () => assert.equal(formatCpu(milli), text));
});

// Binary units as IEC 80000-13 names them (Kubernetes writes Mi/Gi; people read MiB/GiB).
describe("formatBytes: binary units, about three significant digits", () => {
  const Mi = 1024 ** 2;
  const Gi = 1024 ** 3;
  const rows: [string, number, string][] = [
    ["whole GiB have no fraction", 16 * Gi, "16GiB"],
    ["14103Mi of allocatable reads 13.77GiB", 14103 * Mi, "13.77GiB"],
    ["1122Mi reads 1.1GiB, trailing zero dropped", 1122 * Mi, "1.1GiB"],
    ["below 1GiB, MiB", 512 * Mi, "512MiB"],
    ["over a hundred GiB, one decimal", 741.5 * Gi, "741.5GiB"],
    ["over a thousand GiB stay GiB, rounded to whole", 1023 * Gi, "1023GiB"],
    ["a rounding that reaches 1024 moves up a unit", 1024 * Mi - 1, "1GiB"],
    ["a TiB", 2 * 1024 * Gi, "2TiB"],
    ["bytes below a KiB are bytes", 100, "100B"],
    ["zero", 0, "0B"],
    ["decimal megabytes (100M) read in MiB", 100_000_000, "95.37MiB"],
  ];
  for (const [rule, bytes, text] of rows) it(rule, () => assert.equal(formatBytes(bytes), text));
});

describe("formatAmount: the unit follows the resource", () => {
  const rows: [string, string, number, string][] = [
    ["cpu is in milli-units", "cpu", 500, "500m"],
    ["memory is in bytes", "memory", 4 * 1024 ** 3, "4GiB"],
    ["ephemeral-storage is in bytes", "ephemeral-storage", 20 * 1024 ** 3, "20GiB"],
    ["hugepages are bytes", "hugepages-2Mi", 2 * 1024 ** 2, "2MiB"],
    ["pods are a count", "pods", 110, "110"],
    ["extended resources are a count", "nvidia.com/gpu", 8, "8"],
  ];
  for (const [rule, resource, amount, text] of rows)
    it(rule, () => assert.equal(formatAmount(resource, amount), text));
});
