// One measured ESLint run, in a process of its own: `node lint-once.js <variant> <folder>`.
// Prints {"ms": wall time, "cpuMs": CPU time, "files": n, "problems": {ruleId: count}} as one JSON
// line; both times are those of ESLint#lintFiles (Node's clock, process.cpuUsage), after ESLint and
// the plugins are loaded. With --stats, also ESLint's own per-rule times.

import path from 'node:path';
import js from '@eslint/js';
import { ESLint } from 'eslint';
import noSecrets from 'eslint-plugin-no-secrets';
import tseslint from 'typescript-eslint';
import mirra from '../../dist/src/index.js';

// What a TypeScript project typically runs: ESLint's and typescript-eslint's recommended rules.
const typical = [{ files: ['**/*.ts'] }, js.configs.recommended, ...tseslint.configs.recommended];
const withNoSecrets = { plugins: { 'no-secrets': noSecrets }, rules: { 'no-secrets/no-secrets': 'error' } };

export const VARIANTS = {
  typical,
  'typical + mirra': [...typical, mirra.configs.recommended],
  'typical + no-secrets': [...typical, withNoSecrets],
};

if (process.argv[2]) {
  const [variant, folder, flag] = process.argv.slice(2);
  if (!VARIANTS[variant]) throw new Error(`unknown variant ${variant}`);
  const stats = flag === '--stats';
  const eslint = new ESLint({ cwd: path.resolve(folder), overrideConfigFile: true, overrideConfig: VARIANTS[variant], cache: false, stats });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const results = await eslint.lintFiles(['.']);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const problems = {};
  for (const r of results) for (const m of r.messages) problems[m.ruleId ?? 'fatal'] = (problems[m.ruleId ?? 'fatal'] ?? 0) + 1;
  const out = { ms, cpuMs: (cpu.user + cpu.system) / 1000, files: results.length, problems };
  if (stats) {
    // ESLint's own accounting (the `stats` option): time per rule (create() and listeners), parse, total.
    const ruleMs = {};
    let parseMs = 0;
    let totalMs = 0;
    for (const r of results) {
      for (const pass of r.stats?.times.passes ?? []) {
        parseMs += pass.parse.total;
        totalMs += pass.total;
        for (const [ruleId, t] of Object.entries(pass.rules ?? {})) ruleMs[ruleId] = (ruleMs[ruleId] ?? 0) + t.total;
      }
    }
    Object.assign(out, { stats: { parseMs, totalMs, ruleMs } });
  }
  console.log(JSON.stringify(out));
}
