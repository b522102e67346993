import { Subject, throttleTime } from 'rxjs';
import cliProgress from 'cli-progress';
import type { Progress } from '../sim/loop.js';
import type { RunInfo, Sink } from './sink.js';

/**
 * A progress bar on stderr. The loop reports progress after every chunk of trials; the bar
 * subscribes to that stream throttled to 10 updates a second (rxjs at the edge, not in the loop).
 */
export class ProgressBarSink implements Sink {
  private readonly progress$ = new Subject<Progress>();
  private bar: cliProgress.SingleBar | null = null;

  start(info: RunInfo): void {
    const bar = new cliProgress.SingleBar(
      { stream: process.stderr, format: `${info.scenario.name} [{bar}] {percentage}% | trial {value}/{total} | eta {eta_formatted}`, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    this.bar = bar;
    bar.start(info.scenario.trials, 0);
    this.progress$.pipe(throttleTime(100, undefined, { leading: true, trailing: true })).subscribe((p) => bar.update(p.trial));
  }

  row(): void {}

  progress(p: Progress): void {
    this.progress$.next(p);
  }

  finish(): void {
    this.progress$.complete();
    this.bar?.stop();
  }
}
