import type { Scenario } from "./scenario.ts";

/** How long `carpool simulate -f PATH` runs when no scenario is given (said in its --help). */
export const ObjectsOnlyDuration = "1h";

/**
 * The scenario of `carpool simulate -f PATH` without a scenario file: no objects or events of its
 * own — the objects given with -f are the whole cluster — for ObjectsOnlyDuration. Named after the
 * paths, so the result says what it simulated rather than passing for the bundled demo.
 */
export function objectsOnlyScenario(paths: readonly string[]): Scenario {
  return {
    definition: {
      apiVersion: "carpool.dev/v1alpha1",
      kind: "Scenario",
      metadata: { name: paths.join(", ") },
      spec: { duration: ObjectsOnlyDuration },
    },
    objects: [],
    applies: new Map(),
  };
}
