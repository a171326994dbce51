import { flagsOf, type OptionSpec, type ProgramSpec } from "./completion-spec.ts";

/** A zsh single-quoted word. */
const zshQuote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;
/** Text inside an _arguments description: brackets and colons would end it. */
const zshDescription = (text: string) => text.replace(/([[\]:\\])/g, "\\$1");

function zshOption(option: OptionSpec): string[] {
  const action = option.value
    ? option.value.choices
      ? `:value:(${option.value.choices.join(" ")})`
      : option.value.file
        ? ":file:_files"
        : ":value: "
    : "";
  const description = `[${zshDescription(option.description)}]${action}`;
  // -f and -l repeat (collect); other options may appear once.
  return flagsOf(option).map((flag) => zshQuote(`*${flag}${description}`));
}

/** zsh: _arguments per command, usable from $fpath (#compdef) or sourced (compdef). */
export function zshScript({ name, commands, global, inherited }: ProgramSpec): string {
  const fn = `_${name.replace(/[^A-Za-z0-9_]/g, "_")}`;
  const list = commands
    .map((c) => `    ${zshQuote(`${c.name.replaceAll(":", "\\:")}:${c.description}`)}`)
    .join("\n");
  const branches = commands.map((command) => {
    const argument = command.argument?.choices
      ? ` ${zshQuote(`1:value:(${command.argument.choices.join(" ")})`)}`
      : command.argument?.file
        ? ` ${zshQuote("1:file:_files")}`
        : "";
    const specs = [...command.options, ...inherited].flatMap(zshOption).join(" \\\n        ");
    return `      ${command.name})\n        _arguments -s \\\n        ${specs}${argument}\n        ;;`;
  });
  return `#compdef ${name}
# zsh completion for ${name}: source <(${name} completion zsh), or save as _${name} in $fpath
${fn}() {
  local -a commands
  commands=(
${list}
  )
  local curcontext="$curcontext" state line
  _arguments -C ${global.flatMap(zshOption).join(" ")} '1:command:->command' '*::arg:->args'
  case $state in
    command) _describe -t commands '${name} command' commands ;;
    args)
      case $line[1] in
${branches.join("\n")}
      esac
      ;;
  esac
}
if [[ $funcstack[1] == ${fn} ]]; then
  ${fn} "$@"
else
  compdef ${fn} ${name}
fi
`;
}
