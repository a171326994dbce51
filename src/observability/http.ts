import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

export interface ProbeChecks {
  /** Liveness: false (or a throw) makes `/healthz` answer 500 and the kubelet restart carpool. */
  healthy(): boolean | Promise<boolean>;
  /** Readiness: false until caches are synced and this replica may act (leader or not). */
  ready(): boolean | Promise<boolean>;
}

export interface ProbeServerOptions {
  /** Serves `GET /metrics`; 0 picks a free port. Karpenter's default is 8080. */
  readonly metricsPort: number;
  /** Serves `GET /healthz` and `GET /readyz`; 0 picks a free port. Karpenter's default is 8081. */
  readonly healthPort: number;
  /**
   * The address both servers bind. Absent, Node's default applies (every interface, as a pod's
   * probes and Prometheus need); pass `127.0.0.1` to keep them local.
   */
  readonly host?: string;
  readonly registry: Registry;
  readonly checks: ProbeChecks;
}

export interface ProbeServers {
  /** The ports actually bound (the chosen ones when 0 was asked). */
  readonly metricsPort: number;
  readonly healthPort: number;
  close(): Promise<void>;
}

type Route = (response: ServerResponse) => Promise<void>;

/**
 * Starts the metrics and health servers (node:http). `/metrics` is prom-client's text format;
 * `/healthz` and `/readyz` answer 200 `ok` or 500 with a line saying why; any other path is 404.
 * The same non-zero port for both serves every path from one server.
 */
export async function startProbeServers(options: ProbeServerOptions): Promise<ProbeServers> {
  const metricsRoutes: Record<string, Route> = {
    "/metrics": (response) => serveMetrics(options.registry, response),
  };
  const healthRoutes: Record<string, Route> = {
    "/healthz": (response) => serveCheck("healthz", () => options.checks.healthy(), response),
    "/readyz": (response) => serveCheck("readyz", () => options.checks.ready(), response),
  };
  if (options.metricsPort !== 0 && options.metricsPort === options.healthPort) {
    const server = await listen(
      { ...metricsRoutes, ...healthRoutes },
      options.metricsPort,
      options.host,
    );
    const port = boundPort(server);
    return { metricsPort: port, healthPort: port, close: () => close(server) };
  }
  const metrics = await listen(metricsRoutes, options.metricsPort, options.host);
  let health: Server;
  try {
    health = await listen(healthRoutes, options.healthPort, options.host);
  } catch (error) {
    await close(metrics);
    throw error;
  }
  return {
    metricsPort: boundPort(metrics),
    healthPort: boundPort(health),
    close: async () => {
      await Promise.all([close(metrics), close(health)]);
    },
  };
}

function listen(
  routes: Record<string, Route>,
  port: number,
  host: string | undefined,
): Promise<Server> {
  const server = createServer((request, response) => {
    handle(routes, request, response).catch(() => {
      if (!response.headersSent) respond(response, 500, "internal error\n");
      else response.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port, host }, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}

async function handle(
  routes: Record<string, Route>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const path = new URL(request.url ?? "/", "http://probe").pathname;
  const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
  if (route === undefined) return respond(response, 404, "404 page not found\n");
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.setHeader("Allow", "GET, HEAD");
    return respond(response, 405, "method not allowed\n");
  }
  await route(response);
}

async function serveMetrics(registry: Registry, response: ServerResponse): Promise<void> {
  const body = await registry.metrics();
  respond(response, 200, body, registry.contentType);
}

async function serveCheck(
  name: string,
  check: () => boolean | Promise<boolean>,
  response: ServerResponse,
): Promise<void> {
  let passed: boolean;
  let why = "";
  try {
    passed = await check();
  } catch (error) {
    passed = false;
    why = `: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (passed) respond(response, 200, "ok");
  else respond(response, 500, `${name} check failed${why}\n`);
}

function respond(
  response: ServerResponse,
  status: number,
  body: string,
  type = "text/plain; charset=utf-8",
): void {
  response.writeHead(status, {
    "Content-Type": type,
    "Content-Length": Buffer.byteLength(body),
    "X-Content-Type-Options": "nosniff",
  });
  response.end(response.req.method === "HEAD" ? undefined : body);
}

function boundPort(server: Server): number {
  return (server.address() as AddressInfo).port;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive connections (Prometheus keeps one open) would hold close() forever.
    server.closeAllConnections();
  });
}
