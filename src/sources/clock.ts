// Milliseconds on a monotonic clock, for a scan's `durationMs`. Not `performance.now()`: the first
// use of `performance` loads Node's perf_hooks (11 modules, about 0.6 ms), which every hook call and
// every scan would pay before its first byte is read.

/** Milliseconds since an arbitrary fixed point: only differences mean anything. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
