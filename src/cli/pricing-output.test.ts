import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";

// The pieces of the example, as one multi-document YAML on standard input.
const manifests = [
  "apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: {name: default}\nspec:\n  template:\n    spec:\n      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}\n      requirements: [{key: karpenter.k8s.aws/instance-family, operator: In, values: [t4g]}]\n",
  "apiVersion: karpenter.k8s.aws/v1\nkind: EC2NodeClass\nmetadata: {name: default}\nspec:\n  amiSelectorTerms: [{alias: al2023@latest}]\n  role: KarpenterNodeRole\n  associatePublicIPAddress: true\n  subnetSelectorTerms: [{tags: {karpenter.sh/discovery: demo}}]\n  securityGroupSelectorTerms: [{tags: {karpenter.sh/discovery: demo}}]\n",
  "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, resources: {requests: {cpu: 100m}}}]}\n",
].join("---\n");

function carpool(args: string[]) {
  return spawnSync(process.execPath, ["bin/carpool.mjs", ...args], {
    encoding: "utf8",
    input: manifests,
  });
}

describe("the parts of a node's price, as people read them", () => {
  it("plan -o wide: instance, volumes (20Gi gp3: $0.0022) and IPv4 ($0.0050) beside the whole price", () => {
    const result = carpool(["plan", "-f", "-", "-o", "wide"]);
    assert.equal(result.status, 0, result.stderr);
    const [header, row] = result.stdout.split("\n");
    assert.match(header ?? "", /INSTANCE\/H\s+VOLUMES\/H\s+IPV4\/H\s+PRICE\/H\s+PODS/);
    assert.match(
      row ?? "",
      // The pool allows spot, so spot it is; its price is the built-in catalog's stand-in (*).
      /t4g\.nano .* spot .* \$0\.0042\*\s+\$0\.0022\s+\$0\.0050\s+\$0\.0114\*\s+1: default\/p/,
    );
    assert.match(
      result.stdout,
      /New nodes cost \$0\.0114 per hour \(instances \$0\.0042, volumes and addresses \$0\.0072\)\./,
    );
  });
  it("plan -o table keeps its columns; PRICE/H is the whole price", () => {
    const result = carpool(["plan", "-f", "-"]);
    assert.doesNotMatch(result.stdout, /VOLUMES\/H/);
    assert.match(result.stdout, /t4g\.nano .* \$0\.0114\* /);
  });
  it("catalog --nodepool: the pool's types only, priced in parts", () => {
    const result = carpool(["catalog", "-f", "-", "--nodepool", "default"]);
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.trim().split("\n");
    assert.match(lines[0] ?? "", /INSTANCE\/H\s+VOLUMES\/H\s+IPV4\/H\s+CHEAPEST/);
    assert.match(
      lines[1] ?? "",
      /^t4g\.nano .* \$0\.0042\s+\$0\.0022\s+\$0\.0050\s+\$0\.0114 on-demand/,
    );
    assert.equal(lines.at(-1), "7 instance types NodePool default may launch");
  });
  it("catalog --nodepool of a pool the manifests lack is invalid input (exit 2)", () => {
    const result = carpool(["catalog", "-f", "-", "--nodepool", "gpu"]);
    assert.equal(result.status, 2);
    assert.match(
      result.stderr,
      /--nodepool gpu: no such NodePool in the manifests \(-f\); they have default/,
    );
  });
});
