import { pool as disruptionPool } from "../disruption/fixtures.test-helpers.ts";
import { instanceType } from "../solver/fixtures.test-helpers.ts";
import type { SimulationResult } from "./result.ts";
import { decodeScenario } from "./scenario.ts";
import { simulate } from "./simulation.ts";

/** A small catalog: one large costs less than two mediums, two mediums less than... */
export const catalog = [
  instanceType("small", 2, 8, 0.05),
  instanceType("medium", 4, 16, 0.1),
  instanceType("large", 8, 32, 0.18),
];

/** A pool that consolidates a minute after its last pod event, with no budget to speak of. */
export function pool(
  name = "default",
  disruption: Record<string, unknown> = {},
  template: Record<string, unknown> = {},
) {
  return disruptionPool(name, { consolidateAfter: "1m", ...disruption }, template);
}

export function deployment(
  name: string,
  replicas: number,
  cpu: string,
  spec: Record<string, unknown> = {},
  annotations?: Record<string, string>,
) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "default" },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, ...(annotations && { annotations }) },
        spec: {
          containers: [{ name: "c", image: "x", resources: { requests: { cpu, memory: "1Gi" } } }],
          ...spec,
        },
      },
    },
  };
}

export async function run(
  spec: { duration: string; objects: object[]; events?: object[]; provider?: object },
  seed = 1,
): Promise<SimulationResult> {
  const decoded = decodeScenario(
    {
      apiVersion: "carpool.dev/v1alpha1",
      kind: "Scenario",
      metadata: { name: "test" },
      spec: { seed, ...spec },
    },
    "<test>",
  );
  if (!decoded.ok) throw new Error(decoded.errors.map((e) => `${e.path}: ${e.message}`).join("\n"));
  return simulate(decoded.scenario);
}

/** Index of the first event matching, or -1. */
export function eventIndex(result: SimulationResult, kind: string, object?: RegExp): number {
  return result.events.findIndex(
    (e) => e.kind === kind && (object === undefined || object.test(e.object)),
  );
}

/**
 * What became of each replace command: how many pods its nodes' drain evicted, how many the plan
 * moved to nodes that stay, and how many the replacements received in that same instant (their
 * successors' Scheduled events). A replacement that receives fewer is deleted empty or underused.
 */
export function replacementOutcomes(result: SimulationResult) {
  const events = result.events;
  return events.flatMap((command, i) => {
    if (command.kind !== "DisruptionReplace") return [];
    const claims = /launching (.+) first/.exec(command.message)?.[1]?.split(", ") ?? [];
    const nodes = claims.map(
      (claim) =>
        events
          .find((e) => e.kind === "NodeRegistered" && e.object === `NodeClaim/${claim}`)
          ?.message.replace(/^as /, "") ?? "",
    );
    const drained = events.find((e, j) => j > i && e.kind === "PodEvicted")?.t;
    const at = (kind: string) =>
      events.filter((e, j) => j > i && e.kind === kind && e.t === drained);
    return [
      {
        t: command.t,
        nodes,
        evicted: at("PodEvicted").length,
        moved: Number(/(\d+) pods? fits? on other nodes/.exec(command.message)?.[1] ?? 0),
        received: at("Scheduled").filter((e) =>
          nodes.some((n) => new RegExp(`^assigned to ${n}(,|$)`).test(e.message)),
        ).length,
      },
    ];
  });
}
