/** Where a progress line is drawn: standard error, or a test's stand-in. */
export interface ProgressSink {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/** Inputs smaller than this plan in well under a second: no progress line for them. */
export const ProgressFromPods = 2000;

/**
 * A one-line progress count on a terminal (`planning 4000/20000 pods 20%`), redrawn at most once
 * per whole percent and erased when done; nothing when the sink is not a terminal or the input is
 * small, so pipes and files never see it.
 */
export function podProgress(
  sink: ProgressSink,
  label: string,
): { update: (done: number, total: number) => void; done: () => void } {
  let shown = -1;
  let drawn = false;
  return {
    update: (done, total) => {
      if (sink.isTTY !== true || total < ProgressFromPods) return;
      const percent = Math.floor((done / total) * 100);
      if (percent === shown) return;
      shown = percent;
      drawn = true;
      sink.write(`\r${label} ${done}/${total} pods ${percent}%`);
    },
    done: () => {
      if (drawn) sink.write("\r\x1b[K");
    },
  };
}
