import type { Command, Option } from "commander";

/**
 * What a shell's completion needs to know of carpool, read from the commander program itself,
 * so a new command or option completes without anyone editing a script.
 */

/** What a shell needs to know of one option. */
export interface OptionSpec {
  readonly short?: string;
  readonly long?: string;
  readonly description: string;
  /** undefined: a flag without a value. */
  readonly value?: { readonly choices?: readonly string[]; readonly file: boolean };
}

export interface CommandSpec {
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

/** What the completion scripts are generated from: the program's visible commands and options. */
export function programSpec(program: Command): ProgramSpec {
  const name = program.name();
  const commands = commandSpecs(program);
  const global = program.createHelp().visibleOptions(program).map(optionSpec);
  // Program options commander reads after a command too (--no-color); each command has its own help.
  const inherited = global.filter((o) => o.long !== "--help" && o.long !== "--version");
  return { name, commands, global, inherited };
}

export interface ProgramSpec {
  readonly name: string;
  readonly commands: readonly CommandSpec[];
  /** The program's own options, for the command position. */
  readonly global: readonly OptionSpec[];
  /** The program options that also follow a command. */
  readonly inherited: readonly OptionSpec[];
}

export const flagsOf = (option: OptionSpec) =>
  [option.short, option.long].filter((f): f is string => f !== undefined);
