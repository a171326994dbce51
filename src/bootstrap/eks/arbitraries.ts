// Test support: fast-check generators shared by the property and external-checker tests.
import fc from "fast-check";
import type { Taint } from "../../api/pod.ts";
import type { BootstrapInput } from "../../ports/bootstrap.ts";
import type { TomlTable, TomlValue } from "./toml-writer.ts";

// Valid values as apimachinery defines them (IsDNS1123Subdomain, IsQualifiedName, IsValidLabelValue).
const dnsLabel = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,8}[a-z0-9])?$/);
export const subdomain = fc
  .array(dnsLabel, { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join("."));
const name = fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,12}[A-Za-z0-9])?$/);
export const labelKey = fc.tuple(fc.option(subdomain), name).map(([p, n]) => (p ? `${p}/${n}` : n));
const restrictedKey = fc
  .tuple(
    fc.constantFrom("node-role.kubernetes.io", "k8s.io", "node-restriction.kubernetes.io"),
    name,
  )
  .map(([p, n]) => `${p}/${n}`);
export const labelValue = fc.oneof(fc.constant(""), name);
export const effect = fc.constantFrom<Taint["effect"]>(
  "NoSchedule",
  "PreferNoSchedule",
  "NoExecute",
);
const taint: fc.Arbitrary<Taint> = fc.record(
  { key: labelKey, value: labelValue, effect },
  { requiredKeys: ["key", "effect"] },
);
export const validInput: fc.Arbitrary<BootstrapInput> = fc.record({
  nodeName: subdomain,
  labels: fc.dictionary(fc.oneof(labelKey, restrictedKey), labelValue, { maxKeys: 6 }),
  taints: fc.uniqueArray(taint, { maxLength: 4, selector: (t) => `${t.key}:${t.effect}` }),
});

/** Well-formed Unicode (TOML is UTF-8: no lone surrogates), controls, quotes and backslashes included. */
export const tomlText = fc
  .string({ unit: "binary", maxLength: 16 })
  .filter((text) => !/[\uD800-\uDFFF]/.test(text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, "")));
const tomlLeaf: fc.Arbitrary<TomlValue> = fc.oneof(
  tomlText,
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.double({ noNaN: true }),
  fc.boolean(),
);
export const tomlDocument: fc.Arbitrary<TomlTable> = fc.letrec<{
  table: TomlTable;
  value: TomlValue;
}>((tie) => ({
  table: fc.dictionary(
    fc.oneof(tomlText, fc.constantFrom("a", "b.c", "karpenter.sh/nodepool", "")),
    tie("value"),
    {
      maxKeys: 4,
    },
  ),
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    tomlLeaf,
    fc.array(tie("value"), { maxLength: 3 }),
    tie("table"),
  ),
})).table;
