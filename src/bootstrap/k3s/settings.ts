import type { FieldError } from "../../api/field-errors.ts";
import type { UserDataFormat } from "../../ports/bootstrap.ts";

/** How k3s agents join: the server, the token, and how the agent gets onto the machine. */
export interface K3sSettings {
  /** The server (or its fixed registration address) the agent joins: `https://host[:port]` only. */
  readonly serverURL: string;
  /**
   * The join token, already read from its Secret by the caller. Written only into the agent's
   * config file (0600); never logged, never part of an error or an Event.
   */
  readonly token: string;
  /** A pinned k3s release (`v1.31.4+k3s1`); without it the install script takes the stable channel. */
  readonly version?: string;
  /**
   * Use the k3s binary already on the machine (/usr/local/bin/k3s); nothing is downloaded. With
   * `installScriptPath` the script runs with `INSTALL_K3S_SKIP_DOWNLOAD=true`; without it the agent
   * runs under a systemd unit the user data writes.
   */
  readonly airGapped?: boolean;
  readonly format: UserDataFormat;
  /** Where the machine downloads k3s's install script; default https://get.k3s.io. */
  readonly installScriptURL?: string;
  /** An install script already on the machine, run instead of downloading one. */
  readonly installScriptPath?: string;
}

/** The install script: downloaded from a URL, already at a path on the machine, or none (air-gapped). */
export type InstallScript =
  | { readonly kind: "download"; readonly url: string }
  | { readonly kind: "local"; readonly path: string }
  | { readonly kind: "none" };

/** Settings after validation and defaults, as the renderers use them. */
export interface ResolvedK3sSettings {
  readonly serverURL: string;
  readonly token: string;
  readonly version: string | undefined;
  readonly airGapped: boolean;
  readonly format: UserDataFormat;
  readonly installScript: InstallScript;
}

export const DefaultInstallScriptURL = "https://get.k3s.io";

/** Every problem with the settings; the token's value never appears in a message. */
export function k3sSettingsErrors(settings: K3sSettings): FieldError[] {
  const errors = [
    ...serverURLErrors(settings.serverURL),
    ...tokenErrors(settings.token),
    ...versionErrors(settings.version),
    ...installErrors(settings),
  ];
  if (settings.format !== "cloud-config" && settings.format !== "shell")
    errors.push({ path: "format", message: "must be cloud-config or shell" });
  return errors;
}

export function resolveK3sSettings(settings: K3sSettings): ResolvedK3sSettings {
  return {
    serverURL: settings.serverURL,
    token: settings.token,
    version: settings.version,
    airGapped: settings.airGapped === true,
    format: settings.format,
    installScript: installScript(settings),
  };
}

function installScript(settings: K3sSettings): InstallScript {
  if (settings.installScriptPath !== undefined)
    return { kind: "local", path: settings.installScriptPath };
  if (settings.airGapped === true) return { kind: "none" };
  return { kind: "download", url: settings.installScriptURL ?? DefaultInstallScriptURL };
}

/** A host name, an IPv4 address or a bracketed IPv6 address, an optional port, no path. */
const serverURLPattern =
  /^https:\/\/([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(:(\d{1,5}))?\/?$/;

// The install script refuses anything but https:// for K3S_URL (install.sh verify_k3s_url); a path,
// query or credentials in the URL would reach every request the agent makes, so they are refused too.
function serverURLErrors(url: unknown): FieldError[] {
  const path = "serverURL";
  if (typeof url !== "string") return [{ path, message: "must be a string" }];
  const match = serverURLPattern.exec(url);
  const port = match?.[4];
  if (match === null || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))) {
    return [
      {
        path,
        message:
          "must be https://<host>[:<port>] (a host name, IPv4 or [IPv6] address; no credentials, path, query or whitespace)",
      },
    ];
  }
  return [];
}

const bootstrapToken = /^[a-z0-9]{6}\.[a-z0-9]{16}$/;
/** K10<CA hash>::<credentials>: the hash is empty or 64 lowercase hex digits (sha256). */
const secureToken = /^K10([0-9a-f]{64})?::(.*)$/;
const visibleASCII = /^[\x21-\x7e]+$/;

/**
 * k3s's token formats (k3s pkg/clientaccess/token.go parseToken; docs/cli/token.md): the secure
 * `K10<CA sha256>::<user>:<password>` or `K10<CA sha256>::<bootstrap token>`, a bare bootstrap
 * token `[a-z0-9]{6}.[a-z0-9]{16}`, or a bare password. Messages say what is wrong, never the value.
 */
export function tokenErrors(token: unknown): FieldError[] {
  const path = "token";
  if (typeof token !== "string") return [{ path, message: "must be a string" }];
  if (token === "") return [{ path, message: "must not be empty" }];
  if (!visibleASCII.test(token)) {
    return [
      {
        path,
        message:
          "must consist of visible ASCII characters: it has whitespace, a control or non-ASCII character (a token read from a file often ends in a newline)",
      },
    ];
  }
  if (!token.startsWith("K10")) return [];
  const secure = secureToken.exec(token);
  if (secure === null) {
    return [
      {
        path,
        message:
          "a token starting with K10 must be K10<CA hash>::<credentials>, the CA hash empty or 64 lowercase hex digits",
      },
    ];
  }
  const credentials = secure[2] ?? "";
  const colon = credentials.indexOf(":");
  if (!bootstrapToken.test(credentials) && (colon < 0 || colon === credentials.length - 1)) {
    return [
      {
        path,
        message:
          "the credentials after :: must be <user>:<password> (password not empty) or a bootstrap token [a-z0-9]{6}.[a-z0-9]{16}",
      },
    ];
  }
  return [];
}

/** A k3s release tag: v1.31.4+k3s1, or a release candidate v1.32.0-rc1+k3s1. */
const versionPattern = /^v\d+\.\d+\.\d+(-rc\d+)?\+k3s\d+$/;

function versionErrors(version: unknown): FieldError[] {
  if (version === undefined) return [];
  if (typeof version !== "string" || !versionPattern.test(version))
    return [
      {
        path: "version",
        message: `${JSON.stringify(version)}: must be a k3s release such as v1.31.4+k3s1`,
      },
    ];
  return [];
}

const installPathPattern = /^\/[A-Za-z0-9._+/-]+$/;

function installErrors(settings: K3sSettings): FieldError[] {
  const errors: FieldError[] = [];
  const { airGapped, installScriptURL, installScriptPath, version } = settings;
  if (airGapped !== undefined && typeof airGapped !== "boolean")
    errors.push({ path: "airGapped", message: "must be true or false" });
  if (installScriptURL !== undefined && !isHttpsURL(installScriptURL))
    errors.push({
      path: "installScriptURL",
      message: "must be an https:// URL without credentials or whitespace",
    });
  if (installScriptPath !== undefined) {
    if (typeof installScriptPath !== "string" || !installPathPattern.test(installScriptPath))
      errors.push({
        path: "installScriptPath",
        message: `${JSON.stringify(installScriptPath)}: must be an absolute path of letters, digits and . _ + - /`,
      });
    if (installScriptURL !== undefined)
      errors.push({
        path: "installScriptPath",
        message: "give either installScriptURL or installScriptPath, not both",
      });
  }
  if (airGapped === true) {
    if (installScriptURL !== undefined)
      errors.push({
        path: "installScriptURL",
        message:
          "an air-gapped machine downloads nothing: use installScriptPath for a script on the machine",
      });
    if (version !== undefined)
      errors.push({
        path: "version",
        message:
          "an air-gapped machine runs the k3s binary already on it; the version pins only a download",
      });
  }
  return errors;
}

function isHttpsURL(value: unknown): boolean {
  if (typeof value !== "string" || !/^https:\/\/[\x21-\x7e]+$/.test(value)) return false;
  try {
    const url = new URL(value);
    return (
      url.protocol === "https:" && url.username === "" && url.password === "" && url.host !== ""
    );
  } catch {
    return false;
  }
}
