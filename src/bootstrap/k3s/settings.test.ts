import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BootstrapError } from "../../ports/bootstrap.ts";
import { k3sBootstrap } from "./k3s-bootstrap.ts";
import { type K3sSettings, k3sSettingsErrors, tokenErrors } from "./settings.ts";

const secure = `K10${"0123456789abcdef".repeat(4)}::server:s3cret-value`;
const valid: K3sSettings = {
  serverURL: "https://10.0.0.1:6443",
  token: secure,
  format: "cloud-config",
};

function withFields(fields: Record<string, unknown>): K3sSettings {
  return { ...valid, ...fields } as K3sSettings;
}

// k3s pkg/clientaccess/token.go parseToken and docs/cli/token.md.
describe("tokenErrors: k3s's token formats", () => {
  const rows: [string, string, boolean][] = [
    ["secure: K10<sha256>::<user>:<password>", secure, true],
    ["secure with a bootstrap token", `K10${"a".repeat(64)}::abcdef.0123456789abcdef`, true],
    ["secure without the CA hash", "K10::node:pw", true],
    ["secure with an empty user", `K10${"a".repeat(64)}:::pw`, true],
    ["a bare bootstrap token", "abcdef.0123456789abcdef", true],
    ["a bare password", "s3cret!", true],
    ["a bare password may hold :: (it is taken whole)", "a::b", true],
    ["empty", "", false],
    ["a trailing newline (as read from a token file)", `${secure}\n`, false],
    ["a space", "pass word", false],
    ["a control character", "pass\u0007word", false],
    ["non-ASCII", "pässword", false],
    [
      "K10 with a CA hash of the wrong length (invalid token CA hash length)",
      "K10abc::server:pw",
      false,
    ],
    [
      "K10 with an upper-case hash (the server compares lower-case hex)",
      `K10${"A".repeat(64)}::s:pw`,
      false,
    ],
    ["K10 without :: (invalid token format)", `K10${"a".repeat(64)}`, false],
    ["K10 with credentials lacking a password", `K10${"a".repeat(64)}::server:`, false],
    ["K10 with credentials that are neither form", `K10${"a".repeat(64)}::nocolon`, false],
  ];
  for (const [rule, token, ok] of rows) {
    it(`${rule}: ${ok ? "accepted" : "refused"}`, () => {
      const errors = tokenErrors(token);
      assert.equal(errors.length === 0, ok, JSON.stringify(errors));
      for (const error of errors) {
        assert.equal(error.path, "token");
        if (token.length > 3)
          assert.ok(!error.message.includes(token), "the message holds the token");
      }
    });
  }
});

describe("k3sSettingsErrors", () => {
  it("valid settings have no errors", () => assert.deepEqual(k3sSettingsErrors(valid), []));

  const rows: [string, Record<string, unknown>, string[]][] = [
    // install.sh verify_k3s_url: "Only https:// URLs are supported for K3S_URL"
    ["serverURL: https only", { serverURL: "http://10.0.0.1:6443" }, ["serverURL"]],
    ["serverURL: a host name is fine", { serverURL: "https://k3s.example.com" }, []],
    ["serverURL: [IPv6]:port is fine", { serverURL: "https://[fd00::1]:6443" }, []],
    ["serverURL: no credentials", { serverURL: "https://u:p@10.0.0.1:6443" }, ["serverURL"]],
    ["serverURL: no path", { serverURL: "https://10.0.0.1:6443/x" }, ["serverURL"]],
    ["serverURL: no whitespace", { serverURL: "https://10.0.0.1:6443 " }, ["serverURL"]],
    ["serverURL: no newline", { serverURL: "https://10.0.0.1\n:6443" }, ["serverURL"]],
    ["serverURL: a port is 1-65535", { serverURL: "https://10.0.0.1:70000" }, ["serverURL"]],
    ["version: a k3s release", { version: "v1.31.4+k3s1" }, []],
    ["version: a release candidate", { version: "v1.32.0-rc1+k3s1" }, []],
    ["version: not a bare Kubernetes version", { version: "v1.31.4" }, ["version"]],
    ["version: not a channel", { version: "stable" }, ["version"]],
    ["version: no shell", { version: "v1.31.4+k3s1;id" }, ["version"]],
    ["format: cloud-config or shell", { format: "mime" }, ["format"]],
    ["installScriptURL: https", { installScriptURL: "http://get.k3s.io" }, ["installScriptURL"]],
    [
      "installScriptURL: a pinned raw URL is fine",
      {
        installScriptURL: "https://raw.githubusercontent.com/k3s-io/k3s/v1.31.4%2Bk3s1/install.sh",
      },
      [],
    ],
    [
      "installScriptURL: no whitespace",
      { installScriptURL: "https://get.k3s.io | sh" },
      ["installScriptURL"],
    ],
    ["installScriptPath: absolute", { installScriptPath: "install.sh" }, ["installScriptPath"]],
    [
      "installScriptPath: no shell characters",
      { installScriptPath: "/opt/$(id).sh" },
      ["installScriptPath"],
    ],
    [
      "installScriptPath: not with installScriptURL",
      { installScriptPath: "/opt/k3s/install.sh", installScriptURL: "https://get.k3s.io" },
      ["installScriptPath"],
    ],
    ["airGapped: no script needed (a systemd unit runs the binary)", { airGapped: true }, []],
    ["airGapped: with a path", { airGapped: true, installScriptPath: "/opt/k3s/install.sh" }, []],
    [
      "airGapped: no version (the binary on the machine is used)",
      { airGapped: true, installScriptPath: "/opt/k3s/install.sh", version: "v1.31.4+k3s1" },
      ["version"],
    ],
    ["airGapped: a boolean", { airGapped: "yes" }, ["airGapped"]],
  ];
  for (const [rule, fields, paths] of rows) {
    it(rule, () => {
      const errors = k3sSettingsErrors(withFields(fields));
      assert.deepEqual(
        errors.map((e) => e.path),
        paths,
        JSON.stringify(errors),
      );
    });
  }

  it("k3sBootstrap refuses invalid settings at once, with every problem and never the token", () => {
    const token = "bad token";
    assert.throws(
      () => k3sBootstrap(withFields({ serverURL: "http://x", token, version: "latest" })),
      (error: unknown) => {
        assert.ok(error instanceof BootstrapError);
        assert.deepEqual(
          error.issues.map((i) => i.path),
          ["serverURL", "token", "version"],
        );
        assert.ok(!error.message.includes(token));
        return true;
      },
    );
  });
});
