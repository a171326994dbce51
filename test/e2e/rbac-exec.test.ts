// Least privilege for the exec provider (issue 15): an ExecNodeClass whose command is
// machines/exec-cloud.mjs (which checks the join token), a cloud whose machines register their
// Node from carpool's k3s user data, with one InstanceType to launch; run as the chart's
// ServiceAccount. Without execnodeclasses list, execnodeclasses watch or the Role's get on the k3s
// token Secret, the job fails (k3s-provider-rbac.ts).
import { join } from "node:path";
import { describeK3sProviderRbac, k3sBootstrap, machinesDir } from "./k3s-provider-rbac.ts";

const capacity = { cpu: "4", memory: "8Gi", pods: "110" };

describeK3sProviderRbac({
  provider: "exec",
  nodeClassKind: "ExecNodeClass",
  objects: (site) => [
    {
      apiVersion: "carpool.dev/v1alpha1",
      kind: "InstanceType",
      metadata: { name: "edge-small" },
      spec: {
        capacity,
        labels: { "kubernetes.io/arch": "amd64" },
        offerings: [{ zone: "shop-a", capacityType: "on-demand", price: 0.02 }],
      },
    },
    {
      apiVersion: "carpool.dev/v1alpha1",
      kind: "ExecNodeClass",
      metadata: { name: "rbac" },
      spec: {
        provider: {
          exec: {
            command: [process.execPath, join(machinesDir, "exec-cloud.mjs")],
          },
          timeout: "20s",
          retries: 0,
        },
        config: {
          clusterDir: site.clusterDir,
          stateFile: join(site.stateDir, "instances.json"),
          log: site.powerLog,
          hardware: { "edge-small": capacity },
          tokenSha256: site.tokenSha256,
          joinLog: site.joinLog,
        },
        bootstrap: k3sBootstrap,
      },
    },
  ],
});
