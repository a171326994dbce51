import { Command } from "commander";

const program = new Command("carpool")
  .description("Just-in-time Kubernetes nodes for EKS, k3s and bare machines (Karpenter v1 API)")
  .version("0.1.0");

await program.parseAsync(process.argv);
