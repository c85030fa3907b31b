/**
 * The statistics and the schedule of the benchmark harness: medians of timings, and the order in which a round runs
 * the libraries.
 * @module
 */

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median: no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The number of rounds after which {@link roundOrder} has balanced the order: n for an even count of items, 2n
 * for an odd one.
 */
export function orderPeriod(n: number): number {
  return n % 2 === 0 ? n : 2 * n;
}

/**
 * The order in which round `round` runs the items: a Williams design, i.e. the rows of a Latin square balanced for
 * carry-over. Round r runs the base sequence 0, 1, n−1, 2, n−2, … shifted by r (mod n), and for odd n the rounds
 * from n to 2n − 1 run those rows reversed. Over {@link orderPeriod} rounds each item runs in every position equally
 * often and right after every other item equally often, so neither a cache warmed by the item before nor the
 * garbage it leaves for the collector favours one library over another (a plain rotation would always put the
 * same library before a given one).
 */
export function roundOrder<T>(items: readonly T[], round: number): T[] {
  const n = items.length;
  if (n === 0) return [];
  const base: number[] = [0];
  for (let i = 1; base.length < n; i++) {
    base.push(i);
    if (base.length < n) base.push(n - i);
  }
  const k = ((round % orderPeriod(n)) + orderPeriod(n)) % orderPeriod(n);
  const row = base.map((b) => items[(b + k) % n]);
  return k >= n ? row.reverse() : row;
}

/** Floating-point operations per second, in units of 10⁹, of `flops` operations taking `ms` milliseconds. */
export function gflops(flops: number, ms: number): number {
  return flops / (ms * 1e6);
}
