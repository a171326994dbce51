import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { decodeScenario } from "../../sim/scenario.ts";
import { simulate } from "../../sim/simulation.ts";

/** A static pool of two m5.large, scaled to one at 1h, in carpool simulate's virtual time. */
const scenario = (replicasLater: number) => `
apiVersion: carpool.dev/v1alpha1
kind: Scenario
metadata: { name: static }
spec:
  duration: 2h
  objects:
    - &pool
      apiVersion: karpenter.sh/v1
      kind: NodePool
      metadata: { name: fixed }
      spec:
        replicas: 2
        template:
          spec:
            nodeClassRef: { group: karpenter.k8s.aws, kind: EC2NodeClass, name: default }
            requirements:
              - { key: node.kubernetes.io/instance-type, operator: In, values: [m5.large] }
              - { key: karpenter.sh/capacity-type, operator: In, values: [on-demand] }
  events:
    - at: 1h
      apply:
        <<: *pool
        spec:
          replicas: ${replicasLater}
          template:
            spec:
              nodeClassRef: { group: karpenter.k8s.aws, kind: EC2NodeClass, name: default }
              requirements:
                - { key: node.kubernetes.io/instance-type, operator: In, values: [m5.large] }
                - { key: karpenter.sh/capacity-type, operator: In, values: [on-demand] }
`;

async function run(replicasLater: number) {
  const decoded = decodeScenario(parse(scenario(replicasLater), { merge: true }), "static.yaml");
  if (!decoded.ok) throw new Error(JSON.stringify(decoded.errors));
  return (await simulate(decoded.scenario)).summary;
}

describe("carpool simulate runs the static NodePool controller (the same controllers as the real cluster)", () => {
  it("keeps two nodes with no pods, never consolidated away, and scales down to one", async () => {
    const summary = await run(1);
    assert.deepEqual(summary.nodes, { launched: 2, terminated: 1, peak: 2, final: 1 });
    assert.equal(summary.disruptions.Empty, 0, "emptiness does not apply to static pools");
  });
  it("scaling up adds the nodes", async () => {
    const summary = await run(3);
    assert.deepEqual(summary.nodes, { launched: 3, terminated: 0, peak: 3, final: 3 });
  });
});
