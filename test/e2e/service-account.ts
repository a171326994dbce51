// Running as the chart's ServiceAccount rather than the admin: a kubeconfig with a token the API
// server issues for it (the TokenRequest API), so every request is decided by the chart's RBAC.
import { readFileSync, writeFileSync } from "node:fs";
import { parse } from "yaml";
import type { ClusterClient } from "./cluster-client.ts";

export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

/** Writes `file`, a kubeconfig for the ServiceAccount on the admin kubeconfig's server, and returns it. */
export async function serviceAccountKubeconfig(
  admin: ClusterClient,
  adminKubeconfig: string,
  account: ServiceAccountRef,
  file: string,
): Promise<string> {
  const answer = await admin.rest.request<{ status: { token: string } }>(
    "POST",
    `/api/v1/namespaces/${account.namespace}/serviceaccounts/${account.name}/token`,
    {
      body: {
        apiVersion: "authentication.k8s.io/v1",
        kind: "TokenRequest",
        spec: { expirationSeconds: 7200 },
      },
    },
  );
  const adminConfig = parse(readFileSync(adminKubeconfig, "utf8")) as {
    clusters: { cluster: Record<string, string> }[];
  };
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "dev", cluster: adminConfig.clusters[0]?.cluster }],
      users: [{ name: account.name, user: { token: answer.status.token } }],
      contexts: [{ name: "sa", context: { cluster: "dev", user: account.name } }],
      "current-context": "sa",
    }),
  );
  return file;
}
