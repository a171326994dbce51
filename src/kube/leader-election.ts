import { ApiError } from "./api-error.ts";
import { microTime } from "./micro-time.ts";
import type { KubeRest } from "./rest.ts";

/** client-go's (and controller-runtime's, and so Karpenter's) defaults. */
export const LeaseDurationSeconds = 15;
export const RenewDeadlineMs = 10_000;
export const RetryPeriodMs = 2_000;

export interface LeaderElectionOptions {
  readonly rest: KubeRest;
  readonly namespace: string;
  readonly name: string;
  /** Who holds the lease: unique per process (pod name plus a random suffix). */
  readonly identity: string;
  readonly onStartedLeading: () => void;
  /** The lease could not be renewed within the renew deadline: stop acting at once. */
  readonly onStoppedLeading: () => void;
  readonly onError?: (error: unknown) => void;
}

interface Lease {
  apiVersion: "coordination.k8s.io/v1";
  kind: "Lease";
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: {
    holderIdentity?: string | null;
    leaseDurationSeconds?: number;
    acquireTime?: string | null;
    renewTime?: string | null;
    leaseTransitions?: number;
  };
}

/**
 * Leader election on a `coordination.k8s.io/v1` Lease, as client-go's leaderelection does: try to
 * acquire every retry period; a lease held by another is taken over only once it has not been
 * renewed for its duration as observed on this process's own clock (so clock skew between
 * replicas does not matter); the leader renews every retry period and gives up when a renewal
 * has not succeeded within the renew deadline. `release()` hands the lease back (SIGTERM), so a
 * standby takes over at once instead of after the lease duration.
 */
export class LeaderElector {
  readonly #options: LeaderElectionOptions;
  #observed: { record: string; at: number } | undefined;
  #lease: Lease | undefined;
  #leading = false;
  #lastRenew = 0;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: LeaderElectionOptions) {
    this.#options = options;
  }

  get leading(): boolean {
    return this.#leading;
  }

  start(): void {
    void this.#tick();
  }

  /** Stops trying; if leading, empties the lease's holder so another replica acquires it now. */
  async release(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    if (!this.#leading || this.#lease === undefined) return;
    this.#leading = false;
    const now = microTime(new Date());
    try {
      await this.#options.rest.request("PUT", this.#path(), {
        body: {
          ...this.#lease,
          spec: {
            ...this.#lease.spec,
            holderIdentity: "",
            leaseDurationSeconds: 1,
            acquireTime: now,
            renewTime: now,
          },
        },
      });
    } catch (error) {
      this.#options.onError?.(error);
    }
  }

  async #tick(): Promise<void> {
    if (this.#stopped) return;
    try {
      const ok = await this.#tryAcquireOrRenew();
      if (ok) this.#lastRenew = Date.now();
      if (ok && !this.#leading) {
        this.#leading = true;
        this.#options.onStartedLeading();
      }
    } catch (error) {
      this.#options.onError?.(error);
    }
    if (this.#leading && Date.now() - this.#lastRenew > RenewDeadlineMs) {
      this.#leading = false;
      this.#stopped = true;
      this.#options.onStoppedLeading();
      return;
    }
    if (!this.#stopped) this.#timer = setTimeout(() => void this.#tick(), RetryPeriodMs);
  }

  async #tryAcquireOrRenew(): Promise<boolean> {
    const { rest, identity, name, namespace } = this.#options;
    const now = new Date();
    let lease: Lease | undefined;
    try {
      lease = await rest.request<Lease>("GET", this.#path());
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    }
    const spec = {
      holderIdentity: identity,
      leaseDurationSeconds: LeaseDurationSeconds,
      renewTime: microTime(now),
    };
    if (lease === undefined) {
      this.#lease = await rest.request<Lease>(
        "POST",
        `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases`,
        {
          body: {
            apiVersion: "coordination.k8s.io/v1",
            kind: "Lease",
            metadata: { name, namespace },
            spec: { ...spec, acquireTime: microTime(now), leaseTransitions: 0 },
          },
        },
      );
      this.#observe(this.#lease, now);
      return true;
    }
    this.#observe(lease, now);
    const holder = lease.spec.holderIdentity ?? "";
    const duration = (lease.spec.leaseDurationSeconds ?? LeaseDurationSeconds) * 1000;
    const expired = (this.#observed?.at ?? 0) + duration <= now.getTime();
    if (holder !== "" && holder !== identity && !expired) return false;
    const mine = holder === identity;
    this.#lease = await rest.request<Lease>("PUT", this.#path(), {
      body: {
        ...lease,
        spec: {
          ...lease.spec,
          ...spec,
          acquireTime: mine ? lease.spec.acquireTime : microTime(now),
          leaseTransitions: (lease.spec.leaseTransitions ?? 0) + (mine ? 0 : 1),
        },
      },
    });
    this.#observe(this.#lease, now);
    return true;
  }

  /** Remembers when the lease record last changed, by this process's clock. */
  #observe(lease: Lease, now: Date): void {
    const record = JSON.stringify(lease.spec);
    if (this.#observed?.record !== record) this.#observed = { record, at: now.getTime() };
  }

  #path(): string {
    const { namespace, name } = this.#options;
    return `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases/${encodeURIComponent(name)}`;
  }
}
