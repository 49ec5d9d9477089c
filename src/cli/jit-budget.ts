// How long V8 waits before it hands a function to its optimizing compiler, in mirra-scan's own
// process (never in a process that loads the library or the ESLint rule: their host's V8 is theirs).
//
// V8 optimizes a function once it has run a fixed amount of bytecode (its interrupt budget). A scan
// of a tree of many small files runs about a hundred functions just past that mark (the walk, the
// batch reader, the detector's full look at the few files with a trace), and each is optimized again
// in the second thread's own V8 isolate: on a 2-CPU machine the optimizing compiles took about 160 ms
// of CPU in a scan of 41,000 files whose Node floor takes 540 ms in all, while the optimized code
// saved about 40 ms. With a budget 8 times V8 11's default, the functions that run long (the search
// loops over a big file or hostile text) are still optimized, only after 8 times as much bytecode;
// the many that barely pass the default mark are not. Figures: bench/scan/README.md ("V8's
// optimizing compiler").
//
// Set only for a scan that walks a folder or reads a file big enough for segments, for every command
// but `scan` and the hooks' fast path (git history, ranges, pushes), and for `staged` once git has
// printed a MiB of the staged change (during the run): a scan of a few named files or a commit of a
// few files is mostly start-up, and start-up code waits longer too (about 3 ms of a 75 ms scan of
// one small file). Only for V8 11 (Node 20), where it was measured: later V8s have a mid tier
// (Maglev) and count their budgets otherwise, so they keep their defaults. A budget given on node's
// own command line (`node --interrupt-budget=N`) is left as it is.

/** V8 11's default interrupt budget (67,584 bytes of bytecode) times 8. */
export const SCAN_INTERRUPT_BUDGET = 8 * 67_584;

/** Whether the CLI sets its interrupt budget on this V8 and command line (see above). */
export function wantsJitBudget(v8Version: string = process.versions.v8, execArgv: readonly string[] = process.execArgv): boolean {
  return /^11\./.test(v8Version) && !execArgv.some((a) => /^--interrupt[-_]budget(=|$)/.test(a));
}

/**
 * Sets the CLI's interrupt budget where `wantsJitBudget` says so, before the scan's code runs and
 * before a worker starts (V8's flags are the process's: a worker has the same); returns whether it
 * did. `node:v8` is loaded only here, so a call that does not set it does not load it.
 */
export function setJitBudget(): boolean {
  if (!wantsJitBudget()) return false;
  try {
    process.getBuiltinModule('node:v8').setFlagsFromString(`--interrupt-budget=${SCAN_INTERRUPT_BUDGET}`);
    return true;
  } catch {
    return false; // a tuning, never a reason not to scan
  }
}
