import type { Command } from "commander";
import { bashScript } from "./completion-bash.ts";
import { fishScript } from "./completion-fish.ts";
import { programSpec } from "./completion-spec.ts";
import { zshScript } from "./completion-zsh.ts";

/** Shell completion scripts for `carpool completion bash|zsh|fish`, generated from the program. */
export type CompletionShell = "bash" | "zsh" | "fish";

export function completionScript(program: Command, shell: CompletionShell): string {
  const spec = programSpec(program);
  if (shell === "bash") return bashScript(spec);
  if (shell === "zsh") return zshScript(spec);
  return fishScript(spec);
}
