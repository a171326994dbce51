import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { Taint } from "../../api/pod.ts";
import { BootstrapError, type BootstrapInput } from "../../ports/bootstrap.ts";
import { bootstrapInputErrors } from "../input-errors.ts";
import { kubeletMaySet } from "../kubelet-labels.ts";
import { k3sBootstrap } from "./k3s-bootstrap.ts";
import { type K3sSettings, tokenErrors } from "./settings.ts";
import { exampleInput, exampleSettings, readCloudConfig, readShellScript } from "./testing.ts";

// Valid values as apimachinery defines them (IsDNS1123Subdomain, IsQualifiedName, IsValidLabelValue).
const dnsLabel = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,8}[a-z0-9])?$/);
const subdomain = fc
  .array(dnsLabel, { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join("."));
const name = fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,12}[A-Za-z0-9])?$/);
const labelKey = fc.tuple(fc.option(subdomain), name).map(([p, n]) => (p ? `${p}/${n}` : n));
// Keys the kubelet may not set, so both sides of the label split are exercised.
const restrictedKey = fc
  .tuple(
    fc.constantFrom("node-role.kubernetes.io", "k8s.io", "node-restriction.kubernetes.io"),
    name,
  )
  .map(([p, n]) => `${p}/${n}`);
const labelValue = fc.oneof(fc.constant(""), name);
const effect = fc.constantFrom<Taint["effect"]>("NoSchedule", "PreferNoSchedule", "NoExecute");
const taint: fc.Arbitrary<Taint> = fc.record(
  { key: labelKey, value: labelValue, effect },
  { requiredKeys: ["key", "effect"] },
);
const validInput: fc.Arbitrary<BootstrapInput> = fc.record({
  nodeName: subdomain,
  labels: fc.dictionary(fc.oneof(labelKey, restrictedKey), labelValue, { maxKeys: 6 }),
  taints: fc.uniqueArray(taint, { maxLength: 4, selector: (t) => `${t.key}:${t.effect}` }),
});

// Anything a manifest might hold: quotes, newlines, $(), heredoc delimiters, YAML indicators.
const nasty = fc.oneof(
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom(
    "a b",
    "a\nb",
    "$(reboot)",
    "`id`",
    "'",
    '"',
    "CARPOOL_K3S_CONFIG",
    "- x",
    "#x",
    ": x",
    "a,b",
    "x:NoSchedule",
  ),
);
/** Mostly valid values with a nasty one now and then, so that both outcomes are common. */
const mostly = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 8 }, { arbitrary: nasty, weight: 1 });
const anyInput: fc.Arbitrary<BootstrapInput> = fc.record({
  nodeName: mostly(subdomain),
  labels: fc.dictionary(mostly(labelKey), mostly(labelValue), { maxKeys: 4 }),
  taints: fc.array(
    fc.record(
      {
        key: mostly(labelKey),
        value: mostly(labelValue),
        effect: mostly(effect),
      },
      { requiredKeys: ["key", "effect"] },
    ),
    { maxLength: 3 },
  ) as fc.Arbitrary<Taint[]>,
});

/** node-label entries back into a map (a qualified name holds no "="). */
function labelsOf(entries: unknown): Record<string, string> {
  return Object.fromEntries(
    ((entries as string[] | undefined) ?? []).map((entry) => {
      const at = entry.indexOf("=");
      return [entry.slice(0, at), entry.slice(at + 1)];
    }),
  );
}

/** node-taint entries back into taints (neither key nor value holds ":" or "="). */
function taintsOf(entries: unknown): Taint[] {
  return (entries as string[]).map((entry) => {
    const [keyValue = "", effectText] = entry.split(":");
    const [key = "", value] = keyValue.split("=");
    return { key, ...(value ? { value } : {}), effect: effectText as Taint["effect"] };
  });
}

/** Asserts the agent config carries exactly the input's values, none changed, none added. */
function assertCarries(
  config: Record<string, unknown>,
  settings: K3sSettings,
  input: BootstrapInput,
) {
  assert.equal(config.server, settings.serverURL);
  assert.equal(config.token, settings.token);
  assert.equal(config["node-name"], input.nodeName);
  const own = Object.fromEntries(
    Object.entries(input.labels).filter(([key]) => kubeletMaySet(key)),
  );
  assert.deepEqual(labelsOf(config["node-label"]), own);
  const expected = input.taints.map((t) => ({
    key: t.key,
    ...(t.value ? { value: t.value } : {}),
    effect: t.effect,
  }));
  if (!input.taints.some((t) => t.key === "karpenter.sh/unregistered" && t.effect === "NoExecute"))
    expected.push({ key: "karpenter.sh/unregistered", effect: "NoExecute" });
  assert.deepEqual(taintsOf(config["node-taint"]), expected);
}

// Everything in the shell script outside the heredoc, for the example claim and settings. Neither
// the input nor the token may change it: nothing of either reaches the shell except inside the
// quoted heredoc. (The properties vary only the input and the token, never the other settings.)
const referenceOutside = readShellScript(
  k3sBootstrap({ ...exampleSettings, format: "shell" }).userData(exampleInput).content,
).outside;

function assertRendersExactly(settings: K3sSettings, input: BootstrapInput, checkSyntax: boolean) {
  const cloud = readCloudConfig(
    k3sBootstrap({ ...settings, format: "cloud-config" }).userData(input).content,
  );
  assertCarries(cloud.agentConfig, settings, input);
  const script = k3sBootstrap({ ...settings, format: "shell" }).userData(input).content;
  const shell = readShellScript(script);
  assert.equal(shell.heredoc, cloud.document.write_files[0]?.content);
  assert.deepEqual(shell.outside, referenceOutside);
  if (checkSyntax) {
    const run = spawnSync("sh", ["-n"], { input: script, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
  }
}

describe("k3s bootstrap properties", () => {
  const valid = 9101;
  it(`every valid input renders, and parses back to exactly itself (fast-check seed ${valid})`, () => {
    fc.assert(
      fc.property(validInput, fc.boolean(), (input, checkSyntax) => {
        assert.deepEqual(bootstrapInputErrors(input), []);
        assertRendersExactly(exampleSettings, input, checkSyntax);
      }),
      { seed: valid, numRuns: 200 },
    );
  });

  const arbitrary = 9102;
  it(`any input is refused with a BootstrapError, or renders exactly (fast-check seed ${arbitrary})`, (t) => {
    let refused = 0;
    fc.assert(
      fc.property(anyInput, (input) => {
        const errors = bootstrapInputErrors(input);
        if (errors.length === 0) return assertRendersExactly(exampleSettings, input, false);
        refused++;
        for (const format of ["cloud-config", "shell"] as const) {
          assert.throws(
            () => k3sBootstrap({ ...exampleSettings, format }).userData(input),
            (error: unknown) =>
              error instanceof BootstrapError && error.issues.length === errors.length,
          );
        }
      }),
      { seed: arbitrary, numRuns: 300 },
    );
    // Both branches must be exercised: a generator that made only invalid inputs would prove little.
    t.diagnostic(`${refused} of 300 inputs refused`);
    assert.ok(refused > 60 && refused < 240, `${refused} of 300 inputs refused`);
  });

  const printable = fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
    minLength: 1,
    maxLength: 40,
  });
  const token = fc.oneof(
    printable,
    fc.string({ unit: "binary", maxLength: 20 }),
    fc.stringMatching(/^[a-z0-9]{6}\.[a-z0-9]{16}$/),
    fc
      .tuple(fc.stringMatching(/^[0-9a-f]{64}$/), printable)
      .map(([hash, rest]) => `K10${hash}::${rest}`),
  );
  const tokens = 9103;
  it(`any token is refused without being shown, or reaches only the config file, exactly (fast-check seed ${tokens})`, () => {
    fc.assert(
      fc.property(token, (candidate) => {
        const settings = { ...exampleSettings, token: candidate };
        if (tokenErrors(candidate).length > 0) {
          assert.throws(
            () => k3sBootstrap(settings),
            (error: unknown) =>
              error instanceof BootstrapError &&
              (candidate.length < 4 || !error.message.includes(candidate)),
          );
          return;
        }
        assertRendersExactly(settings, exampleInput, false);
      }),
      { seed: tokens, numRuns: 300 },
    );
  });
});
