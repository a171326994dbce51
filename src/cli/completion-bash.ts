import { flagsOf, type OptionSpec, type ProgramSpec } from "./completion-spec.ts";

function bashWords(words: readonly string[]): string {
  return words.join(" ");
}

function bashValueCase(options: readonly OptionSpec[]): string {
  const cases = options
    .filter((o) => o.value !== undefined)
    .map((o) => {
      const reply = o.value?.choices
        ? `COMPREPLY=($(compgen -W "${bashWords(o.value.choices)}" -- "$cur"))`
        : o.value?.file
          ? `COMPREPLY=($(compgen -f -- "$cur"))`
          : "COMPREPLY=()";
      return `        ${flagsOf(o).join("|")}) ${reply}; return ;;`;
    });
  return cases.length === 0 ? "" : `      case "$prev" in\n${cases.join("\n")}\n      esac\n`;
}

/** bash: one function that finds the command among the words, then offers its flags or values. */
export function bashScript({ name, commands, global, inherited }: ProgramSpec): string {
  const fn = `_${name.replace(/[^A-Za-z0-9_]/g, "_")}_completion`;
  const globalFlags = global.flatMap(flagsOf);
  const branches = commands.map((command) => {
    const flags = [...command.options, ...inherited].flatMap(flagsOf);
    const argument = command.argument?.choices
      ? `      COMPREPLY=($(compgen -W "${bashWords(command.argument.choices)}" -- "$cur"))\n`
      : command.argument?.file
        ? `      COMPREPLY=($(compgen -f -- "$cur"))\n`
        : "      COMPREPLY=()\n";
    return (
      `    ${command.name})\n${bashValueCase([...command.options, ...inherited])}` +
      `      if [[ "$cur" == -* ]]; then\n` +
      `        COMPREPLY=($(compgen -W "${bashWords(flags)}" -- "$cur"))\n` +
      `        return\n      fi\n${argument}      ;;`
    );
  });
  return `# bash completion for ${name}: source <(${name} completion bash)
${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" command="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      ${commands.map((c) => c.name).join("|")}) command="\${COMP_WORDS[i]}"; break ;;
    esac
  done
  case "$command" in
    "")
      COMPREPLY=($(compgen -W "${bashWords([...commands.map((c) => c.name), ...globalFlags])}" -- "$cur"))
      ;;
${branches.join("\n")}
  esac
}
complete -o filenames -F ${fn} ${name}
`;
}
