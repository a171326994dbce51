/**
 * Control characters (C0, DEL, C1) and the Unicode bidirectional overrides, which a terminal
 * would act on rather than show: an escape sequence in a pod name could recolour, move the
 * cursor or rewrite what was printed before it (the "Trojan Source" reordering, CVE-2021-42574).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const unprintable = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const named: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * `text` with every character a terminal would interpret written as an escape (`\x1b`, `\n`,
 * `\u202e`), so names and values taken from input print as what they are. Everything else,
 * including non-ASCII letters, is kept.
 */
export function escapeForTerminal(text: string): string {
  return text.replace(unprintable, (character) => {
    const known = named[character];
    if (known !== undefined) return known;
    const code = character.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
