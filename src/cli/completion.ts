import type { Command, Option } from "commander";

/**
 * Shell completion scripts for `carpool completion bash|zsh|fish`, generated from the commander
 * program itself, so a new command or option completes without anyone editing a script.
 */
export const completionShells = ["bash", "zsh", "fish"] as const;
export type CompletionShell = (typeof completionShells)[number];

/** What a shell needs to know of one option. */
interface OptionSpec {
  readonly short?: string;
  readonly long?: string;
  readonly description: string;
  /** undefined: a flag without a value. */
  readonly value?: { readonly choices?: readonly string[]; readonly file: boolean };
}

interface CommandSpec {
  readonly name: string;
  readonly description: string;
  readonly options: readonly OptionSpec[];
  /** A positional argument the shell offers choices or files for. */
  readonly argument?: { readonly choices?: readonly string[]; readonly file: boolean };
}

// Values named like these are paths: complete them as files.
const fileValue = /<(path|file|file\.html|scenario)>|\[(scenario)\]/;

function optionSpec(option: Option): OptionSpec {
  const takesValue = option.required || option.optional;
  return {
    ...(option.short !== undefined && { short: option.short }),
    ...(option.long !== undefined && { long: option.long }),
    description: option.description,
    ...(takesValue && {
      value: {
        ...(option.argChoices !== undefined && { choices: option.argChoices }),
        file: fileValue.test(option.flags),
      },
    }),
  };
}

function commandSpecs(program: Command): CommandSpec[] {
  const help = program.createHelp();
  return help.visibleCommands(program).map((command) => {
    const [argument] = help.visibleArguments(command);
    return {
      name: command.name(),
      description: command.summary() || command.description(),
      options: help.visibleOptions(command).map(optionSpec),
      ...(argument !== undefined && {
        argument: {
          // `help [command]` takes the name of another command.
          ...(command.name() === "help" && {
            choices: program.commands.map((c) => c.name()).filter((n) => n !== "help"),
          }),
          ...(argument.argChoices !== undefined && { choices: argument.argChoices }),
          file: fileValue.test(`[${argument.name()}]`),
        },
      }),
    };
  });
}

export function completionScript(program: Command, shell: CompletionShell): string {
  const name = program.name();
  const commands = commandSpecs(program);
  const global = program.createHelp().visibleOptions(program).map(optionSpec);
  // Program options commander reads after a command too (--no-color); each command has its own help.
  const inherited = global.filter((o) => o.long !== "--help" && o.long !== "--version");
  const tree = { name, commands, global, inherited };
  if (shell === "bash") return bashScript(tree);
  if (shell === "zsh") return zshScript(tree);
  return fishScript(tree);
}

interface ProgramSpec {
  readonly name: string;
  readonly commands: readonly CommandSpec[];
  /** The program's own options, for the command position. */
  readonly global: readonly OptionSpec[];
  /** The program options that also follow a command. */
  readonly inherited: readonly OptionSpec[];
}

const flagsOf = (option: OptionSpec) =>
  [option.short, option.long].filter((f): f is string => f !== undefined);

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

function bashScript({ name, commands, global, inherited }: ProgramSpec): string {
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

function zshScript({ name, commands, global, inherited }: ProgramSpec): string {
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

/** A fish single-quoted word. */
const fishQuote = (text: string) => `'${text.replace(/(['\\])/g, "\\$1")}'`;

function fishOption(name: string, condition: string, option: OptionSpec): string {
  const parts = [`complete -c ${name} -n ${fishQuote(condition)}`];
  if (option.short) parts.push(`-s ${option.short.slice(1)}`);
  if (option.long) parts.push(`-l ${option.long.slice(2)}`);
  if (option.value?.choices) parts.push(`-x -a ${fishQuote(option.value.choices.join(" "))}`);
  else if (option.value?.file) parts.push("-r -F");
  else if (option.value) parts.push("-x");
  parts.push(`-d ${fishQuote(option.description)}`);
  return parts.join(" ");
}

function fishScript({ name, commands, global }: ProgramSpec): string {
  const names = commands.map((c) => c.name).join(" ");
  const lines = [
    `# fish completion for ${name}: ${name} completion fish > ~/.config/fish/completions/${name}.fish`,
    `complete -c ${name} -f`,
    ...global.map((o) => fishOption(name, "true", o)),
    ...commands.map(
      (c) =>
        `complete -c ${name} -n ${fishQuote(`not __fish_seen_subcommand_from ${names}`)} -a ${c.name} -d ${fishQuote(c.description)}`,
    ),
    ...commands.flatMap((c) => {
      const condition = `__fish_seen_subcommand_from ${c.name}`;
      const argument = c.argument?.choices
        ? [
            `complete -c ${name} -n ${fishQuote(condition)} -a ${fishQuote(c.argument.choices.join(" "))}`,
          ]
        : c.argument?.file
          ? [`complete -c ${name} -n ${fishQuote(condition)} -F`]
          : [];
      return [...c.options.map((o) => fishOption(name, condition, o)), ...argument];
    }),
  ];
  return `${lines.join("\n")}\n`;
}
