import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parse as parseToml } from "smol-toml";
import type { Taint } from "../../api/pod.ts";
import { BootstrapError, type BootstrapInput } from "../../ports/bootstrap.ts";
import { bootstrapInputErrors } from "../input-errors.ts";
import { kubeletMaySet } from "../kubelet-labels.ts";
import {
  effect,
  labelKey,
  labelValue,
  subdomain,
  tomlDocument,
  validInput,
} from "./arbitraries.ts";
import { eksBootstrap } from "./eks-bootstrap.ts";
import { type MimePart, readMimeArchive, writeMimeArchive } from "./mime-archive.ts";
import { exampleSettings, readAL2023, readBottlerocket } from "./testing.ts";
import { isTomlTable, type TomlTable, writeToml } from "./toml-writer.ts";

const nasty = fc.oneof(
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom(
    "a b",
    "a\nb",
    '"',
    "\\",
    "a,b",
    "a=b",
    "x:NoSchedule",
    "--carpool-boundary",
    "]]",
    "#x",
  ),
);
const mostly = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 8 }, { arbitrary: nasty, weight: 1 });
const anyInput: fc.Arbitrary<BootstrapInput> = fc.record({
  nodeName: mostly(subdomain),
  labels: fc.dictionary(mostly(labelKey), mostly(labelValue), { maxKeys: 4 }),
  taints: fc.array(
    fc.record(
      { key: mostly(labelKey), value: mostly(labelValue), effect: mostly(effect) },
      { requiredKeys: ["key", "effect"] },
    ),
    { maxLength: 3 },
  ) as fc.Arbitrary<Taint[]>,
});

const ownLabels = (input: BootstrapInput) =>
  Object.fromEntries(Object.entries(input.labels).filter(([key]) => kubeletMaySet(key)));
const expectedTaints = (input: BootstrapInput) => [
  ...input.taints.map((t) => ({
    key: t.key,
    ...(t.value ? { value: t.value } : {}),
    effect: t.effect,
  })),
  ...(input.taints.some((t) => t.key === "karpenter.sh/unregistered" && t.effect === "NoExecute")
    ? []
    : [{ key: "karpenter.sh/unregistered", effect: "NoExecute" }]),
];

const al2023 = eksBootstrap(exampleSettings);
const bottlerocket = eksBootstrap({ ...exampleSettings, family: "Bottlerocket" });
const bare: BootstrapInput = { nodeName: "n1", labels: {}, taints: [] };
/** Everything but the labels and taints, for the bare claim: no input may change any of it. */
const referenceNodeConfig = readAL2023(al2023.userData(bare).content).nodeConfig;
const referenceKubernetes = kubernetesOf(readBottlerocket(bottlerocket.userData(bare).content));

function kubernetesOf(document: TomlTable): TomlTable {
  const settings = document.settings;
  assert.ok(isTomlTable(settings) && isTomlTable(settings.kubernetes));
  assert.deepEqual(Object.keys(document), ["settings"], "nothing outside settings");
  assert.deepEqual(Object.keys(settings), ["kubernetes"], "nothing outside settings.kubernetes");
  return settings.kubernetes;
}

/** `--node-labels=k=v,…` back into a map: neither keys nor values hold "," or "=". */
function labelsOfFlags(flags: readonly string[] | undefined): Record<string, string> {
  if (flags === undefined) return {};
  assert.equal(flags.length, 1);
  const list = flags[0]?.replace(/^--node-labels=/, "") ?? "";
  return Object.fromEntries(
    list.split(",").map((entry) => {
      const at = entry.indexOf("=");
      return [entry.slice(0, at), entry.slice(at + 1)];
    }),
  );
}

function assertAL2023Carries(input: BootstrapInput): void {
  const { parts, nodeConfig } = readAL2023(al2023.userData(input).content);
  assert.equal(parts.length, 1);
  assert.deepEqual(labelsOfFlags(nodeConfig.spec.kubelet.flags), ownLabels(input));
  const { registerWithTaints, ...config } = nodeConfig.spec.kubelet.config;
  assert.deepEqual(registerWithTaints, expectedTaints(input));
  const { registerWithTaints: _, ...referenceConfig } = referenceNodeConfig.spec.kubelet.config;
  assert.deepEqual(config, referenceConfig);
  assert.deepEqual(nodeConfig.spec.cluster, referenceNodeConfig.spec.cluster);
}

function assertBottlerocketCarries(input: BootstrapInput): void {
  const kubernetes = kubernetesOf(readBottlerocket(bottlerocket.userData(input).content));
  const { "node-labels": labels, "node-taints": taints, ...rest } = kubernetes;
  assert.deepEqual({ ...((labels ?? {}) as TomlTable) }, ownLabels(input));
  const back = Object.entries(taints as TomlTable).flatMap(([key, values]) =>
    (values as string[]).map((entry) => {
      const colon = entry.lastIndexOf(":");
      const value = entry.slice(0, colon);
      return { key, ...(value ? { value } : {}), effect: entry.slice(colon + 1) };
    }),
  );
  const byKey = (a: { key: string; effect: string }, b: { key: string; effect: string }) =>
    `${a.key}:${a.effect}` < `${b.key}:${b.effect}` ? -1 : 1;
  assert.deepEqual(back.sort(byKey), expectedTaints(input).sort(byKey));
  const { "node-taints": _, ...referenceRest } = referenceKubernetes;
  assert.deepEqual(rest, referenceRest);
}

describe("EKS bootstrap properties", () => {
  const valid = 9201;
  it(`every valid input renders in AL2023 and Bottlerocket, and parses back to exactly itself (fast-check seed ${valid})`, () => {
    fc.assert(
      fc.property(validInput, (input) => {
        assert.deepEqual(bootstrapInputErrors(input), []);
        assertAL2023Carries(input);
        assertBottlerocketCarries(input);
      }),
      { seed: valid, numRuns: 200 },
    );
  });

  const arbitrary = 9202;
  it(`any input is refused with a BootstrapError, or renders exactly (fast-check seed ${arbitrary})`, (t) => {
    let refused = 0;
    fc.assert(
      fc.property(anyInput, (input) => {
        const errors = bootstrapInputErrors(input);
        if (errors.length === 0) {
          assertAL2023Carries(input);
          assertBottlerocketCarries(input);
          return;
        }
        refused++;
        for (const bootstrap of [al2023, bottlerocket])
          assert.throws(
            () => bootstrap.userData(input),
            (error: unknown) =>
              error instanceof BootstrapError && error.issues.length === errors.length,
          );
      }),
      { seed: arbitrary, numRuns: 300 },
    );
    t.diagnostic(`${refused} of 300 inputs refused`);
    assert.ok(refused > 60 && refused < 240, `${refused} of 300 inputs refused`);
  });

  // Any text a part may hold (lines equal to a boundary included): written, read back unchanged.
  const partText = fc
    .oneof(
      fc.string({ unit: "binary", maxLength: 40 }),
      fc
        .array(
          fc.constantFrom(
            "--carpool-boundary",
            "--carpool-boundary--",
            "carpool-boundary-1",
            "",
            "x",
            " ",
          ),
          { maxLength: 6 },
        )
        .map((lines) => lines.join("\n")),
    )
    .map((text) => text.replace(/\r/g, ""));
  const part: fc.Arbitrary<MimePart> = fc.record({
    headers: fc.constant([]),
    contentType: fc.constantFrom("text/x-shellscript", "application/node.eks.aws"),
    content: partText,
  });
  const mime = 9203;
  it(`MIME: any parts are written and read back exactly (fast-check seed ${mime})`, () => {
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 4 }), (parts) => {
        const read = readMimeArchive(writeMimeArchive(parts));
        assert.ok(read.ok);
        assert.deepEqual(
          read.parts,
          parts.map((item) => ({ ...item })),
        );
      }),
      { seed: mime, numRuns: 300 },
    );
  });

  const tomlDocuments = 9204;
  it(`TOML: any document of strings, keys, integers, floats, booleans, arrays and tables reads back exactly (fast-check seed ${tomlDocuments})`, () => {
    fc.assert(
      fc.property(tomlDocument, (document) => {
        const text = writeToml(document);
        assert.deepEqual(plain(parseToml(text, { integersAsBigInt: true })), plain(document), text);
      }),
      { seed: tomlDocuments, numRuns: 300 },
    );
  });
});

/** Null-prototype tables as plain objects, so deepEqual compares content only. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (isTomlTable(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}
