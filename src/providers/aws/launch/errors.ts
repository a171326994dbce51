/**
 * A launch that failed for another reason than capacity: an EC2 error code and its message
 * (never the user data, which EC2 does not repeat and carpool never puts in a message). Not retried
 * as capacity: the lifecycle controller records it and tries again later.
 */
export class LaunchFailedError extends Error {
  /** The EC2 error code (`InvalidParameterValue`, `UnauthorizedOperation`, …). */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "LaunchFailedError";
    this.code = code;
  }
}

/** The error code of an AWS SDK error (its `name`, as SDK v3 sets it from the service's code). */
export function awsErrorCode(error: unknown): string | undefined {
  if (error === null || typeof error !== "object") return undefined;
  const { name, Code, code } = error as { name?: unknown; Code?: unknown; code?: unknown };
  for (const value of [Code, code, name])
    if (typeof value === "string" && value !== "" && value !== "Error") return value;
  return undefined;
}

export function awsErrorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Codes EC2 answers for an ID or name that does not exist (Karpenter's notFoundErrorCodes). */
export const NotFoundCodes: ReadonlySet<string> = new Set([
  "InvalidInstanceID.NotFound",
  "InvalidInstanceID.Malformed",
  "InvalidLaunchTemplateName.NotFoundException",
  "InvalidLaunchTemplateId.NotFound",
]);

export function isNotFound(error: unknown): boolean {
  return NotFoundCodes.has(awsErrorCode(error) ?? "");
}

export const LaunchTemplateNotFoundCodes: ReadonlySet<string> = new Set([
  "InvalidLaunchTemplateName.NotFoundException",
  "InvalidLaunchTemplateId.NotFound",
]);

export const LaunchTemplateExistsCode = "InvalidLaunchTemplateName.AlreadyExistsException";
