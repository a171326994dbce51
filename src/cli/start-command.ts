import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runPlan } from "./plan-command.ts";

/** What `npm start` runs: the plan for each bundled example, EKS and k3s. */
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
  return status;
}
