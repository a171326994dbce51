import type { HookResult } from "../hooks/run-hook.ts";

type HookFailure = Extract<HookResult, { ok: false }>;

/**
 * A machine was free and fitted, but switching it on failed (the powerOn hook's exit status, HTTP
 * status or timeout). Not a capacity problem: the offering stays available and the launch may be
 * tried again. The message carries the hook's own words, secrets redacted.
 */
export class LaunchFailedError extends Error {
  readonly machine: string;
  /** How the hook failed: `timeout`, `exit`, `http` or `unreachable`. */
  readonly reason: HookFailure["reason"];
  /** Whether the machine is free again (its record removed from the claim). */
  readonly released: boolean;
  constructor(machine: string, failure: HookFailure, released: boolean, more = "") {
    super(`launch on machine ${machine} failed: powerOn: ${failure.message}${more}`);
    this.name = "LaunchFailedError";
    this.machine = machine;
    this.reason = failure.reason;
    this.released = released;
  }
}

/** Switching a machine off failed; it stays held by its claim, and termination tries again. */
export class PowerOffFailedError extends Error {
  readonly machine: string;
  readonly reason: HookFailure["reason"];
  constructor(machine: string, failure: HookFailure) {
    super(`switching machine ${machine} off failed: powerOff: ${failure.message}`);
    this.name = "PowerOffFailedError";
    this.machine = machine;
    this.reason = failure.reason;
  }
}
