import { Argument, Command, Option } from "commander";
import { addHelpExamples } from "./help-examples.ts";
import { runProgram } from "./run-program.ts";

/**
 * The carpool command. Each subcommand loads its implementation lazily, so `carpool --help`
 * stays fast and a command pulls in only what it uses.
 */
const program = new Command("carpool")
  .description(
    "Just-in-time Kubernetes nodes for EKS, k3s and bare machines, speaking the Karpenter v1 API",
  )
  .version("0.1.0")
  .option("--no-color", "no colour in tables (also NO_COLOR=1; colour only on a terminal)")
  .showHelpAfterError();

/** The style of standard output: colour for a terminal, unless --no-color or NO_COLOR. */
const outputStyle = async () =>
  (await import("./colour.ts")).stdoutStyle(program.opts().color !== false);

const outputOption = (...more: string[]) =>
  new Option("-o, --output <format>", "output format")
    .choices(["table", "json", "yaml", ...more])
    .default("table");

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** How manifests are read, as kubectl reads them (`--validate=strict`, `-R`). */
const strictOption = [
  "--strict",
  "unknown fields are errors, not warnings (as kubectl --validate=strict)",
] as const;
const recursiveOption = [
  "-R, --recursive",
  "read the subdirectories of -f directories too (as kubectl -R)",
] as const;

/** The options of the commands that read a cluster snapshot. */
const snapshotCommand = (name: string, description: string, outputs: string[] = []) =>
  program
    .command(name)
    .description(description)
    // No default: a default would satisfy the requirement, and no input would read as an empty,
    // confidently fitting cluster.
    .requiredOption(
      "-f, --filename <path>",
      "manifest file, directory or - for stdin (repeatable)",
      collect,
    )
    .addOption(outputOption(...outputs))
    .option("--region <region>", "region of the built-in AWS catalog", "us-east-1")
    .option(...strictOption)
    .option(...recursiveOption);

snapshotCommand(
  "plan",
  "show which nodes carpool would launch for the pending pods in a snapshot",
  ["wide", "name"],
)
  .option("--fail-unschedulable", "exit 3 when some pending pod cannot be placed (for CI gates)")
  .action(async (options) => {
    const { runPlan } = await import("./plan-command.ts");
    process.exitCode = runPlan(options, await outputStyle());
  });

snapshotCommand(
  "explain",
  "explain, for one pending pod, why each NodePool and node can or cannot take it",
  ["name"],
)
  .argument("<pod>", "the pod, as NAMESPACE/NAME or NAME (namespace default)")
  .action(async (pod, options) => {
    const { runExplain } = await import("./explain-command.ts");
    process.exitCode = runExplain(pod, options);
  });

snapshotCommand(
  "disrupt",
  "show which nodes disruption would delete or replace now (emptiness, drift, expiration, consolidation)",
  ["wide", "name"],
)
  .option("--now <time>", "the clock for expiration and consolidateAfter (RFC 3339; default now)")
  .option("--no-spot-to-spot", "do not replace spot nodes with cheaper spot nodes")
  .action(async (options) => {
    const { runDisrupt } = await import("./disrupt-command.ts");
    process.exitCode = runDisrupt(options, await outputStyle());
  });

program
  .command("simulate")
  .description("run the controllers against a simulated cluster and cloud in virtual time")
  .argument(
    "[scenario]",
    "a Scenario file (default: the bundled demo; with -f and no scenario, the -f objects alone for 1h)",
  )
  .option(
    "-f, --filename <path>",
    "more objects: NodePools, InstanceTypes, workloads (repeatable); they take part from the start",
    collect,
    [],
  )
  .option(...strictOption)
  .option(...recursiveOption)
  .addOption(outputOption())
  .option(
    "--report <file.html>",
    "write a self-contained HTML report with charts and the event log",
  )
  .option("--seed <n>", "the seed every random choice derives from (default: the scenario's)")
  .action(async (scenario, options) => {
    const { runSimulate } = await import("./simulate-command.ts");
    process.exitCode = await runSimulate(scenario, options);
  });

program
  .command("catalog")
  .description("list instance types, their allocatable resources and prices")
  .option(
    "-f, --filename <path>",
    "InstanceType manifests to list instead of the built-in catalog; NodePools and node classes for --nodepool",
    collect,
    [],
  )
  .option("--region <region>", "region of the built-in AWS catalog", "us-east-1")
  .option("-l, --selector <selector>", "label selector, e.g. karpenter.k8s.aws/instance-family=m5")
  .option(
    "--nodepool <name>",
    "only the types this NodePool (in -f) may launch, priced with its node class's volumes and public IPv4",
  )
  .addOption(outputOption("wide", "name"))
  .action(async (options) => {
    const { runCatalog } = await import("./catalog-command.ts");
    process.exitCode = runCatalog(options, await outputStyle());
  });

const setting = (flags: string, description: string, env: string) =>
  new Option(flags, description).env(env);

program
  .command("controller")
  .description("run the controllers against a real cluster: provision, disrupt and remove nodes")
  .addOption(
    setting(
      "--kubeconfig <file>",
      "kubeconfig file; else KUBECONFIG, in-cluster, ~/.kube/config",
      "CARPOOL_KUBECONFIG",
    ),
  )
  .addOption(
    setting("--context <name>", "kubeconfig context other than the current one", "KUBE_CONTEXT"),
  )
  .addOption(
    setting("--cloud-provider <name>", "where nodes come from", "CLOUD_PROVIDER")
      .choices(["kwok", "static", "exec", "aws"])
      .makeOptionMandatory(),
  )
  .addOption(
    setting("--cluster-name <name>", "the cluster's name (tags, bootstrap)", "CLUSTER_NAME"),
  )
  .addOption(
    setting(
      "--cluster-endpoint <url>",
      "the API server nodes join (aws; else EKS DescribeCluster)",
      "CLUSTER_ENDPOINT",
    ),
  )
  .addOption(
    setting(
      "--cluster-ca-bundle <base64>",
      "the CA bundle nodes trust the API server with (aws; else DescribeCluster, then the controller's own)",
      "CLUSTER_CA_BUNDLE",
    ),
  )
  .addOption(
    setting(
      "--region <region>",
      "AWS region (aws, the interruption queue; the built-in catalog of kwok without InstanceTypes)",
      "AWS_REGION",
    ).default("us-east-1"),
  )
  .addOption(setting("--leader-elect", "elect one active replica through a Lease", "LEADER_ELECT"))
  .addOption(
    setting(
      "--leader-election-namespace <ns>",
      "namespace of the Lease",
      "SYSTEM_NAMESPACE",
    ).default("kube-system"),
  )
  .addOption(
    setting("--leader-election-name <name>", "name of the Lease", "LEADER_ELECTION_NAME").default(
      "carpool-leader-election",
    ),
  )
  .addOption(
    setting("--metrics-port <port>", "Prometheus metrics on /metrics", "METRICS_PORT").default(
      "8080",
    ),
  )
  .addOption(
    setting("--health-port <port>", "/healthz and /readyz", "HEALTH_PROBE_PORT").default("8081"),
  )
  .addOption(
    setting(
      "--bind-address <host>",
      "address the metrics and health servers listen on",
      "BIND_ADDRESS",
    ).default("0.0.0.0"),
  )
  .addOption(
    setting(
      "--feature-gates <gates>",
      "Name=true|false,… (SpotToSpotConsolidation, default true)",
      "FEATURE_GATES",
    ),
  )
  .addOption(
    setting(
      "--interruption-queue <name>",
      "SQS queue of EC2 interruption events (spot, rebalance, health, state change) to act on",
      "INTERRUPTION_QUEUE",
    ),
  )
  .addOption(
    setting("--log-level <level>", "least severe log level", "LOG_LEVEL")
      .choices(["debug", "info", "warn", "error"])
      .default("info"),
  )
  .addOption(
    setting("--log-format <format>", "log lines", "LOG_FORMAT")
      .choices(["json", "text"])
      .default("json"),
  )
  .action(async (options) => {
    const { runController } = await import("./controller-command.ts");
    process.exitCode = await runController(options);
  });

program
  .command("completion")
  .description("print a shell completion script for carpool's commands and options")
  .addArgument(new Argument("<shell>", "the shell").choices(["bash", "zsh", "fish"]))
  .action(async (shell) => {
    const { completionScript } = await import("./completion.ts");
    process.stdout.write(completionScript(program, shell));
  });

program
  .command("start", { hidden: true })
  .description("the job `npm start` runs: simulate the bundled demo scenario and write its report")
  .action(async () => {
    const { runStart } = await import("./start-command.ts");
    process.exitCode = await runStart();
  });

addHelpExamples(program);
await runProgram(program, process.argv);
