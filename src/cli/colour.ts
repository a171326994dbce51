import { ansiStyle, plainStyle, type TextStyle } from "../render/text-style.ts";

export interface ColourSettings {
  /** false with `--no-color`. */
  readonly flag: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly isTTY: boolean;
}

/**
 * Whether output gets colour. `--no-color` and a non-empty NO_COLOR (https://no-color.org) turn
 * it off whatever else says; a non-empty FORCE_COLOR other than "0" turns it on for a pipe, as
 * Node's own tty.getColorDepth honours it; otherwise only a terminal gets colour.
 */
export function colourWanted(settings: ColourSettings): boolean {
  if (!settings.flag) return false;
  if ((settings.env.NO_COLOR ?? "") !== "") return false;
  const force = settings.env.FORCE_COLOR ?? "";
  if (force !== "") return force !== "0";
  return settings.isTTY;
}

/** The style for standard output, from the `--no-color` flag and the process's environment. */
export function stdoutStyle(flag: boolean): TextStyle {
  const wanted = colourWanted({ flag, env: process.env, isTTY: process.stdout.isTTY === true });
  return wanted ? ansiStyle : plainStyle;
}
