import type { FieldError } from "../../api/field-errors.ts";
import {
  type Bootstrap,
  BootstrapError,
  type BootstrapInput,
  type UserData,
} from "../../ports/bootstrap.ts";
import { bootstrapInputErrors } from "../input-errors.ts";
import { agentConfig, agentConfigYAML } from "./agent-config.ts";
import { agentInstall } from "./install.ts";
import { type K3sSettings, k3sSettingsErrors, resolveK3sSettings } from "./settings.ts";
import { cloudConfig, shellScript } from "./user-data.ts";

export type { K3sSettings } from "./settings.ts";

/**
 * The k3s agent bootstrap: user data that writes the agent's config file and installs and starts
 * `k3s agent` (docs/bootstrap.md). Throws BootstrapError at once when the settings are invalid;
 * `userData` throws BootstrapError for an input it cannot render safely.
 */
export function k3sBootstrap(settings: K3sSettings): Bootstrap {
  const settingsErrors = k3sSettingsErrors(settings);
  if (settingsErrors.length > 0) throw new BootstrapError(settingsErrors);
  const resolved = resolveK3sSettings(settings);
  const install = agentInstall(resolved);
  return {
    userData(input: BootstrapInput): UserData {
      const errors = [...bootstrapInputErrors(input), ...k3sNodeNameErrors(input.nodeName)];
      if (errors.length > 0) throw new BootstrapError(errors);
      const configYAML = agentConfigYAML(agentConfig(resolved, input));
      const document =
        resolved.format === "cloud-config"
          ? cloudConfig(configYAML, install)
          : shellScript(configYAML, install);
      return { ...document, secrets: [resolved.token] };
    },
  };
}

/** Secret names are DNS subdomains of at most 253 characters. */
const maxK3sNodeName = 253 - ".node-password.k3s".length;

/**
 * k3s keeps each agent's node password as Secret kube-system/<name>.node-password.k3s
 * (pkg/nodepassword getSecretName), so a longer name than 235 characters cannot join.
 */
function k3sNodeNameErrors(name: unknown): FieldError[] {
  if (typeof name !== "string" || name.length <= maxK3sNodeName || name.length > 253) return [];
  return [
    {
      path: "nodeName",
      message: `must be no more than ${maxK3sNodeName} characters: k3s stores the node password as Secret kube-system/<name>.node-password.k3s`,
    },
  ];
}
