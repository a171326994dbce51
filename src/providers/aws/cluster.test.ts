import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DescribeClusterCommand } from "@aws-sdk/client-eks";
import { kubernetesMinorVersion, resolveEksCluster } from "./cluster.ts";

const described = {
  cluster: {
    endpoint: "https://ABC.gr7.us-west-2.eks.amazonaws.com",
    certificateAuthority: { data: "Q0EtZnJvbS1la3M=" },
    kubernetesNetworkConfig: { serviceIpv4Cidr: "172.20.0.0/16" },
  },
};
const eks = (answer: object | Error) => ({
  sent: [] as object[],
  async send(command: object) {
    this.sent.push(command);
    if (answer instanceof Error) throw answer;
    return answer;
  },
});

describe("the EKS cluster nodes join (Karpenter's CLUSTER_ENDPOINT / CLUSTER_CA_BUNDLE, else DescribeCluster)", () => {
  it("without flags, DescribeCluster gives endpoint, CA and Service CIDR", async () => {
    const client = eks(described);
    const cluster = await resolveEksCluster({ name: "prod" }, client, assert.fail);
    assert.deepEqual(cluster, {
      name: "prod",
      endpoint: "https://ABC.gr7.us-west-2.eks.amazonaws.com",
      certificateAuthority: "Q0EtZnJvbS1la3M=",
      serviceCIDR: "172.20.0.0/16",
    });
    assert.ok(client.sent[0] instanceof DescribeClusterCommand);
    assert.equal((client.sent[0] as DescribeClusterCommand).input.name, "prod");
  });
  it("flags win over DescribeCluster", async () => {
    const cluster = await resolveEksCluster(
      { name: "prod", endpoint: "https://10.0.0.1", certificateAuthority: "ZmxhZw==" },
      eks(described),
      assert.fail,
    );
    assert.equal(cluster.endpoint, "https://10.0.0.1");
    assert.equal(cluster.certificateAuthority, "ZmxhZw==");
    assert.equal(cluster.serviceCIDR, "172.20.0.0/16");
  });
  it("DescribeCluster refused: the flags and the controller's own CA are enough, and the failure is reported", async () => {
    const failures: string[] = [];
    const cluster = await resolveEksCluster(
      { name: "prod", endpoint: "https://10.0.0.1", controllerCertificateAuthority: "b3du" },
      eks(new Error("AccessDenied")),
      (error) => failures.push(error.message),
    );
    assert.deepEqual(cluster, {
      name: "prod",
      endpoint: "https://10.0.0.1",
      certificateAuthority: "b3du",
    });
    assert.deepEqual(failures, ["AccessDenied"]);
  });
  it("no endpoint anywhere is an error naming the flag", async () => {
    await assert.rejects(
      resolveEksCluster({ name: "prod" }, eks(new Error("AccessDenied")), () => {}),
      /--cluster-endpoint \(CLUSTER_ENDPOINT\)/,
    );
  });
});

describe("the API server's minor version", () => {
  for (const [version, expected] of [
    [{ major: "1", minor: "36" }, "1.36"],
    // EKS reports `minor: "30+"`.
    [{ major: "1", minor: "30+" }, "1.30"],
  ] as const)
    it(`${JSON.stringify(version)} → ${expected}`, () => {
      assert.equal(kubernetesMinorVersion(version), expected);
    });
  it("no version is an error", () => {
    assert.throws(() => kubernetesMinorVersion({}), /no usable version/);
  });
});
