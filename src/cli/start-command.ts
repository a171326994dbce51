import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { packageFile } from "../package-files.ts";
import { DemoScenario, runSimulate } from "./simulate-command.ts";

/**
 * What `npm start` runs: the bundled demo scenario (a day of EKS-style traffic on spot and
 * on-demand pools) through the real controllers in virtual time, with its summary on standard
 * output and the HTML report in `reports/demo.html`.
 */
export async function runStart(): Promise<number> {
  const reports = packageFile("reports");
  mkdirSync(reports, { recursive: true });
  process.stdout.write("# carpool simulate examples/scenarios/eks-daily-traffic.yaml\n\n");
  return runSimulate(DemoScenario, {
    filename: [],
    output: "table",
    report: join(reports, "demo.html"),
  });
}
