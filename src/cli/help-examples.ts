import type { Command } from "commander";

/**
 * The examples and output formats shown under each command's --help. Every example that reads
 * only bundled files (examples/) runs as written from a checkout; test/cli-conventions.test.ts
 * runs them.
 */
const examples: Readonly<Record<string, readonly string[]>> = {
  plan: [
    "carpool plan -f examples/eks",
    "carpool plan -f examples/eks -o wide            # prices in parts: instance, volumes, IPv4",
    "carpool plan -f examples/eks -o name            # nodeclaim/NAME for each new node",
    "kubectl get nodepools,nodes,pods -A -o yaml | carpool plan -f -",
    "carpool plan -f examples/k3s --fail-unschedulable   # CI gate: exit 3 if a pod has no place",
  ],
  explain: [
    "carpool explain shop/web-0 -f examples/eks",
    "carpool explain default/huge -f examples/eks -o json",
    "carpool explain shop/web-0 -f examples/eks -o name   # nodepool/NAME, node/NAME that fit",
  ],
  disrupt: [
    "carpool disrupt -f examples/disruption --now 2026-11-25T20:00:00Z",
    "carpool disrupt -f examples/disruption -o wide   # every node and the pods that move",
    "carpool disrupt -f examples/disruption -o name   # node/NAME for each node to disrupt",
    "carpool disrupt -f examples/disruption --no-spot-to-spot",
  ],
  simulate: [
    "carpool simulate",
    "carpool simulate examples/scenarios/k3s-edge.yaml --report k3s-edge.html",
    "carpool simulate examples/scenarios/fault-storm.yaml --seed 2 -o json",
  ],
  catalog: [
    "carpool catalog",
    "carpool catalog -l karpenter.k8s.aws/instance-family=m7g -o wide",
    "carpool catalog -f examples/eks --nodepool general",
    "carpool catalog -o name | head -3                 # instancetype/NAME lines",
  ],
  controller: [
    "carpool controller --cloud-provider kwok",
    "carpool controller --cloud-provider aws --cluster-name prod --interruption-queue prod-interruptions",
    "CLOUD_PROVIDER=static carpool controller --kubeconfig ~/.kube/k3s.yaml",
  ],
  completion: [
    "source <(carpool completion bash)                  # in ~/.bashrc",
    "carpool completion zsh > ~/.zsh/completions/_carpool    # a directory in $fpath",
    "carpool completion fish > ~/.config/fish/completions/carpool.fish",
  ],
};

/** What each `-o` value prints, for the commands that have more than table, json and yaml. */
const outputs: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  plan: [
    ["wide", "the table with each new node's price in parts (instance, volumes, IPv4)"],
    ["name", "nodeclaim/NAME for each node carpool would launch"],
  ],
  explain: [["name", "nodepool/NAME or node/NAME for each target that can take the pod"]],
  disrupt: [
    ["wide", "every node of a command, and how many pods move or are stranded"],
    ["name", "node/NAME for each node to disrupt, in the order disruption acts"],
  ],
  catalog: [
    ["wide", "with each type's architecture and capacity"],
    ["name", "instancetype/NAME for each type"],
  ],
};

const exitStatuses = `Exit status:
  0    done (a plan that leaves pods unschedulable is still a plan)
  1    carpool failed: a bug, please report it
  2    invalid input or usage: a bad manifest, an unknown option, a missing argument
  3    plan --fail-unschedulable: some pending pod cannot be placed
  141  the reader of the output went away (a closed pipe), as for SIGPIPE`;

function section(command: string): string {
  const lines = (examples[command] ?? []).map((line) => `  $ ${line}`);
  const formats = [
    ["table", command === "catalog" ? "for people: CPU in cores, memory in GiB" : "for people"],
    ...(outputs[command] ?? []),
    ["json, yaml", "the whole result, exact quantities"],
  ];
  const output = formats.map(([format, meaning]) => `  ${format.padEnd(12)}${meaning}`);
  return [
    ...(outputs[command] === undefined ? [] : ["\nOutput formats (-o):", ...output]),
    ...(lines.length === 0 ? [] : ["\nExamples:", ...lines]),
  ].join("\n");
}

/** Adds the examples to every command's --help, and the exit statuses to carpool's own. */
export function addHelpExamples(program: Command): void {
  for (const command of program.commands) {
    const text = section(command.name());
    if (text !== "") command.addHelpText("after", text);
  }
  program.addHelpText(
    "after",
    `\nExamples:\n  $ carpool plan -f examples/eks\n  $ carpool explain shop/web-0 -f examples/eks\n  $ carpool simulate --report demo.html\n  $ carpool <command> --help\n\n${exitStatuses}`,
  );
}

/** Every example line of a command, for the test that runs them. */
export function examplesOf(command: string): readonly string[] {
  return (examples[command] ?? []).map((line) => line.replace(/\s+#.*$/, ""));
}
