// trialProgress: the live progress of a sweep on stderr — a cli-progress bar (trial n/N, best so
// far, ETA) when stderr is a TTY, one plain line per finished trial otherwise, nothing when quiet.
import cliProgress from 'cli-progress';

export interface TrialProgress {
  /** A trial finished: its number, state and value, and the best value so far. */
  tick(t: { number: number; state: string; value: number | null }, best: number | null): void;
  stop(): void;
}

const fmt = (v: number | null) => (v === null ? '—' : Number.isInteger(v) ? String(v) : v.toPrecision(4));

/**
 * @example const p = trialProgress(60); … p.tick(trial, study.bestValue); … p.stop();
 */
export function trialProgress(total: number, { quiet = false, stream = process.stderr } = {}): TrialProgress {
  let done = 0;
  if (quiet) return { tick: () => undefined, stop: () => undefined };
  if (!stream.isTTY) {
    return {
      tick(t, best) {
        done++;
        stream.write(`trial ${done}/${total}: #${t.number} ${t.state.toLowerCase()} ${fmt(t.value)}  best ${fmt(best)}\n`);
      },
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar({
    stream, hideCursor: true, clearOnComplete: false, etaBuffer: 8,
    format: 'trial {value}/{total} {bar} best {best} | {pruned} pruned | ETA {eta_formatted}',
  }, cliProgress.Presets.shades_classic);
  let pruned = 0;
  bar.start(total, 0, { best: '—', pruned: 0 });
  return {
    tick(t, best) {
      done++;
      if (t.state === 'PRUNED') pruned++;
      bar.update(done, { best: fmt(best), pruned });
    },
    stop: () => bar.stop(),
  };
}
