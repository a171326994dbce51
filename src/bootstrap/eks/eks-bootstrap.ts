import {
  type Bootstrap,
  BootstrapError,
  type BootstrapInput,
  type UserData,
} from "../../ports/bootstrap.ts";
import { bootstrapInputErrors } from "../input-errors.ts";
import { al2023UserData, al2023UserParts } from "./al2023.ts";
import { bottlerocketUserData, bottlerocketUserToml } from "./bottlerocket.ts";
import { eksKubelet, eksKubeletErrors } from "./eks-kubelet.ts";
import { type EksBootstrapSettings, eksSettingsErrors } from "./settings.ts";

export type { EksKubeletSettings } from "./eks-kubelet.ts";
export type { EksBootstrapSettings, EksFamily } from "./settings.ts";

/**
 * EKS user data as Karpenter's AWS provider renders it (amifamily/bootstrap): a MIME archive ending
 * in a nodeadm NodeConfig on AL2023, Bottlerocket TOML, or the node class's own user data unchanged
 * on Custom. Throws BootstrapError at once when the settings (the node class's user data included)
 * are invalid; `userData` throws BootstrapError for an input it cannot render safely. EKS user data
 * holds no secret: the CA bundle is public, and nodes authenticate with their instance role.
 */
export function eksBootstrap(settings: EksBootstrapSettings): Bootstrap {
  const settingsErrors = eksSettingsErrors(settings);
  const render = settingsErrors.length === 0 ? familyRenderer(settings) : undefined;
  const errors = [...settingsErrors, ...(render?.ok === false ? render.errors : [])];
  if (errors.length > 0 || render === undefined || !render.ok) throw new BootstrapError(errors);
  const { format, content } = render;
  return {
    userData(input: BootstrapInput): UserData {
      const inputErrors = [...bootstrapInputErrors(input), ...eksKubeletErrors(eksKubelet(input))];
      if (inputErrors.length > 0) throw new BootstrapError(inputErrors);
      return { format, content: content(input), secrets: [] };
    },
  };
}

type FamilyRenderer =
  | {
      readonly ok: true;
      readonly format: UserData["format"];
      readonly content: (input: BootstrapInput) => string;
    }
  | { readonly ok: false; readonly errors: BootstrapError["issues"] };

/** The user data is read once, when the bootstrap is made; each claim only renders. */
function familyRenderer(settings: EksBootstrapSettings): FamilyRenderer {
  switch (settings.family) {
    case "AL2023": {
      const user = al2023UserParts(settings.userData);
      if (!user.ok) return user;
      return {
        ok: true,
        format: "mime-multipart",
        content: (input) => al2023UserData(settings, user.parts, input),
      };
    }
    case "Bottlerocket": {
      const user = bottlerocketUserToml(settings.userData);
      if (!user.ok) return user;
      return {
        ok: true,
        format: "toml",
        content: (input) => bottlerocketUserData(settings, user.document, input),
      };
    }
    case "Custom": {
      const userData = settings.userData ?? "";
      return { ok: true, format: "custom", content: () => userData };
    }
  }
}
