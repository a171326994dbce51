import { decodeScenario } from "../src/sim/scenario.ts";
import { simulate } from "../src/sim/simulation.ts";
import { generalPool } from "./snapshots.ts";

/**
 * A day of a cluster that peaks at about `nodes` nodes: ten deployments of 1-cpu pods on an
 * on-demand pool over the built-in AWS catalog (8-vCPU types), following a daily curve.
 */
export function dayScenario(nodes: number): unknown {
  const peakPods = nodes * 7;
  const deployments = 10;
  const at = (hours: number, share: number) =>
    Array.from({ length: deployments }, (_, i) => ({
      at: `${hours}h`,
      scale: {
        kind: "Deployment",
        namespace: "bench",
        name: `app-${i}`,
        replicas: Math.round((peakPods * share) / deployments),
      },
    }));
  return {
    apiVersion: "carpool.dev/v1alpha1",
    kind: "Scenario",
    metadata: { name: `day-${nodes}-nodes` },
    spec: {
      duration: "24h",
      seed: 1,
      objects: [
        generalPool(
          "10%",
          [
            { key: "karpenter.k8s.aws/instance-cpu", operator: "In", values: ["8"] },
            { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["5"] },
            { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
          ],
          { consolidateAfter: "5m" },
        ),
        ...Array.from({ length: deployments }, (_, i) => ({
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: `app-${i}`, namespace: "bench" },
          spec: {
            replicas: Math.round((peakPods * 0.4) / deployments),
            selector: { matchLabels: { app: `app-${i}` } },
            template: {
              metadata: { labels: { app: `app-${i}` } },
              spec: {
                containers: [
                  {
                    name: "c",
                    image: "example/app",
                    resources: { requests: { cpu: "1", memory: "2Gi" } },
                  },
                ],
              },
            },
          },
        })),
      ],
      events: [...at(6, 0.7), ...at(9, 1), ...at(14, 0.8), ...at(18, 0.5), ...at(22, 0.4)],
    },
  };
}

export async function simulateDay(nodes: number) {
  const decoded = decodeScenario(dayScenario(nodes), "<bench>");
  if (!decoded.ok) throw new Error(decoded.errors.map((e) => e.message).join("; "));
  return simulate(decoded.scenario);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const nodes = Number(process.argv[2] ?? 500);
  const start = performance.now();
  const result = await simulateDay(nodes);
  const seconds = (performance.now() - start) / 1000;
  console.log(
    JSON.stringify({
      name: "simulate-day",
      size: nodes,
      seconds: Math.round(seconds * 100) / 100,
      peakNodes: result.summary.nodes.peak,
      launched: result.summary.nodes.launched,
      cost: result.summary.cost.total,
      violations: result.violations.length,
      events: result.events.length,
    }),
  );
}
