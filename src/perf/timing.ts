/**
 * Median wall time of fn over `repeats` timed calls after `warmup` untimed ones. The median
 * (not the mean) because shared machines produce one-sided outliers.
 */
export function medianMs(fn: () => void, repeats: number, warmup = 2): number {
  for (let k = 0; k < warmup; k++) fn();
  const times: number[] = [];
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  return times.length % 2 === 1 ? times[mid] : 0.5 * (times[mid - 1] + times[mid]);
}
