// Rendered EKS user data against real parsers: Python 3.11's tomllib (a TOML v1.0.0 parser) reads
// the Bottlerocket documents and the TOML writer's output, Python's email package reads the AL2023
// MIME archives. Documents are batched into one python3 call per suite. Without python3 ≥ 3.11 the
// cases are skipped, naming what is missing — except in CI, where they fail.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parse as parseToml, TomlDate } from "smol-toml";
import type { BootstrapInput } from "../../ports/bootstrap.ts";
import { tomlDocument, validInput } from "./arbitraries.ts";
import { eksBootstrap } from "./eks-bootstrap.ts";
import { readMimeArchive } from "./mime-archive.ts";
import { exampleInput, exampleSettings } from "./testing.ts";
import { type TomlValue, writeToml } from "./toml-writer.ts";

function python(script: string, documents: readonly string[]): unknown[] {
  const run = spawnSync("python3", ["-c", script], {
    input: JSON.stringify(documents),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(run.status, 0, `${run.error ?? ""}${run.stderr}`);
  return JSON.parse(run.stdout) as unknown[];
}

function pythonSkip(): string | false {
  const run = spawnSync("python3", ["-c", "import tomllib, email"], { encoding: "utf8" });
  if (run.status === 0 || process.env.CI === "true") return false;
  return "python3 ≥ 3.11 (tomllib) not found: apt-get install -y --no-install-recommends python3";
}

// Values tagged by type, so an integer, a float and a string stay apart across JSON.
const tomlScript = `
import json, sys, tomllib, math
def tag(v):
    if isinstance(v, bool): return ["b", v]
    if isinstance(v, int): return ["i", str(v)]
    if isinstance(v, float): return ["f", "nan" if math.isnan(v) else repr(v)]
    if isinstance(v, str): return ["s", v]
    if isinstance(v, list): return ["a", [tag(x) for x in v]]
    if isinstance(v, dict): return ["t", {k: tag(x) for k, x in v.items()}]
    return ["d", v.isoformat()]
out = []
for doc in json.loads(sys.stdin.read()):
    try: out.append(tag(tomllib.loads(doc)))
    except Exception as e: out.append(["error", str(e)])
print(json.dumps(out))
`;

function tag(value: TomlValue): unknown {
  if (typeof value === "boolean") return ["b", value];
  if (typeof value === "bigint") return ["i", value.toString()];
  if (typeof value === "number") return ["f", value];
  if (typeof value === "string") return ["s", value];
  if (value instanceof TomlDate) return ["d", value.toISOString()];
  if (Array.isArray(value)) return ["a", value.map(tag)];
  return ["t", Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tag(v)]))];
}

/** Python's float repr read back as a number: the same double, -0 and infinities included. */
function sameFloats(fromPython: unknown, expected: unknown): unknown {
  if (!Array.isArray(fromPython)) return fromPython;
  const [kind, value] = fromPython as [string, unknown];
  if (kind === "f" && Array.isArray(expected) && expected[0] === "f") {
    const text = value as string;
    const number =
      text === "inf" ? Infinity : text === "-inf" ? -Infinity : text === "nan" ? NaN : Number(text);
    return Object.is(number, expected[1]) ? expected : fromPython;
  }
  if (kind === "a" && Array.isArray(expected))
    return [
      "a",
      (value as unknown[]).map((item, index) =>
        sameFloats(item, (expected[1] as unknown[])[index]),
      ),
    ];
  if (kind === "t" && Array.isArray(expected))
    return [
      "t",
      Object.fromEntries(
        Object.entries(value as object).map(([k, v]) => [
          k,
          sameFloats(v, (expected[1] as Record<string, unknown>)[k]),
        ]),
      ),
    ];
  return fromPython;
}

const inputs: BootstrapInput[] = [
  exampleInput,
  ...fc.sample(validInput, { seed: 9301, numRuns: 150 }),
];
const userToml =
  '[settings.kubernetes]\n"node-labels" = { "example.com/own" = "kept" }\n[settings.host-containers.admin]\nenabled = true\n';

describe("Python tomllib reads every Bottlerocket document and TOML the writer produces", () => {
  const skip = pythonSkip();
  it("150 claims' Bottlerocket user data, merged with a node class's TOML: tomllib reads what smol-toml reads", {
    skip,
  }, () => {
    const bottlerocket = eksBootstrap({
      ...exampleSettings,
      family: "Bottlerocket",
      userData: userToml,
    });
    const documents = inputs.map((input) => bottlerocket.userData(input).content);
    const read = python(tomlScript, documents);
    documents.forEach((document, index) => {
      const ours = tag(parseToml(document, { integersAsBigInt: true }) as TomlValue);
      assert.deepEqual(sameFloats(read[index], ours), ours, document);
    });
  });
  it("300 arbitrary documents (controls, quotes, dotted and empty keys, floats, big integers)", {
    skip,
  }, () => {
    const expected = fc.sample(tomlDocument, { seed: 9302, numRuns: 300 });
    const read = python(tomlScript, expected.map(writeToml));
    expected.forEach((document, index) => {
      const ours = tag(document);
      assert.deepEqual(sameFloats(read[index], ours), ours, writeToml(document));
    });
  });
  it("checks for real: a key with a dot left bare is read as two tables", { skip }, () => {
    const [read] = python(tomlScript, ['karpenter.sh = "x"\n']);
    assert.deepEqual(read, ["t", { karpenter: ["t", { sh: ["s", "x"] }] }]);
  });
});

const emailScript = `
import email, json, sys
out = []
for doc in json.loads(sys.stdin.read()):
    m = email.message_from_string(doc)
    parts = [[p.get("Content-Type"), p.get_payload()] for p in m.get_payload()] if m.is_multipart() else None
    out.append({"type": m.get_content_type(), "defects": [str(d) for d in m.defects], "parts": parts})
print(json.dumps(out))
`;

const userArchive =
  'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="//"\n\n--//\nContent-Type: text/x-shellscript; charset="us-ascii"\n\n#!/bin/bash\necho --carpool-boundary\n--//--\n';

describe("Python's email package reads every AL2023 archive as its parts", () => {
  const skip = pythonSkip();
  for (const [name, userData] of [
    ["alone", undefined],
    ["after a node class's MIME archive", userArchive],
    ["after a node class's shell script", "#!/bin/sh\necho --carpool-boundary\n"],
  ] as const) {
    it(`150 claims' archives, carpool's NodeConfig ${name}: the same parts, no defects`, {
      skip,
    }, () => {
      const al2023 = eksBootstrap({
        ...exampleSettings,
        ...(userData !== undefined && { userData }),
      });
      const documents = inputs.map((input) => al2023.userData(input).content);
      const read = python(emailScript, documents) as {
        type: string;
        defects: string[];
        parts: [string, string][];
      }[];
      documents.forEach((document, index) => {
        const ours = readMimeArchive(document);
        assert.ok(ours.ok);
        assert.deepEqual(read[index], {
          type: "multipart/mixed",
          defects: [],
          parts: ours.parts.map((part) => [part.contentType, part.content]),
        });
      });
    });
  }
  it("checks for real: an archive whose boundary occurs in a part is read as more parts", {
    skip,
  }, () => {
    const broken = 'Content-Type: multipart/mixed; boundary="b"\n\n--b\n\nx\n--b\ny\n--b--\n';
    const [read] = python(emailScript, [broken]) as { parts: unknown[] }[];
    assert.equal(read?.parts.length, 2);
  });
});
