/**
 * One POSIX shell word that stands for `value` exactly: the value in single quotes, each `'`
 * written as `'\''` (close, escaped quote, reopen). Inside single quotes no character is special
 * (POSIX Shell Command Language §2.2.2), so no expansion, globbing or word splitting reaches it.
 * A NUL cannot be passed to a shell at all and is refused.
 */
export function shellQuote(value: string): string {
  if (value.includes("\0")) throw new Error("a shell word cannot hold a NUL character");
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
