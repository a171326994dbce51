import type { SdkClient } from "../catalog-source.ts";

type Handler = (input: Record<string, unknown>) => unknown;

/** An AWS service error as the SDK v3 throws it: a name (the error code) and $metadata. */
export function awsError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
}

/**
 * An SDK client answering each command class by a handler of the test's (`DescribeSubnetsCommand:
 * (input) => output`), recording what was sent; a command without a handler fails the test.
 */
export class ScriptedClient implements SdkClient {
  readonly sent: { command: string; input: Record<string, unknown> }[] = [];
  readonly handlers: Record<string, Handler>;

  constructor(handlers: Record<string, Handler>) {
    this.handlers = handlers;
  }

  async send(command: object): Promise<unknown> {
    const name = command.constructor.name;
    const input = (command as { input: Record<string, unknown> }).input;
    this.sent.push({ command: name, input });
    const handler = this.handlers[name];
    if (handler === undefined) throw new Error(`the scripted client has no answer to ${name}`);
    return handler(input);
  }

  count(command: string): number {
    return this.sent.filter((s) => s.command === command).length;
  }
}

/** A clock the test moves. */
export class TestClock {
  #now: number;
  constructor(iso = "2026-05-01T00:00:00Z") {
    this.#now = Date.parse(iso);
  }
  now(): Date {
    return new Date(this.#now);
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}
