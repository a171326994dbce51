import { type Command, CommanderError } from "commander";
import { stopQuietlyOnClosedPipe } from "./closed-pipe.ts";
import { ExitCode } from "./output.ts";

function* commandTree(command: Command): Generator<Command> {
  yield command;
  for (const sub of command.commands) yield* commandTree(sub);
}

/**
 * Runs the program with carpool's conventions: bare `carpool` prints help to standard output and
 * exits 0 (asking for nothing is not an error); a usage error (unknown option or command, missing
 * argument, a value outside the choices) exits 2 like any other invalid input, after commander's
 * own message; help and --version exit 0; a closed output pipe ends quietly.
 */
export async function runProgram(program: Command, argv: readonly string[]): Promise<void> {
  stopQuietlyOnClosedPipe();
  if (argv.length <= 2) {
    program.outputHelp();
    return;
  }
  // Each command keeps the settings it was created with, so every one needs the override.
  for (const command of commandTree(program)) command.exitOverride();
  try {
    await program.parseAsync(argv as string[]);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (
      error.code === "commander.missingMandatoryOptionValue" &&
      error.message.includes("--filename")
    )
      process.stderr.write(`${missingFilenameHint(process.stdin.isTTY === true)}\n`);
    process.exitCode = error.exitCode === 0 ? ExitCode.ok : ExitCode.invalidInput;
  }
}

/**
 * What to say when no `-f` is given: manifests come from files, directories or standard input,
 * and input piped in without `-f -` is not read (kubectl's rule too).
 */
export function missingFilenameHint(stdinIsTerminal: boolean): string {
  return stdinIsTerminal
    ? "hint: give the manifests with -f FILE or -f DIR (-R for subdirectories), or -f - for standard input"
    : "hint: standard input is not read unless asked: pass -f - to read the manifests piped in";
}
