// Least privilege for the static provider (issue 15): a StaticNodeClass of two machines played by
// machines/agent.mjs (behind the join-token check), run as the chart's ServiceAccount; without
// staticnodeclasses list, staticnodeclasses watch or the Role's get on the k3s token Secret, the
// job fails (k3s-provider-rbac.ts). The whole static provider is tested by static.test.ts.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describeK3sProviderRbac, k3sBootstrap, machinesDir } from "./k3s-provider-rbac.ts";

const machines = ["rbac-1", "rbac-2"].map((name, i) => ({
  name,
  instanceType: "edge-small",
  zone: "shop-a",
  pricePerHour: 0.02,
  address: `aa:bb:cc:00:01:0${i + 1}`,
  capacity: { cpu: "4", memory: "8Gi", pods: "110" },
}));

describeK3sProviderRbac({
  provider: "static",
  nodeClassKind: "StaticNodeClass",
  objects: (site) => {
    const file = join(site.stateDir, "machines.json");
    writeFileSync(file, JSON.stringify(machines));
    const hook = (...flags: string[]) => ({
      exec: {
        command: site.tokenChecked([
          process.execPath,
          join(machinesDir, "agent.mjs"),
          "--cluster-dir",
          site.clusterDir,
          "--machines",
          file,
          "--log",
          site.powerLog,
          ...flags,
        ]),
      },
      timeout: "20s",
      retries: 0,
    });
    return [
      {
        apiVersion: "carpool.dev/v1alpha1",
        kind: "StaticNodeClass",
        metadata: { name: "rbac" },
        spec: { machines, powerOn: hook(), powerOff: hook("--off"), bootstrap: k3sBootstrap },
      },
    ];
  },
});
