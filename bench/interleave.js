// Side-by-side timing for the git benchmarks (history, pre-receive): each command runs once to warm
// up (page cache, git's pack index), then the commands take turns run by run (A B, B A, …) so that
// a machine that slows down or speeds up touches all of them alike. Node's own clock, whole process.

import { spawnSync } from 'node:child_process';

/** Runs a command to its end; its wall time in ms, its output and exit code. */
export function timed(cmd, args, options) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, ...options });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.error) throw r.error;
  return { ms, stdout: r.stdout, status: r.status, stderr: r.stderr };
}

/** `commands`: name -> () => timed(...). Returns the warm-up results and every counted time by name. */
export function interleave(commands, runs) {
  const names = Object.keys(commands);
  const warm = Object.fromEntries(names.map((n) => [n, commands[n]()]));
  const times = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < runs; i++) {
    for (const n of i % 2 ? [...names].reverse() : names) times[n].push(commands[n]().ms);
  }
  return { warm, times };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** One row of the side-by-side table: label, median, min, max. */
export function row(label, xs, width = 47) {
  return `${label.padEnd(width)} ${median(xs).toFixed(0).padStart(9)} ${Math.min(...xs).toFixed(0).padStart(8)} ${Math.max(...xs).toFixed(0).padStart(8)}`;
}

/** A numeric command-line option (`--runs 5`), or `fallback` when it is not given. */
export function numberArg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
