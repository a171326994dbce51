import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { skipWithoutTool } from "../../../test/external-tools.ts";
import type { Instance } from "./protocol.ts";
import { readResponse, type Verb } from "./response.ts";

/**
 * examples/exec-provider/hetzner.sh is a sketch, never run against Hetzner: these tests only check
 * that it is shellcheck-clean and that, with a stand-in playing the hcloud CLI, what it prints is
 * the protocol.
 */
const sketch = new URL("../../../examples/exec-provider/hetzner.sh", import.meta.url).pathname;
const has = (program: string) => spawnSync(program, ["--version"]).status === 0;

const server = (id: number, type: string, status: string, claim?: string, k3s = false) => ({
  id,
  name: claim ?? `server-${id}`,
  status,
  server_type: { name: type },
  datacenter: { location: { name: "fsn1" } },
  labels: {
    ...(claim !== undefined && { "carpool.dev/nodeclaim": claim }),
    ...(k3s && { "carpool.dev/kubelet-provider-id": "k3s" }),
  },
});
const json = (value: unknown) => `'${JSON.stringify(value)}'`;

/** Out of cx22, has cx32; knows server 9; lists one tagged server and one not. */
const standIn = `#!/usr/bin/env bash
args="$*"
case "$1 $2" in
  "server list")
    if [[ $args == *nodeclaim=* ]]; then echo '[]'
    else echo ${json([server(7, "cx22", "running", "a"), server(8, "cx32", "initializing")])}; fi ;;
  "server create")
    if [[ $args == *"--type cx22"* ]]; then echo "server type unavailable (resource_unavailable)" >&2; exit 1
    elif [[ $args == *kubelet-provider-id=k3s* ]]; then echo ${json({ server: server(10, "cx32", "initializing", "c", true) })}
    else echo ${json({ server: server(9, "cx32", "initializing", "b") })}; fi ;;
  "server describe")
    if [[ $3 == 9 ]]; then echo ${json(server(9, "cx32", "running", "b"))}
    else echo "hcloud: server not found: $3" >&2; exit 1; fi ;;
  "server delete") exit 0 ;;
esac
`;

const claim = (name: string) => ({
  name,
  labels: {},
  taints: [],
  startupTaints: [],
  requirements: [],
});
const offering = (instanceType: string, price: number) => ({
  instanceType,
  zone: "fsn1",
  capacityType: "on-demand",
  price,
});
const made = (providerID: string, nodeClaim: string): Instance => ({
  providerID,
  instanceType: "cx32",
  zone: "fsn1",
  capacityType: "on-demand",
  state: "pending",
  nodeClaim,
});

const rows: { name: string; verb: Verb; request: object; answer: object }[] = [
  {
    name: "create: cx22 is out of capacity, so the next offering (cx32) is launched",
    verb: "create",
    request: {
      kind: "CreateRequest",
      nodeClaim: claim("b"),
      offerings: [offering("cx22", 0.006), offering("cx32", 0.0113)],
      userData: { format: "shell", content: "echo join" },
    },
    answer: { kind: "CreateResponse", instance: made("hcloud://9", "b") },
  },
  {
    name: "create with the provider ID carpool's user data gives the kubelet",
    verb: "create",
    request: {
      kind: "CreateRequest",
      nodeClaim: claim("c"),
      offerings: [offering("cx32", 0.0113)],
      providerID: "k3s://c",
    },
    answer: { kind: "CreateResponse", instance: made("k3s://c", "c") },
  },
  {
    name: "create with only cx22: InsufficientCapacity",
    verb: "create",
    request: { kind: "CreateRequest", nodeClaim: claim("d"), offerings: [offering("cx22", 0.006)] },
    answer: { kind: "ErrorResponse", error: { code: "InsufficientCapacity" } },
  },
  {
    name: "list: the tagged server with its claim, the other without",
    verb: "list",
    request: { kind: "ListRequest" },
    answer: {
      kind: "ListResponse",
      instances: [
        { ...made("hcloud://7", "a"), instanceType: "cx22", state: "running" },
        { ...made("hcloud://8", "a"), nodeClaim: undefined },
      ],
    },
  },
  {
    name: "get of a server that exists",
    verb: "get",
    request: { kind: "GetRequest", providerID: "hcloud://9" },
    answer: { kind: "GetResponse", instance: { ...made("hcloud://9", "b"), state: "running" } },
  },
  {
    name: "get of a k3s:// claim without a server: NotFound",
    verb: "get",
    request: { kind: "GetRequest", providerID: "k3s://x" },
    answer: { kind: "ErrorResponse", error: { code: "NotFound" } },
  },
  {
    name: "delete of a server that exists",
    verb: "delete",
    request: { kind: "DeleteRequest", instance: { providerID: "hcloud://9" } },
    answer: { kind: "DeleteResponse" },
  },
  {
    name: "delete of one that does not: NotFound",
    verb: "delete",
    request: { kind: "DeleteRequest", instance: { providerID: "hcloud://5" } },
    answer: { kind: "ErrorResponse", error: { code: "NotFound" } },
  },
];

describe("examples/exec-provider/hetzner.sh (a sketch)", () => {
  it("is shellcheck-clean", { skip: skipWithoutTool("shellcheck") }, () => {
    const run = spawnSync("shellcheck", [sketch], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stdout);
  });

  describe("answers in the protocol when a stand-in plays hcloud", {
    skip: skipWithoutTool("jq") || (!has("bash") && "bash is needed"),
  }, () => {
    const dir = mkdtempSync(join(tmpdir(), "carpool-hcloud-"));
    writeFileSync(join(dir, "hcloud"), standIn, { mode: 0o755 });
    writeFileSync(join(dir, "token"), "not-a-real-token");
    const nodeClass = {
      name: "hetzner",
      config: { tokenFile: join(dir, "token"), image: "ubuntu-24.04" },
    };
    for (const row of rows)
      it(row.name, () => {
        const run = spawnSync(sketch, [], {
          input: JSON.stringify({ apiVersion: "carpool.dev/exec/v1", nodeClass, ...row.request }),
          env: { PATH: `${dir}:${process.env.PATH}` },
          encoding: "utf8",
        });
        assert.equal(run.status, 0, run.stderr);
        const reading = readResponse(row.verb, run.stdout);
        assert.ok(reading.ok, `${JSON.stringify(reading)}`);
        const { apiVersion: _, ...answer } = reading.response;
        if (answer.kind === "ErrorResponse")
          assert.equal(answer.error.code, (row.answer as { error: { code: string } }).error.code);
        else
          assert.deepEqual(
            JSON.parse(JSON.stringify(answer)),
            JSON.parse(JSON.stringify(row.answer)),
          );
      });

    it("without a readable token file: InvalidRequest, and hcloud is never run", () => {
      const run = spawnSync(sketch, [], {
        input: JSON.stringify({
          apiVersion: "carpool.dev/exec/v1",
          kind: "ListRequest",
          nodeClass: { name: "hetzner", config: {} },
        }),
        env: { PATH: "/usr/bin:/bin" },
        encoding: "utf8",
      });
      const reading = readResponse("list", run.stdout);
      assert.ok(reading.ok && reading.response.kind === "ErrorResponse");
      assert.equal(reading.response.error.code, "InvalidRequest");
    });
  });
});
