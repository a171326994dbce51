import { spawn } from "node:child_process";
import { fetch } from "undici";
import type { Hook } from "../../api/hooks.ts";
import { parseDuration } from "../../disruption/duration.ts";

export const DefaultHookTimeoutMs = 60_000;
export const DefaultHookRetries = 2;
/** What is kept of a hook's output, for the NodeClaim's condition and the log. */
const MaxOutput = 64 * 1024;
const MaxReported = 2000;
/** The environment a command hook gets: enough to run, none of the controller's credentials. */
const PassedEnvironment = ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR"];

export type HookResult =
  | { readonly ok: true; readonly output: string; readonly attempts: number }
  | {
      readonly ok: false;
      /** `timeout`, `exit` (non-zero status or a signal), `http` (not 2xx), `unreachable`. */
      readonly reason: "timeout" | "exit" | "http" | "unreachable";
      /** One line for people: what failed, with the tail of the hook's output. */
      readonly message: string;
      readonly attempts: number;
    };

export interface HookOptions {
  /** Strings never to repeat from a hook's output (the join token): replaced by [REDACTED]. */
  readonly secrets?: readonly string[];
  /** Waits between attempts (tests pass a quick one). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs a hook with a JSON document: a command (argv, no shell) gets it on standard input and
 * answers on standard output with exit status 0; a webhook gets it as a POST body and answers 2xx.
 * Each attempt has the hook's timeout (a command still running then is sent SIGTERM, then
 * SIGKILL); a failed attempt is tried again up to `retries` times, 1 s, 2 s, 4 s apart — so hooks
 * must be idempotent. A failure says why, with the tail of what the hook printed, secrets
 * removed.
 */
export async function runHook(
  hook: Hook,
  document: unknown,
  options: HookOptions = {},
): Promise<HookResult> {
  const timeoutMs = hook.timeout === undefined ? DefaultHookTimeoutMs : parseDuration(hook.timeout);
  const retries = hook.retries ?? DefaultHookRetries;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const body = JSON.stringify(document);
  let last: HookResult | undefined;
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    if (attempt > 1) await sleep(Math.min(1000 * 2 ** (attempt - 2), 8000));
    const result =
      hook.exec !== undefined
        ? await runCommand(hook.exec.command, body, timeoutMs, attempt)
        : hook.webhook !== undefined
          ? await callWebhook(hook.webhook.url, body, timeoutMs, attempt)
          : ({
              ok: false,
              reason: "unreachable",
              message: "the hook has neither exec nor webhook",
              attempts: attempt,
            } as const);
    last = redact(result, options.secrets ?? []);
    if (last.ok) return last;
  }
  return last as HookResult;
}

function runCommand(
  command: readonly string[],
  input: string,
  timeoutMs: number,
  attempt: number,
): Promise<HookResult> {
  const [file = "", ...args] = command;
  const env = Object.fromEntries(
    PassedEnvironment.flatMap((k) =>
      process.env[k] === undefined ? [] : [[k, process.env[k] as string]],
    ),
  );
  return new Promise((resolve) => {
    // The answer is standard output alone; a failure reports both streams as they came.
    let answer = "";
    let output = "";
    let timedOut = false;
    const child = spawn(file, args, { stdio: ["pipe", "pipe", "pipe"], env });
    const keep = (chunk: Buffer, isAnswer: boolean) => {
      const text = chunk.toString("utf8");
      if (output.length < MaxOutput) output += text.slice(0, MaxOutput - output.length);
      if (isAnswer && answer.length < MaxOutput) answer += text.slice(0, MaxOutput - answer.length);
    };
    child.stdout.on("data", (chunk: Buffer) => keep(chunk, true));
    child.stderr.on("data", (chunk: Buffer) => keep(chunk, false));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5000).unref();
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({
        ok: false,
        reason: "exit",
        message: `${file}: ${error.message}`,
        attempts: attempt,
      });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (timedOut)
        resolve({
          ok: false,
          reason: "timeout",
          message: `${file} did not finish within ${timeoutMs / 1000}s${tail(output)}`,
          attempts: attempt,
        });
      else if (code === 0) resolve({ ok: true, output: answer, attempts: attempt });
      else
        resolve({
          ok: false,
          reason: "exit",
          message: `${file} ${signal === null ? `exited with status ${code}` : `was killed by ${signal}`}${tail(output)}`,
          attempts: attempt,
        });
    });
    // A hook that does not read its input is fine: ignore the broken pipe.
    child.stdin.on("error", () => {});
    child.stdin.end(input);
  });
}

async function callWebhook(
  url: string,
  body: string,
  timeoutMs: number,
  attempt: number,
): Promise<HookResult> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "User-Agent": "carpool" },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = (await response.text()).slice(0, MaxOutput);
    if (response.status >= 200 && response.status <= 299)
      return { ok: true, output: text, attempts: attempt };
    return {
      ok: false,
      reason: "http",
      message: `${origin(url)} answered ${response.status}${tail(text)}`,
      attempts: attempt,
    };
  } catch (error) {
    const name = (error as Error).name;
    if (name === "TimeoutError" || name === "AbortError")
      return {
        ok: false,
        reason: "timeout",
        message: `${origin(url)} did not answer within ${timeoutMs / 1000}s`,
        attempts: attempt,
      };
    const cause =
      (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    return {
      ok: false,
      reason: "unreachable",
      message: `${origin(url)}: ${cause}`,
      attempts: attempt,
    };
  }
}

/** The URL without its path and query (which may carry a token). */
function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "the webhook";
  }
}

/** The hook's output for a message; cut to its last MaxReported characters after redaction. */
function tail(output: string): string {
  const text = output.trim();
  return text === "" ? "" : `: ${text}`;
}

function redact(result: HookResult, secrets: readonly string[]): HookResult {
  const scrub = (text: string) =>
    secrets.filter((s) => s.length >= 4).reduce((t, s) => t.split(s).join("[REDACTED]"), text);
  if (result.ok) return { ...result, output: scrub(result.output) };
  const message = scrub(result.message);
  return {
    ...result,
    message: message.length > MaxReported ? `…${message.slice(-MaxReported)}` : message,
  };
}
