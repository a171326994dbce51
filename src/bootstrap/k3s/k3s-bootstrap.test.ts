import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { assertGolden } from "../../../test/golden.ts";
import { BootstrapError, type BootstrapInput } from "../../ports/bootstrap.ts";
import { k3sBootstrap } from "./k3s-bootstrap.ts";
import {
  airGappedSettings,
  airGappedUnitSettings,
  exampleInput,
  exampleSettings,
  exampleToken,
  readCloudConfig,
  readShellScript,
} from "./testing.ts";

const golden = (name: string) => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));

/** `sh -n`: the shell parses the script without running it. */
function assertParses(script: string): void {
  const run = spawnSync("sh", ["-n"], { input: script, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
}

// What the agent must be told for exampleInput, written out by hand.
const expectedConfig = {
  server: "https://10.0.0.1:6443",
  token: exampleToken,
  "node-name": "edge-7xk2p",
  // Sorted; node-role.kubernetes.io/worker is left to the lifecycle controller (kubelet rule).
  "node-label": [
    "example.com/team=yes",
    "karpenter.sh/capacity-type=on-demand",
    "karpenter.sh/nodepool=edge",
    "node.kubernetes.io/instance-type=rack-m",
    "topology.kubernetes.io/zone=rack-1",
  ],
  "node-taint": [
    "dedicated=camera:NoSchedule",
    "example.com/warming:NoExecute",
    "karpenter.sh/unregistered:NoExecute",
  ],
  "kubelet-arg": [
    "max-pods=58",
    "system-reserved=cpu=100m,memory=500Mi",
    "kube-reserved=cpu=200m,memory=1Gi",
    "eviction-hard=memory.available<100Mi,nodefs.available<10%",
    "provider-id=static://rack-1/box-07",
  ],
};

const cloud = k3sBootstrap(exampleSettings);
const shell = k3sBootstrap({ ...exampleSettings, format: "shell" });

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

describe("k3s bootstrap: cloud-config", () => {
  const userData = cloud.userData(exampleInput);
  it("is the golden document", () => {
    assert.equal(userData.format, "cloud-config");
    assertGolden(golden("cloud-config.yaml"), userData.content);
  });
  it("round trip: the embedded config.yaml carries every value exactly, in YAML 1.1 and 1.2", () => {
    assert.deepEqual(readCloudConfig(userData.content).agentConfig, expectedConfig);
  });
  it("runcmd installs the pinned agent, with a script the shell parses", () => {
    const { runScript } = readCloudConfig(userData.content);
    assert.match(runScript, /^set -eu\n/);
    assert.match(
      runScript,
      /INSTALL_K3S_VERSION='v1\.31\.4\+k3s1' INSTALL_K3S_FORCE_RESTART='true' INSTALL_K3S_EXEC='agent' sh "\$installer"/,
    );
    assert.match(runScript, /curl -sfL --retry 5 -o "\$installer" 'https:\/\/get\.k3s\.io'/);
    assertParses(runScript);
  });
  it("names the token as its one secret, for carriers to redact", () => {
    assert.deepEqual(userData.secrets, [exampleToken]);
  });
  it("the token appears once: in the 0600 config file only", () => {
    assert.equal(occurrences(userData.content, exampleToken), 1);
    assert.ok(!readCloudConfig(userData.content).runScript.includes(exampleToken));
  });
});

describe("k3s bootstrap: shell", () => {
  const userData = shell.userData(exampleInput);
  it("is the golden script", () => {
    assert.equal(userData.format, "shell");
    assertGolden(golden("shell.sh"), userData.content);
  });
  it("the heredoc is exactly the config.yaml the cloud-config writes", () => {
    const cloudFile = readCloudConfig(cloud.userData(exampleInput).content).document.write_files[0];
    assert.equal(readShellScript(userData.content).heredoc, cloudFile?.content);
    assert.deepEqual(readShellScript(userData.content).agentConfig, expectedConfig);
  });
  it("sh -n parses it", () => assertParses(userData.content));
  it("the token is only inside the heredoc", () => {
    assert.equal(occurrences(userData.content, exampleToken), 1);
    assert.ok(!readShellScript(userData.content).outside.some((l) => l.includes(exampleToken)));
  });
  it("runs the same install lines as the cloud-config's runcmd", () => {
    const { runScript } = readCloudConfig(cloud.userData(exampleInput).content);
    const install = runScript.replace(/^set -eu\n/, "");
    assert.ok(userData.content.endsWith(`umask 022\n${install}`));
  });
});

describe("k3s bootstrap: what the agent is given", () => {
  const configOf = (input: BootstrapInput) =>
    readCloudConfig(cloud.userData(input).content).agentConfig;
  const bare: BootstrapInput = { nodeName: "n1", labels: {}, taints: [] };

  it("a bare claim: name, server, token and the unregistered taint only", () => {
    assert.deepEqual(configOf(bare), {
      server: expectedConfig.server,
      token: exampleToken,
      "node-name": "n1",
      "node-taint": ["karpenter.sh/unregistered:NoExecute"],
    });
  });
  it("labels the kubelet may not set are left out, not refused (kubelet --node-labels rule)", () => {
    const config = configOf({
      ...bare,
      labels: { "node-role.kubernetes.io/gpu": "", "node-restriction.kubernetes.io/team": "a" },
    });
    assert.equal(config["node-label"], undefined);
  });
  it("the unregistered taint is not repeated when the pool already has it", () => {
    const config = configOf({
      ...bare,
      taints: [{ key: "karpenter.sh/unregistered", effect: "NoExecute" }],
    });
    assert.deepEqual(config["node-taint"], ["karpenter.sh/unregistered:NoExecute"]);
  });
  it("an empty taint value renders as key:Effect", () => {
    const config = configOf({ ...bare, taints: [{ key: "a", value: "", effect: "NoSchedule" }] });
    assert.deepEqual(config["node-taint"], ["a:NoSchedule", "karpenter.sh/unregistered:NoExecute"]);
  });
  it("the same input in another key order renders the same document", () => {
    const reversed: BootstrapInput = {
      ...exampleInput,
      labels: Object.fromEntries(Object.entries(exampleInput.labels).reverse()),
    };
    assert.equal(cloud.userData(reversed).content, cloud.userData(exampleInput).content);
  });
  it("values YAML 1.1 would misread stay strings (yes, 0600, 1e3, null)", () => {
    const config = configOf({
      ...bare,
      nodeName: "0600",
      labels: { yes: "no", "a.b/null": "null", octal: "0755", float: "1e3", on: "off" },
    });
    assert.equal(config["node-name"], "0600");
    assert.deepEqual(config["node-label"], [
      "a.b/null=null",
      "float=1e3",
      "octal=0755",
      "on=off",
      "yes=no",
    ]);
  });
});

describe("k3s bootstrap: installing", () => {
  it("air-gapped: runs the install script on the machine with INSTALL_K3S_SKIP_DOWNLOAD=true", () => {
    const { content } = k3sBootstrap(airGappedSettings).userData(exampleInput);
    assertGolden(golden("shell-air-gapped.sh"), content);
    assert.ok(
      content.endsWith(
        "INSTALL_K3S_SKIP_DOWNLOAD='true' INSTALL_K3S_FORCE_RESTART='true' INSTALL_K3S_EXEC='agent' sh '/opt/k3s/install.sh'\n",
      ),
    );
    assert.ok(!/curl|wget|INSTALL_K3S_VERSION/.test(content));
    assertParses(content);
  });
  it("air-gapped without a script: a systemd unit runs the k3s binary on the machine", () => {
    const { content } = k3sBootstrap(airGappedUnitSettings).userData(exampleInput);
    assertGolden(golden("cloud-config-air-gapped.yaml"), content);
    const { document, runScript } = readCloudConfig(content);
    const unit = document.write_files[1];
    assert.equal(unit?.path, "/etc/systemd/system/k3s-agent.service");
    assert.equal(unit?.permissions, "0644");
    assert.match(unit?.content ?? "", /^ExecStart=\/usr\/local\/bin\/k3s agent$/m);
    assert.match(unit?.content ?? "", /^Type=notify$/m);
    assert.ok(
      runScript.endsWith(
        "systemctl enable k3s-agent.service\nsystemctl restart k3s-agent.service\n",
      ),
    );
    assert.ok(!/curl|wget|INSTALL_K3S/.test(content));
    assertParses(runScript);
    const shellContent = k3sBootstrap({ ...airGappedUnitSettings, format: "shell" }).userData(
      exampleInput,
    ).content;
    assert.ok(
      shellContent.includes(
        `cat >/etc/systemd/system/k3s-agent.service <<'CARPOOL_K3S_FILE'\n${unit?.content}CARPOOL_K3S_FILE\nchmod 0644 /etc/systemd/system/k3s-agent.service\n`,
      ),
    );
    assertParses(shellContent);
  });
  it("a local install script without air-gapping still downloads the pinned binary", () => {
    const { content } = k3sBootstrap({
      ...exampleSettings,
      installScriptPath: "/usr/local/share/k3s/install.sh",
    }).userData(exampleInput);
    const { runScript } = readCloudConfig(content);
    assert.equal(
      runScript,
      "set -eu\nINSTALL_K3S_VERSION='v1.31.4+k3s1' INSTALL_K3S_FORCE_RESTART='true' INSTALL_K3S_EXEC='agent' sh '/usr/local/share/k3s/install.sh'\n",
    );
  });
  it("an unpinned version leaves the channel to the install script", () => {
    const { version: _, ...unpinned } = exampleSettings;
    const { runScript } = readCloudConfig(k3sBootstrap(unpinned).userData(exampleInput).content);
    assert.ok(!runScript.includes("INSTALL_K3S_VERSION"));
  });
  it("installScriptURL is downloaded instead of get.k3s.io, as one quoted word", () => {
    const url = "https://raw.githubusercontent.com/k3s-io/k3s/v1.31.4%2Bk3s1/install.sh?x=1&y=2";
    const { runScript } = readCloudConfig(
      k3sBootstrap({ ...exampleSettings, installScriptURL: url }).userData(exampleInput).content,
    );
    assert.ok(runScript.includes(`-o "$installer" '${url}'`));
    assert.ok(!runScript.includes("get.k3s.io"));
    assertParses(runScript);
  });
});

describe("k3s bootstrap: refusals", () => {
  it("an invalid input is refused with every field path, and nothing is rendered", () => {
    assert.throws(
      () =>
        cloud.userData({
          nodeName: "Bad_Name",
          labels: { "a b": "x" },
          taints: [{ key: "k", value: "$(reboot)", effect: "NoSchedule" }],
        }),
      (error: unknown) => {
        assert.ok(error instanceof BootstrapError);
        assert.deepEqual(
          error.issues.map((i) => i.path),
          ["nodeName", 'labels["a b"]', "taints[0].value"],
        );
        assert.ok(!error.message.includes(exampleToken));
        return true;
      },
    );
  });
  it("k3s: a node name longer than 235 cannot hold its node-password Secret", () => {
    const name = (length: number) => `${"a".repeat(length - 2)}-1`;
    assert.doesNotThrow(() => cloud.userData({ nodeName: name(235), labels: {}, taints: [] }));
    assert.throws(
      () => cloud.userData({ nodeName: name(236), labels: {}, taints: [] }),
      /nodeName: must be no more than 235 characters: k3s stores the node password/,
    );
  });
});

describe("docs/bootstrap.md", () => {
  it("shows the golden documents as they are", () => {
    const docs = readFileSync(
      fileURLToPath(new URL("../../../docs/bootstrap.md", import.meta.url)),
      "utf8",
    );
    for (const name of ["cloud-config.yaml", "shell-air-gapped.sh"]) {
      const content = readFileSync(golden(name), "utf8");
      assert.ok(
        docs.includes(`\n${content}\`\`\`\n`),
        `docs/bootstrap.md does not show testdata/${name}`,
      );
    }
  });
});
