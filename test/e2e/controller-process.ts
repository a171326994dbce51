// `bin/carpool controller` as a child process of a test: its JSON log lines kept for assertions,
// stopped with SIGTERM (graceful) or SIGKILL (a crash).
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "../cluster/harness.ts";

export interface LogLine {
  readonly level?: string;
  readonly message?: string;
  readonly reason?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly [field: string]: unknown;
}

export class ControllerProcess {
  readonly lines: LogLine[] = [];
  readonly #child: ChildProcess;
  readonly #exited: Promise<number | null>;
  #partial = "";
  stderr = "";

  constructor(
    kubeconfig: string,
    extra: readonly string[] = [],
    env: Readonly<Record<string, string>> = {},
  ) {
    this.#child = spawn(
      join(repoRoot, "bin", "carpool"),
      [
        "controller",
        "--kubeconfig",
        kubeconfig,
        "--cloud-provider",
        "kwok",
        "--metrics-port",
        "0",
        "--health-port",
        "0",
        "--bind-address",
        "127.0.0.1",
        "--log-level",
        "debug",
        ...extra,
      ],
      { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } },
    );
    this.#child.stdout?.setEncoding("utf8").on("data", (chunk: string) => this.#read(chunk));
    this.#child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      this.stderr += chunk;
    });
    this.#exited = new Promise((resolve) => this.#child.on("exit", (code) => resolve(code)));
  }

  /** Whether the process has not exited. */
  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  get pid(): number {
    return this.#child.pid ?? -1;
  }

  /** Log lines recording the controller event `reason` (NodeClaimCreated, ...). */
  events(reason: string): LogLine[] {
    return this.lines.filter((l) => l.reason === reason);
  }

  async waitForLog(
    what: string,
    match: (line: LogLine) => boolean,
    timeoutMs = 60_000,
  ): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const line = this.lines.find(match);
      if (line !== undefined) return line;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`controller ${this.pid} never logged ${what}; last lines:\n${this.tail()}`);
  }

  tail(n = 15): string {
    return [...this.lines.slice(-n).map((l) => JSON.stringify(l)), this.stderr.slice(-2000)].join(
      "\n",
    );
  }

  /** SIGTERM, then the exit code; a controller that has not exited 30 s later is killed (null). */
  async stop(): Promise<number | null> {
    this.#child.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), 30_000);
    });
    const outcome = await Promise.race([this.#exited, late]);
    clearTimeout(timer);
    if (outcome !== "late") return outcome;
    this.#child.kill("SIGKILL");
    await this.#exited;
    return null;
  }

  /** SIGKILL: no cleanup at all, as a crash or an OOM kill. */
  async kill(): Promise<void> {
    this.#child.kill("SIGKILL");
    await this.#exited;
  }

  #read(chunk: string): void {
    const text = this.#partial + chunk;
    const parts = text.split("\n");
    this.#partial = parts.pop() ?? "";
    for (const part of parts) {
      if (part.trim() === "") continue;
      try {
        this.lines.push(JSON.parse(part) as LogLine);
      } catch {
        this.lines.push({ message: part });
      }
    }
  }
}
