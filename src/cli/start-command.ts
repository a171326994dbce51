import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runDisrupt } from "./disrupt-command.ts";
import { runPlan } from "./plan-command.ts";

/** What `npm start` runs: the plan for each bundled example, EKS and k3s, and the disruption plan of the running cluster. */
export function runStart(): number {
  const examples = fileURLToPath(new URL("../../examples/", import.meta.url));
  let status = 0;
  for (const example of ["eks", "k3s"]) {
    process.stdout.write(`\n# carpool plan -f examples/${example}\n\n`);
    status = Math.max(
      status,
      runPlan({ filename: [join(examples, example)], output: "table", region: "us-east-1" }),
    );
  }
  const now = "2026-11-25T20:00:00Z";
  process.stdout.write(`\n# carpool disrupt -f examples/disruption --now ${now}\n\n`);
  status = Math.max(
    status,
    runDisrupt({
      filename: [join(examples, "disruption")],
      output: "table",
      region: "us-east-1",
      now,
      spotToSpot: true,
    }),
  );
  return status;
}
