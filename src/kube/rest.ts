import { readFileSync } from "node:fs";
import { HttpMethod, type KubeConfig, RequestContext } from "@kubernetes/client-node";
import { fetch } from "undici";
import { apiErrorOf } from "./api-error.ts";

const RequestTimeoutMs = 60_000;

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RequestOptions {
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  /** Defaults to `application/json`; patches name their strategy. */
  readonly contentType?: string;
  /** Defaults to `application/json`; `application/json;as=Table;v=v1;g=meta.k8s.io` asks for a Table. */
  readonly accept?: string;
  readonly signal?: AbortSignal;
}

/**
 * The API server over HTTPS, authenticated as the kubeconfig says (client certificates, bearer
 * tokens, exec plugins, in-cluster service account) through client-node's KubeConfig. Answers
 * are parsed JSON; a non-2xx answer is an ApiError carrying the Status reason.
 */
export class KubeRest {
  readonly #config: KubeConfig;
  readonly server: string;
  /** The base64 PEM bundle the server's certificate is checked against, when the kubeconfig has one. */
  readonly certificateAuthority: string | undefined;
  readonly userAgent: string;

  constructor(config: KubeConfig, userAgent = "carpool") {
    const cluster = config.getCurrentCluster();
    if (cluster === null) throw new Error("the kubeconfig has no current cluster");
    this.#config = config;
    this.server = cluster.server.replace(/\/+$/, "");
    this.certificateAuthority =
      cluster.caData ??
      (cluster.caFile ? readFileSync(cluster.caFile).toString("base64") : undefined);
    this.userAgent = userAgent;
  }

  async request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
    // A request that hangs (a half-open connection) fails after a minute instead of holding a
    // controller pass, or its shutdown, for ever. Watches (`open`) time themselves.
    const response = await this.open(method, path, {
      ...options,
      signal: options.signal ?? AbortSignal.timeout(RequestTimeoutMs),
    });
    const text = await response.text();
    if (response.status < 200 || response.status > 299)
      throw apiErrorOf(
        response.status,
        text,
        `${method} ${path}`,
        response.headers.get("retry-after"),
      );
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }

  /** Sends the request and hands back the response unread (watches stream their body). */
  async open(method: Method, path: string, options: RequestOptions = {}) {
    const url = new URL(this.server + path);
    for (const [key, value] of Object.entries(options.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    const context = new RequestContext(url.toString(), HttpMethod[method]);
    await this.#config.applySecurityAuthentication(context);
    const headers: Record<string, string> = {
      ...context.getHeaders(),
      Accept: options.accept ?? "application/json",
      "User-Agent": this.userAgent,
      ...(options.body !== undefined && {
        "Content-Type": options.contentType ?? "application/json",
      }),
    };
    return fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      dispatcher: context.getDispatcher(),
      signal: options.signal,
    });
  }
}
