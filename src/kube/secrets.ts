import type { KubeRest } from "./rest.ts";

export interface SecretKeyRef {
  readonly namespace: string;
  readonly name: string;
  readonly key: string;
}

/**
 * One key of a Secret, read from the API server when it is needed (so a rotated token is used at
 * once) and never cached, logged or put in an error: an error names the Secret and the key only.
 */
export async function readSecretKey(rest: KubeRest, ref: SecretKeyRef): Promise<string> {
  const where = `Secret ${ref.namespace}/${ref.name} key ${ref.key}`;
  let secret: { data?: Record<string, string> };
  try {
    secret = await rest.request(
      "GET",
      `/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/secrets/${encodeURIComponent(ref.name)}`,
    );
  } catch (error) {
    const status = (error as { status?: number }).status;
    throw new Error(
      `${where}: ${status === 404 ? "not found" : status === 403 ? "carpool may not read it (RBAC)" : "could not be read"}`,
    );
  }
  const value = secret.data?.[ref.key];
  if (value === undefined) throw new Error(`${where}: no such key`);
  return Buffer.from(value, "base64").toString("utf8").trim();
}
