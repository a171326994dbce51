/**
 * A reader that goes away (`carpool catalog | head -1`, quitting `less`) closes the pipe; the next
 * write fails with EPIPE. Like a program killed by SIGPIPE, carpool then stops quietly: the
 * output nobody reads is not an error worth a stack trace. Any other stream error is a bug and
 * still throws.
 */
export function stopQuietlyOnClosedPipe(
  streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr],
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  for (const stream of streams) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
      // The shell reports a command ended by SIGPIPE as 128 + 13; the same status keeps
      // `set -o pipefail` scripts honest about the output being cut short.
      exit(141);
    });
  }
}
