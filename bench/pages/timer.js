// The timer's resolution in this page, for the bench's verdicts (bench/run.mjs prints a verdict
// only where a difference is larger than it): the smallest non-zero difference of successive
// performance.now() readings. Chromium coarsens the clock (5 µs when cross-origin isolated, as
// the bench pages are; 100 µs otherwise). Reads for up to 20 ms or until 2,000 steps were seen.
export function timerResolution() {
  let smallest = Infinity;
  let steps = 0;
  const end = performance.now() + 20;
  let last = performance.now();
  while (steps < 2000) {
    const t = performance.now();
    if (t !== last) {
      smallest = Math.min(smallest, t - last);
      steps++;
      last = t;
      if (t > end) break;
    }
  }
  return smallest;
}
