import type { Broadcast } from '../../synapse/broadcast.js';
import type { Row } from '../probe.js';
import type { Mode, ModeResult } from './mode.js';

/** A mode's rows with the chip's clock appended: chip_time = trial × dt seconds. */
export class ChipTimeMode implements Mode {
  readonly header: readonly string[];

  constructor(private readonly inner: Mode, private readonly dt: number) {
    this.header = [...inner.header, 'chip_time'];
  }

  get name(): Mode['name'] {
    return this.inner.name;
  }

  get rowsAtAnyTrial(): boolean {
    return this.inner.rowsAtAnyTrial;
  }

  get rowAtStart(): boolean {
    return this.inner.rowAtStart === true;
  }

  get usesPopulation(): boolean {
    return this.inner.usesPopulation !== false;
  }

  get results(): Mode['results'] {
    return this.inner.results;
  }

  afterTrial(b: Broadcast, trial: number): void {
    this.inner.afterTrial(b, trial);
  }

  logNow(trial: number, trials: number): boolean {
    return this.inner.logNow(trial, trials);
  }

  row(trial: number): Row {
    const row = this.inner.row(trial);
    return [...row, trial * this.dt];
  }

  done(): string | null {
    return this.inner.done?.() ?? null;
  }

  finish(): ModeResult {
    return this.inner.finish();
  }
}
