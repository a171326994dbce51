// Registering a Node as its kubelet would: as system:node:NAME, with a client certificate signed
// by the dev cluster's CA, so NodeRestriction decides what the node may set on itself. Shared by
// the machines of the end-to-end tests (agent.mjs for own machines, the EC2 kubelets for moto's
// instances).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";

/** A key and a certificate for system:node:NAME in group system:nodes, signed by the cluster CA. */
export function nodeCertificate(clusterDir, nodeName) {
  const dir = mkdtempSync(join(tmpdir(), "carpool-machine-"));
  const key = join(dir, "node.key");
  const csr = join(dir, "node.csr");
  const crt = join(dir, "node.crt");
  execFileSync("openssl", ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key]);
  execFileSync("openssl", [
    "req",
    "-new",
    "-key",
    key,
    "-subj",
    `/O=system:nodes/CN=system:node:${nodeName}`,
    "-out",
    csr,
  ]);
  execFileSync(
    "openssl",
    [
      "x509",
      "-req",
      "-in",
      csr,
      "-CA",
      join(clusterDir, "pki", "ca.crt"),
      "-CAkey",
      join(clusterDir, "pki", "ca.key"),
      "-CAcreateserial",
      "-days",
      "1",
      "-out",
      crt,
    ],
    { stdio: "ignore" },
  );
  return {
    key: readFileSync(key),
    cert: readFileSync(crt),
    ca: readFileSync(join(clusterDir, "pki", "ca.crt")),
  };
}

/** POSTs the Node with the node's own credentials: `{status, body}` as the server answered. */
export function registerNode(clusterDir, node) {
  const { key, cert, ca } = nodeCertificate(clusterDir, node.metadata.name);
  const kubeconfig = parse(readFileSync(join(clusterDir, "admin.kubeconfig"), "utf8"));
  const server = new URL(kubeconfig.clusters[0].cluster.server);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: server.hostname,
        port: server.port,
        path: "/api/v1/nodes",
        method: "POST",
        key,
        cert,
        ca,
        headers: { "Content-Type": "application/json" },
      },
      (res) => {
        let text = "";
        res.on("data", (d) => {
          text += d;
        });
        res.on("end", () => resolve({ status: res.statusCode, body: text }));
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify(node));
  });
}
