import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { describe, it } from "node:test";
import { structuralErrors } from "../../api/field-errors.ts";
import { catalogFromInstanceTypes } from "../../catalog/user-catalog.ts";
import { instanceType } from "../../solver/fixtures.test-helpers.ts";
import { claim, execNodeClass, fakeCloud } from "./fixtures.test-helpers.ts";
import { type ExecMessageKind, ExecMessageSchemas, execProtocolJsonSchema } from "./protocol.ts";
import { createRequest, deleteRequest, getRequest, listRequest } from "./requests.ts";

const repo = new URL("../../../", import.meta.url).pathname;
const docs = `${repo}docs/exec-provider.md`;
const schemaFile = `${repo}examples/exec-provider/schema/carpool.dev-exec-v1.schema.generated.json`;

const errorsOf = (message: { kind: ExecMessageKind }) =>
  structuralErrors(ExecMessageSchemas[message.kind], message);

describe("the requests carpool builds validate against the protocol", () => {
  const nodeClass = execNodeClass(fakeCloud, { region: "fsn1", nested: { a: [1] } }, "hetzner");
  const [cheap] = catalogFromInstanceTypes([instanceType("cx22", 2, 4, 0.006, { zones: ["fsn1"] })])
    .catalog.instanceTypes;
  assert.ok(cheap);
  const offerings = [{ instanceType: cheap, offering: cheap.offerings[0] ?? assert.fail() }];
  const rows = [
    { name: "CreateRequest", request: createRequest(nodeClass, claim("a"), offerings, undefined) },
    {
      name: "CreateRequest with user data and taints",
      request: createRequest(
        nodeClass,
        claim("a", ["cx22"], {
          taints: [
            { key: "k", value: "v", effect: "NoSchedule", timeAdded: "2026-01-01T00:00:00Z" },
          ],
          startupTaints: [{ key: "s", effect: "NoExecute" }],
        }),
        offerings,
        { format: "shell", content: "#!/bin/sh\n" },
      ),
    },
    { name: "DeleteRequest", request: deleteRequest(nodeClass, "hcloud://1", "a") },
    { name: "GetRequest", request: getRequest(nodeClass, "hcloud://1") },
    { name: "ListRequest", request: listRequest(nodeClass) },
  ];
  for (const row of rows)
    it(row.name, () => {
      assert.deepEqual(errorsOf(row.request), []);
    });

  it("a taint's timeAdded (not part of the protocol) is left out", () => {
    const request = rows[1]?.request;
    assert.ok(request?.kind === "CreateRequest");
    assert.deepEqual(request.nodeClaim.taints, [{ key: "k", value: "v", effect: "NoSchedule" }]);
  });

  it("a request with no offerings, a provider ID that is not a URI, or a stray field does not validate", () => {
    const create = createRequest(nodeClass, claim("a"), [], undefined);
    assert.deepEqual(errorsOf(create), [
      { path: "offerings", message: "must have at least 1 item(s)" },
    ]);
    assert.deepEqual(errorsOf(getRequest(nodeClass, "1")), [
      { path: "providerID", message: '"1" must match ^[a-z][a-z0-9+.-]*://[\\x21-\\x7e]+$' },
    ]);
    assert.deepEqual(errorsOf({ ...listRequest(nodeClass), extra: 1 } as never), [
      { path: "extra", message: "is not a field of this kind" },
    ]);
  });
});

/** The ```json blocks of docs/exec-provider.md: each one a message of the protocol. */
function documentedMessages(): { kind: ExecMessageKind; text: string }[] {
  const text = readFileSync(docs, "utf8");
  return [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => {
    const body = match[1] ?? "";
    return { kind: (JSON.parse(body) as { kind: ExecMessageKind }).kind, text: body };
  });
}

describe("docs/exec-provider.md's examples are messages of the protocol", () => {
  const messages = documentedMessages();
  it("every message kind has an example", () => {
    assert.deepEqual(
      [...new Set(messages.map((m) => m.kind))].sort(),
      Object.keys(ExecMessageSchemas).sort(),
    );
  });
  for (const [i, message] of messages.entries())
    it(`example ${i + 1} (${message.kind}) validates`, () => {
      assert.ok(message.kind in ExecMessageSchemas, `unknown kind ${message.kind}`);
      assert.deepEqual(errorsOf(JSON.parse(message.text)), []);
    });
});

describe("the protocol's JSON Schema document", () => {
  const document = execProtocolJsonSchema();
  it("names every message under $defs and accepts one of them", () => {
    assert.deepEqual(Object.keys(document.$defs as object), Object.keys(ExecMessageSchemas));
    assert.equal((document.oneOf as unknown[]).length, Object.keys(ExecMessageSchemas).length);
    const create = (document.$defs as Record<string, { additionalProperties?: boolean }>)
      .CreateRequest;
    assert.equal(create?.additionalProperties, false);
  });

  it(`is checked in as ${schemaFile.slice(repo.length)} (UPDATE_GOLDEN=1 rewrites it)`, () => {
    const text = `${JSON.stringify(document, null, 2)}\n`;
    if (process.env.UPDATE_GOLDEN === "1") {
      mkdirSync(dirname(schemaFile), { recursive: true });
      writeFileSync(schemaFile, text);
      return;
    }
    assert.ok(existsSync(schemaFile), `${schemaFile} is missing: run with UPDATE_GOLDEN=1`);
    assert.equal(readFileSync(schemaFile, "utf8"), text, "run with UPDATE_GOLDEN=1 to update it");
  });
});
