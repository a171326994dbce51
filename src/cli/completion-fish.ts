import type { OptionSpec, ProgramSpec } from "./completion-spec.ts";

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

/** fish: one `complete` line per command and option, conditioned on the command seen. */
export function fishScript({ name, commands, global }: ProgramSpec): string {
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
