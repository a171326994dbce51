/** A non-2xx answer from the API server, with its metav1.Status reason. */
export class ApiError extends Error {
  readonly status: number;
  /** metav1.Status `reason` (`Conflict`, `NotFound`, `Expired`, `TooManyRequests`, …). */
  readonly reason: string;
  /** Seconds to wait, from `Retry-After` or `details.retryAfterSeconds`. */
  readonly retryAfterSeconds: number | undefined;
  constructor(
    message: string,
    status: number,
    reason: string,
    retryAfterSeconds: number | undefined,
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.reason = reason;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The watch's resourceVersion is too old (HTTP 410 Gone, or an ERROR event with code 410). */
export function isGone(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 410 || error.reason === "Expired");
}

interface Status {
  readonly message?: string;
  readonly reason?: string;
  readonly code?: number;
  readonly details?: { readonly retryAfterSeconds?: number };
}

/** An ApiError from a response body that should be a metav1.Status. */
export function apiErrorOf(
  status: number,
  body: string,
  what: string,
  retryAfter?: string | null,
): ApiError {
  let parsed: Status = {};
  try {
    parsed = JSON.parse(body) as Status;
  } catch {
    parsed = { message: body.slice(0, 300) };
  }
  const seconds =
    retryAfter !== null && retryAfter !== undefined && /^\d+$/.test(retryAfter)
      ? Number(retryAfter)
      : parsed.details?.retryAfterSeconds;
  return new ApiError(
    `${what}: ${status} ${parsed.reason ?? ""}${parsed.message ? `: ${parsed.message}` : ""}`.trim(),
    status,
    parsed.reason ?? "",
    seconds,
  );
}
