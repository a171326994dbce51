import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { ControllerContext } from "../controllers/context.ts";
import { UnavailableOfferings } from "../controllers/lifecycle/unavailable-offerings.ts";
import { loadKubeConfig } from "../kube/config.ts";
import { KubeEventRecorder } from "../kube/events.ts";
import { LeaderElector } from "../kube/leader-election.ts";
import { KubeRest } from "../kube/rest.ts";
import { KubeClusterStore } from "../kube/store.ts";
import { instrumentCloudProvider } from "../observability/cloud-provider.ts";
import { instrumentEvents } from "../observability/events.ts";
import { startProbeServers } from "../observability/http.ts";
import { interruptionMetrics } from "../observability/interruption.ts";
import { createLogger, type LogFormat, type LogLevel, objectFields } from "../observability/log.ts";
import { createMetrics } from "../observability/metrics.ts";
import { recordNodePools } from "../observability/nodepools.ts";
import { timeScheduling } from "../observability/scheduling.ts";
import { parseFeatureGates } from "../operator/feature-gates.ts";
import { Operator } from "../operator/operator.ts";
import { ConflictError } from "../ports/cluster-store.ts";
import type { InterruptionQueue } from "../ports/interruption-queue.ts";
import {
  type CloudProviderName,
  type ProviderParts,
  providerWirings,
  watchedKinds,
} from "./controller-providers.ts";
import { ExitCode } from "./output.ts";

export interface ControllerOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly cloudProvider: CloudProviderName;
  readonly clusterName?: string;
  /** Karpenter's CLUSTER_ENDPOINT: the API server nodes join (aws). */
  readonly clusterEndpoint?: string;
  /** Karpenter's CLUSTER_CA_BUNDLE: the base64 CA bundle nodes trust it with (aws). */
  readonly clusterCaBundle?: string;
  readonly region: string;
  readonly leaderElect?: boolean | string;
  readonly leaderElectionNamespace: string;
  readonly leaderElectionName: string;
  readonly metricsPort: string;
  readonly healthPort: string;
  readonly bindAddress: string;
  readonly featureGates?: string;
  /** An SQS queue of EC2 interruption events (Karpenter's `--interruption-queue`). */
  readonly interruptionQueue?: string;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
}

/**
 * `carpool controller`: the controllers of `carpool simulate`, wired to a real API server (caches
 * from watches, writes with conflicts, Events, a Lease) and a cloud provider, with metrics and
 * health probes. Runs until SIGTERM or SIGINT, then stops acting, hands the Lease back and exits.
 */
export async function runController(options: ControllerOptions): Promise<number> {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < 22) {
    process.stderr.write(
      `carpool controller needs Node.js 24 (this is ${process.version}); run it through bin/carpool after npm install\n`,
    );
    return ExitCode.invalidInput;
  }
  const log = createLogger({ level: options.logLevel, format: options.logFormat });
  const ports = parsePorts(options);
  if (typeof ports === "string") {
    log.error(ports);
    return ExitCode.invalidInput;
  }
  const gates = parseFeatureGates(options.featureGates);
  if (!gates.ok) {
    log.error(gates.error);
    return ExitCode.invalidInput;
  }
  let rest: KubeRest;
  try {
    rest = new KubeRest(loadKubeConfig(options), "carpool/0.1.0");
  } catch (error) {
    log.error({ error: (error as Error).message }, "cannot load a kubeconfig");
    return ExitCode.invalidInput;
  }
  const metrics = createMetrics();
  const identity = `${process.env.POD_NAME || hostname()}_${randomBytes(4).toString("hex")}`;
  let operator: Operator | undefined;
  const wiring = providerWirings[options.cloudProvider];
  const store = new KubeClusterStore(rest, watchedKinds(options.cloudProvider), {
    onChange: (object, deleted) => operator?.notify(object, deleted),
    onInvalid: (object, errors) => {
      const path = `${object.kind}/${object.metadata?.namespace ? `${object.metadata.namespace}/` : ""}${object.metadata?.name}`;
      const message = errors.map((e) => `${e.path}: ${e.message}`).join("; ");
      log.warn({ object: path, errors: message }, "object ignored: carpool cannot use it");
      events.record({
        kind: "InvalidObject",
        object: path,
        message: `ignored by carpool: ${message}`,
      });
    },
    onError: (error, what) => log.warn({ error: errorText(error), what }, "watch failed; retrying"),
  });
  const clock = { now: () => new Date() };
  const kubeEvents = new KubeEventRecorder({
    rest,
    lookup: (kind, name, namespace) => store.peek(kind, name, namespace),
    reportingInstance: identity,
    now: clock.now,
    onError: (error, event) =>
      log.warn(
        { error: errorText(error), event: event.kind, object: event.object },
        "event not recorded",
      ),
  });
  const events = instrumentEvents(
    {
      record: (event) => {
        log.info({ ...objectFields(event.object), reason: event.kind }, event.message);
        kubeEvents.record(event);
      },
    },
    metrics,
    {
      nodePoolOf: (ref) =>
        ref.kind === "NodeClaim" || ref.kind === "Node"
          ? store.peek(ref.kind, ref.name)?.metadata.labels?.["karpenter.sh/nodepool"]
          : undefined,
    },
  );
  const unavailable = new UnavailableOfferings();
  let provider: ProviderParts;
  try {
    provider = await wiring.make({
      unavailable,
      store,
      clock,
      rest,
      region: options.region,
      events,
      log: log.child({ provider: options.cloudProvider }),
      settings: {
        ...(options.clusterName !== undefined && { clusterName: options.clusterName }),
        ...(options.clusterEndpoint && { clusterEndpoint: options.clusterEndpoint }),
        ...(options.clusterCaBundle && { clusterCABundle: options.clusterCaBundle }),
      },
    });
  } catch (error) {
    log.error({ error: errorText(error) }, `cannot start the ${options.cloudProvider} provider`);
    return ExitCode.invalidInput;
  }
  const cloud = instrumentCloudProvider(provider.cloud, metrics, options.cloudProvider);
  const context: ControllerContext = {
    store,
    cloud,
    clock,
    events,
    unavailable,
  };
  let leading = false;
  const elector = asBoolean(options.leaderElect)
    ? new LeaderElector({
        rest,
        namespace: options.leaderElectionNamespace,
        name: options.leaderElectionName,
        identity,
        onStartedLeading: () => {
          log.info({ identity, lease: options.leaderElectionName }, "became the leader");
          leading = true;
          operator?.start();
        },
        onStoppedLeading: () => {
          // client-go's rule: a leader that could not renew in time must stop at once.
          log.error({ identity }, "lost the leader lease; exiting");
          process.exit(1);
        },
        onError: (error) => log.debug({ error: errorText(error) }, "leader election"),
      })
    : undefined;

  const probes = await startProbeServers({
    metricsPort: ports.metrics,
    healthPort: ports.health,
    host: options.bindAddress,
    registry: metrics.registry,
    checks: {
      healthy: () =>
        !leading || operator === undefined || Date.now() - operator.lastPass < 5 * 60_000,
      ready: () => store.isHealthy,
    },
  });
  log.info(
    {
      server: rest.server,
      provider: options.cloudProvider,
      metricsPort: probes.metricsPort,
      healthPort: probes.healthPort,
      identity,
    },
    "starting",
  );
  store.start();
  await store.synced();
  log.info("caches synced");
  const interruptions = await interruptionQueueOf(options, log, metrics.registry);
  operator = new Operator({
    context,
    nodeClasses: [wiring.nodeClass],
    ...(provider.controllers && { providerControllers: provider.controllers }),
    ...(interruptions && { interruptions }),
    featureGates: gates.gates,
    current: () => store.isHealthy,
    onStale: () => {
      const refused = store.refusals();
      // A watch that is reopening (a dropped connection, a busy server) is not a refusal.
      if (refused.length > 0)
        log.warn(
          { refused },
          "not acting: the API server refuses carpool's watches (check its RBAC)",
        );
      else log.info("not acting this pass: a watch is reopening, so the caches may be behind");
    },
    onError: (error, controller) => {
      if (error instanceof ConflictError)
        log.debug({ controller, error: errorText(error) }, "conflict; reading again");
      else log.error({ controller, error: errorText(error) }, "controller failed; retrying");
    },
    onProvisioning: (pods) => {
      const done = timeScheduling(metrics, { pods });
      return (result) => {
        done(result);
        void store.list("NodePool").then((pools) => recordNodePools(metrics, pools));
      };
    },
  });
  if (elector === undefined) {
    leading = true;
    operator.start();
  } else elector.start();

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, "stopping");
      resolve();
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
  await operator.stop();
  await kubeEvents.flush();
  await elector?.release();
  store.stop();
  await probes.close();
  log.info("stopped");
  // Everything is handed back; a connection still closing must not keep a stopped controller
  // alive past its pod's grace period.
  setTimeout(() => process.exit(ExitCode.ok), 2000).unref();
  return ExitCode.ok;
}

/** The SQS queue when one is named; its SDK loads only then, so other providers start fast. */
async function interruptionQueueOf(
  options: ControllerOptions,
  log: Logger,
  registry: Registry,
): Promise<InterruptionQueue | undefined> {
  const queueName = options.interruptionQueue;
  if (queueName === undefined || queueName === "") return undefined;
  const { sqsInterruptionQueue } = await import(
    "../providers/aws/interruption/sqs-interruption-queue.ts"
  );
  log.info({ queue: queueName, region: options.region }, "watching interruption queue");
  return sqsInterruptionQueue({
    queueName,
    region: options.region,
    log: log.child({ controller: "interruption", queue: queueName }),
    observer: interruptionMetrics(registry),
  });
}

function parsePorts(options: ControllerOptions): { metrics: number; health: number } | string {
  const port = (text: string, flag: string) => {
    const n = Number(text);
    return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : `${flag} ${text}: not a port`;
  };
  const metrics = port(options.metricsPort, "--metrics-port");
  const health = port(options.healthPort, "--health-port");
  if (typeof metrics === "string") return metrics;
  if (typeof health === "string") return health;
  return { metrics, health };
}

/** Commander gives `true` for a flag and the text for an environment variable. */
function asBoolean(value: boolean | string | undefined): boolean {
  if (typeof value === "string") return !["", "false", "0", "no"].includes(value.toLowerCase());
  return value === true;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
