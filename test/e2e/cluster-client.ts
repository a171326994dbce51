// What the end-to-end tests do to the dev cluster as a user would with kubectl: apply manifests,
// read objects, wait for a condition. Built on carpool's own REST client (src/kube/rest.ts).
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { ApiError } from "../../src/kube/api-error.ts";
import { loadKubeConfig } from "../../src/kube/config.ts";
import { groupVersionPath, knownResources } from "../../src/kube/resources.ts";
import { KubeRest } from "../../src/kube/rest.ts";

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string; resourceVersion?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** Resources beyond the ones carpool reads, that tests create. */
const extra: Record<string, { plural: string; namespaced: boolean }> = {
  Namespace: { plural: "namespaces", namespaced: false },
  CustomResourceDefinition: { plural: "customresourcedefinitions", namespaced: false },
  ServiceAccount: { plural: "serviceaccounts", namespaced: true },
  Lease: { plural: "leases", namespaced: true },
  Event: { plural: "events", namespaced: true },
  ClusterRole: { plural: "clusterroles", namespaced: false },
  ClusterRoleBinding: { plural: "clusterrolebindings", namespaced: false },
  Role: { plural: "roles", namespaced: true },
  RoleBinding: { plural: "rolebindings", namespaced: true },
  Service: { plural: "services", namespaced: true },
  Secret: { plural: "secrets", namespaced: true },
};

export class ClusterClient {
  readonly rest: KubeRest;

  constructor(kubeconfig: string) {
    this.rest = new KubeRest(loadKubeConfig({ kubeconfig }), "carpool-e2e");
  }

  path(apiVersion: string, kind: string, namespace?: string, name?: string): string {
    const known = knownResources().find((r) => r.kind === kind);
    const resource = known ?? extra[kind];
    if (resource === undefined) throw new Error(`the e2e client does not know ${kind}`);
    const ns = resource.namespaced ? `/namespaces/${namespace ?? "default"}` : "";
    return `${groupVersionPath(apiVersion)}${ns}/${resource.plural}${name === undefined ? "" : `/${name}`}`;
  }

  /** Creates the object, or replaces it when it exists (kubectl apply, roughly). */
  async apply(object: Manifest): Promise<Manifest> {
    const { apiVersion, kind } = object;
    const namespace = object.metadata.namespace;
    try {
      return await this.rest.request("POST", this.path(apiVersion, kind, namespace), {
        body: object,
      });
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 409)) throw error;
      const path = this.path(apiVersion, kind, namespace, object.metadata.name);
      const current = await this.rest.request<Manifest>("GET", path);
      return this.rest.request("PUT", path, {
        body: {
          ...object,
          metadata: { ...object.metadata, resourceVersion: current.metadata.resourceVersion },
        },
      });
    }
  }

  async applyFile(file: string): Promise<void> {
    for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
      const object = document.toJSON() as Manifest | null;
      if (object !== null) await this.apply(object);
    }
  }

  async get<T = Manifest>(
    apiVersion: string,
    kind: string,
    name: string,
    namespace?: string,
  ): Promise<T | undefined> {
    try {
      return await this.rest.request<T>("GET", this.path(apiVersion, kind, namespace, name));
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  async list<T = Manifest>(apiVersion: string, kind: string, namespace?: string): Promise<T[]> {
    const known = knownResources().find((r) => r.kind === kind) ?? extra[kind];
    const path =
      namespace === undefined && known?.namespaced
        ? `${groupVersionPath(apiVersion)}/${known.plural}`
        : this.path(apiVersion, kind, namespace);
    const list = await this.rest.request<{ items: T[] }>("GET", path);
    return list.items;
  }

  async delete(apiVersion: string, kind: string, name: string, namespace?: string): Promise<void> {
    try {
      await this.rest.request("DELETE", this.path(apiVersion, kind, namespace, name));
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    }
  }

  async patch(
    apiVersion: string,
    kind: string,
    name: string,
    patch: unknown,
    namespace?: string,
  ): Promise<Manifest> {
    return this.rest.request("PATCH", this.path(apiVersion, kind, namespace, name), {
      body: patch,
      contentType: "application/merge-patch+json",
    });
  }
}

/** Polls until `check` returns a value other than undefined, or fails naming what it waited for. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 90_000,
  everyMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(
    `timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? ` (last error: ${String(last)})` : ""}`,
  );
}
