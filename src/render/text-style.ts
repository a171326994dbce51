/**
 * How rendered text is emphasised. Renderers take a style rather than deciding on colour
 * themselves: whether a terminal wants ANSI escapes is the CLI's call (--no-color, NO_COLOR,
 * not a TTY), and a pure renderer must not read the environment.
 */
export interface TextStyle {
  /** Column headers. */
  readonly heading: (text: string) => string;
  /** Something that failed: an unschedulable pod, a count of them. */
  readonly problem: (text: string) => string;
}

const same = (text: string) => text;

export const plainStyle: TextStyle = { heading: same, problem: same };

// SGR codes: 1 bold, 31 red; 22 and 39 reset only what was set, so styles nest.
export const ansiStyle: TextStyle = {
  heading: (text) => `\x1b[1m${text}\x1b[22m`,
  problem: (text) => `\x1b[31m${text}\x1b[39m`,
};
