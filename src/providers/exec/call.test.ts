import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Hook } from "../../api/hooks.ts";
import { InsufficientCapacityError, NodeClaimNotFoundError } from "../../ports/cloud-provider.ts";
import { ExecProviderError } from "./errors.ts";
import { answering, claim, cluster, execNodeClass, script } from "./fixtures.test-helpers.ts";

const v1 = "carpool.dev/exec/v1";
const instance = {
  providerID: "hetzner://4711",
  instanceType: "cheap",
  zone: "z1",
  capacityType: "on-demand",
  nodeClaim: "a",
};
const created = (fields: Record<string, unknown>) =>
  JSON.stringify({ apiVersion: v1, kind: "CreateResponse", instance: { ...instance, ...fields } });
const without = (field: keyof typeof instance) =>
  JSON.stringify({
    apiVersion: v1,
    kind: "CreateResponse",
    instance: Object.fromEntries(Object.entries(instance).filter(([k]) => k !== field)),
  });
const failed = (error: Record<string, unknown>) =>
  JSON.stringify({ apiVersion: v1, kind: "ErrorResponse", error });

async function createThrough(hook: Hook, secrets: string[] = []) {
  const { provider } = await cluster(
    [execNodeClass(hook)],
    secrets.length === 0
      ? {}
      : {
          userData: async () => ({
            format: "shell",
            content: `K3S_TOKEN=${secrets[0]} sh install.sh`,
            secrets,
          }),
        },
  );
  return provider.create(claim("a"));
}

async function refusal(hook: Hook, secrets: string[] = []): Promise<ExecProviderError> {
  try {
    await createThrough(hook, secrets);
  } catch (error) {
    if (error instanceof ExecProviderError) return error;
    throw error;
  }
  assert.fail("the create was not refused");
}

describe("the exec provider refuses a create's answer that does not match the protocol, naming the field", () => {
  const rows: { name: string; output: string; says: RegExp }[] = [
    {
      name: "missing providerID",
      output: without("providerID"),
      says: /instance\.providerID: is required/,
    },
    {
      name: "a providerID that is not a URI (a Node's spec.providerID is <scheme>://<id>)",
      output: created({ providerID: "4711" }),
      says: /instance\.providerID: "4711" must match/,
    },
    {
      name: "an instance type that was not offered",
      output: created({ instanceType: "m9.huge" }),
      says: /instance\.instanceType: m9\.huge in z1 \(on-demand\) is not one of the offerings sent \(cheap in z1 \(on-demand\), dear in z1 \(on-demand\)\)/,
    },
    {
      name: "a zone that was not offered",
      output: created({ zone: "z7" }),
      says: /instance\.zone: cheap in z7 \(on-demand\) is not one of the offerings sent/,
    },
    {
      name: "a capacity type that was not offered",
      output: created({ capacityType: "spot" }),
      says: /instance\.capacityType: cheap in z1 \(spot\) is not one of the offerings sent/,
    },
    {
      name: "no nodeClaim tag (list could not give it back to garbage collection)",
      output: without("nodeClaim"),
      says: /instance\.nodeClaim: is required: carpool tags every instance with its NodeClaim \(a\)/,
    },
    {
      name: "another claim's instance",
      output: created({ nodeClaim: "b" }),
      says: /instance\.nodeClaim: must be a, the NodeClaim this create is for, not b/,
    },
    {
      name: "a terminating instance",
      output: created({ state: "terminating" }),
      says: /instance\.state: must not be terminating for a create/,
    },
    {
      name: "a state the protocol does not name",
      output: created({ state: "booting" }),
      says: /instance\.state: must be pending, running or terminating/,
    },
    {
      name: "a capacity that is not a quantity",
      output: created({ capacity: { memory: "lots" } }),
      says: /instance\.capacity\.memory: /,
    },
    {
      name: "a wrong apiVersion",
      output: JSON.stringify({
        apiVersion: "carpool.dev/exec/v2",
        kind: "CreateResponse",
        instance,
      }),
      says: /apiVersion: must be carpool\.dev\/exec\/v1, not carpool\.dev\/exec\/v2/,
    },
    {
      name: "no apiVersion",
      output: JSON.stringify({ kind: "CreateResponse", instance }),
      says: /apiVersion: must be carpool\.dev\/exec\/v1/,
    },
    {
      name: "the response of another call",
      output: JSON.stringify({ apiVersion: v1, kind: "GetResponse", instance }),
      says: /kind: must be CreateResponse or ErrorResponse, not GetResponse/,
    },
    { name: "not JSON at all", output: "Server created: 4711\n", says: /is not one JSON document/ },
    {
      name: "nothing",
      output: "",
      says: /is empty: expected a CreateResponse or an ErrorResponse/,
    },
    {
      name: "garbage after the document (a log line on stdout)",
      output: `${created({})}\ndone.\n`,
      says: /is not one JSON document/,
    },
    { name: "a JSON array", output: "[]", says: /must be a JSON object/ },
    {
      name: "a field the protocol does not name",
      output: created({ ip: "10.0.0.4" }),
      says: /instance\.ip: is not a field of this kind/,
    },
    {
      name: "a field the protocol does not name, at the top",
      output: JSON.stringify({ apiVersion: v1, kind: "CreateResponse", instance, debug: true }),
      says: /debug: is not a field of this kind/,
    },
    {
      name: "an error code a create cannot answer",
      output: failed({ code: "NotFound", message: "no image" }),
      says: /error\.code: must be InsufficientCapacity, InvalidRequest or Internal for a create/,
    },
    {
      name: "an unknown error code",
      output: failed({ code: "Oops", message: "x" }),
      says: /error\.code: must be InsufficientCapacity, NotFound, InvalidRequest or Internal/,
    },
    {
      name: "InsufficientCapacity naming an offering that was not sent",
      output: failed({
        code: "InsufficientCapacity",
        message: "none",
        offerings: [{ instanceType: "m9", zone: "z1", capacityType: "on-demand" }],
      }),
      says: /error\.offerings\[0\]: m9 in z1 \(on-demand\) was not offered/,
    },
  ];
  for (const row of rows)
    it(row.name, async () => {
      const error = await refusal(answering(row.output));
      assert.equal(error.failure.kind, "refused");
      assert.equal(error.verb, "create");
      assert.match(error.message, row.says);
      // Whom to blame: the node class and the command.
      assert.match(error.message, /^ExecNodeClass\/fake: create through the command \S*node -e /);
    });

  it("every problem is reported, not only the first", async () => {
    const error = await refusal(answering(created({ providerID: "x", zone: "z7", ip: 1 })));
    assert.ok(error.failure.kind === "refused");
    assert.deepEqual(
      error.failure.errors.map((e) => e.path),
      ["instance.ip", "instance.providerID"],
    );
  });

  it("an instance that does not report the provider ID the user data registers the Node with", async () => {
    const { provider } = await cluster([execNodeClass(answering(created({})))], {
      userData: async () => ({
        format: "cloud-config",
        content: "#cloud-config\n",
        secrets: [],
        providerID: "k3s://a",
      }),
    });
    await assert.rejects(
      provider.create(claim("a")),
      /instance\.providerID: must be k3s:\/\/a, the provider ID the user data registers the Node with/,
    );
  });

  it("a webhook is named by its origin only (its path and query may carry a token)", async () => {
    const error = await refusal({
      webhook: { url: "http://127.0.0.1:1/hook?token=s3cr3t" },
      retries: 0,
    });
    assert.equal(error.failure.kind, "hook");
    assert.match(error.message, /through the webhook http:\/\/127\.0\.0\.1:1 failed/);
    assert.doesNotMatch(error.message, /s3cr3t/);
  });
});

describe("the exec provider maps error answers to the port's errors", () => {
  it("InsufficientCapacity with offerings: an InsufficientCapacityError naming them", async () => {
    const output = failed({
      code: "InsufficientCapacity",
      message: "cx22 sold out in fsn1",
      offerings: [{ instanceType: "cheap", zone: "z1", capacityType: "on-demand" }],
    });
    await assert.rejects(createThrough(answering(output)), (error: unknown) => {
      assert.ok(error instanceof InsufficientCapacityError);
      assert.match(
        error.message,
        /no capacity for a \(ExecNodeClass\/fake\): cx22 sold out in fsn1/,
      );
      assert.deepEqual(error.offerings, [
        { instanceType: "cheap", zone: "z1", capacityType: "on-demand" },
      ]);
      return true;
    });
  });

  it("InsufficientCapacity without offerings: every offering sent was out", async () => {
    await assert.rejects(
      createThrough(answering(failed({ code: "InsufficientCapacity", message: "none" }))),
      (error: unknown) => {
        assert.ok(error instanceof InsufficientCapacityError);
        assert.deepEqual(error.offerings, [
          { instanceType: "cheap", zone: "z1", capacityType: "on-demand" },
          { instanceType: "dear", zone: "z1", capacityType: "on-demand" },
        ]);
        return true;
      },
    );
  });

  it("NotFound on delete and get: NodeClaimNotFoundError", async () => {
    const { provider } = await cluster([
      execNodeClass(answering(failed({ code: "NotFound", message: "no server 4711" }))),
    ]);
    const launched = claim("a");
    launched.status = { providerID: "hetzner://4711" };
    await assert.rejects(provider.delete(launched), NodeClaimNotFoundError);
    await assert.rejects(provider.get("hetzner://4711"), NodeClaimNotFoundError);
  });

  for (const code of ["InvalidRequest", "Internal"] as const)
    it(`${code}: an ExecProviderError carrying the user's message`, async () => {
      const error = await refusal(answering(failed({ code, message: "token expired" })));
      assert.deepEqual(error.failure, { kind: "answered", code });
      assert.match(error.message, new RegExp(`: ${code}: token expired$`));
    });

  it("a list answering NotFound is refused (a list has nothing to not find)", async () => {
    const { provider } = await cluster([
      execNodeClass(answering(failed({ code: "NotFound", message: "?" }))),
    ]);
    await assert.rejects(
      provider.list(),
      /error\.code: must be InvalidRequest or Internal for a list/,
    );
  });

  it("a delete answering DeleteResponse is done; one with a field is refused", async () => {
    const done = await cluster([
      execNodeClass(answering(JSON.stringify({ apiVersion: v1, kind: "DeleteResponse" }))),
    ]);
    const launched = { ...claim("a"), status: { providerID: "hetzner://4711" } };
    await done.provider.delete(launched);
    const extra = await cluster([
      execNodeClass(
        answering(JSON.stringify({ apiVersion: v1, kind: "DeleteResponse", ok: true })),
      ),
    ]);
    await assert.rejects(extra.provider.delete(launched), /ok: is not a field of this kind/);
  });

  it("a get answering another instance is refused", async () => {
    const { provider } = await cluster([
      execNodeClass(answering(JSON.stringify({ apiVersion: v1, kind: "GetResponse", instance }))),
    ]);
    await assert.rejects(
      provider.get("hetzner://1"),
      /instance\.providerID: must be hetzner:\/\/1, the instance asked for, not hetzner:\/\/4711/,
    );
  });

  it("a list with a bad instance is refused, naming its index", async () => {
    const { provider } = await cluster([
      execNodeClass(
        answering(
          JSON.stringify({
            apiVersion: v1,
            kind: "ListResponse",
            instances: [instance, { ...instance, zone: "" }],
          }),
        ),
      ),
    ]);
    await assert.rejects(provider.list(), /instances\[1\]\.zone: must not be empty/);
  });
});

describe("the exec provider's hooks: failures, timeouts and secrets", () => {
  it("a command that exits non-zero is an ExecProviderError with the tail of its output", async () => {
    const error = await refusal(script("console.error('hcloud: unauthorized');process.exit(2)"));
    assert.deepEqual(error.failure, { kind: "hook", reason: "exit" });
    assert.match(error.message, /failed: .*exited with status 2: hcloud: unauthorized/);
  });

  it("a command that hangs is stopped at its timeout: 1s and reported as a timeout", async () => {
    const started = Date.now();
    const error = await refusal({ ...script("setTimeout(()=>{},60000)"), timeout: "1s" });
    assert.deepEqual(error.failure, { kind: "hook", reason: "timeout" });
    assert.match(
      error.message,
      /^ExecNodeClass\/fake: create through the command .* failed: .* did not finish within 1s/,
    );
    assert.ok(Date.now() - started < 10_000);
  });

  it("a webhook that does not answer in time is a timeout", async () => {
    const { createServer } = await import("node:http");
    const server = createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    try {
      const error = await refusal({
        webhook: { url: `http://127.0.0.1:${port}/` },
        timeout: "1s",
        retries: 0,
      });
      assert.deepEqual(error.failure, { kind: "hook", reason: "timeout" });
      assert.match(error.message, /did not answer within 1s/);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  const token = "K10abc::server:5f0e4d3c2b1a";
  const leaks: { name: string; hook: Hook }[] = [
    {
      name: "echoed in an Internal error's message",
      hook: script(
        `const r=JSON.parse(input);process.stdout.write(JSON.stringify({apiVersion:'${v1}',kind:'ErrorResponse',error:{code:'Internal',message:'bad user data: '+r.userData.content}}))`,
      ),
    },
    {
      name: "echoed as not-JSON output",
      hook: script("process.stdout.write('got '+JSON.parse(input).userData.content)"),
    },
    {
      name: "echoed on stderr by a failing command",
      hook: script("process.stderr.write(input);process.exit(1)"),
    },
    {
      name: "echoed in a refused field",
      hook: script(
        `const r=JSON.parse(input);process.stdout.write(JSON.stringify({apiVersion:'${v1}',kind:'CreateResponse',instance:{providerID:r.userData.content,instanceType:'cheap',zone:'z1',capacityType:'on-demand',nodeClaim:'a'}}))`,
      ),
    },
  ];
  for (const row of leaks)
    it(`the user data's secrets never appear in an error: ${row.name}`, async () => {
      const error = await refusal(row.hook, [token]);
      assert.doesNotMatch(error.message, /5f0e4d3c2b1a/);
      assert.match(error.message, /\[REDACTED\]/);
      assert.doesNotMatch(JSON.stringify(error.failure), /5f0e4d3c2b1a/);
    });

  it("the user data and its secret do reach the command", async () => {
    const hook = script(
      `const r=JSON.parse(input);process.stdout.write(JSON.stringify({apiVersion:'${v1}',kind:'ErrorResponse',error:{code:'InsufficientCapacity',message:String(r.userData.content.length)}}))`,
    );
    await assert.rejects(createThrough(hook, [token]), (error: unknown) => {
      assert.ok(error instanceof InsufficientCapacityError);
      assert.match(error.message, new RegExp(`: ${`K3S_TOKEN=${token} sh install.sh`.length}$`));
      return true;
    });
  });

  it("a request carpool would build wrong is its own bug, thrown before anything runs", async () => {
    const { provider } = await cluster([
      execNodeClass({ exec: { command: ["/nonexistent/never-called"] } }),
    ]);
    await assert.rejects(
      provider.create(claim("a", ["cheap"], { taints: [{ key: "", effect: "NoSchedule" }] })),
      /carpool built an invalid CreateRequest: nodeClaim\.taints\[0\]\.key: must not be empty/,
    );
  });
});
