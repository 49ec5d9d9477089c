// The GitHub Action's entry (action.yml runs it with node after installing this package): reads the
// action's inputs from INPUT_* variables, runs `mirra-scan <command> --format github` (annotations on
// the lines, printed to the log the runner reads) with `--sarif-output` (SARIF for code scanning, from
// the same scan), and writes the outputs `findings` and `sarif-file` to $GITHUB_OUTPUT. Exit codes:
// 0 clean (or keys found with fail-on-findings: false), 1 keys found, 2 the scan could not be done.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const COMMANDS = ['ci', 'scan', 'history'] as const;
// Bundled beside the CLI (dist/cli/action.js); tsc's copy (dist/src/action/run.js) finds it from there.
const CLI = [new URL('./mirra-scan.js', import.meta.url), new URL('../../cli/mirra-scan.js', import.meta.url)].map((u) => fileURLToPath(u)).find((f) => fs.existsSync(f)) ?? 'mirra-scan';

class InputError extends Error {}

/** An input as action.yml passes it (`INPUT_<NAME>`, upper case, `-` as `_`), trimmed; empty is the default. */
function input(env: NodeJS.ProcessEnv, name: string, fallback = ''): string {
  return (env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`] ?? '').trim() || fallback;
}

function booleanInput(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const value = input(env, name, String(fallback)).toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InputError(`input ${name} must be true or false, not ${JSON.stringify(value)}`);
}

/** The mirra-scan arguments the inputs ask for. */
export function argumentsFor(env: NodeJS.ProcessEnv, sarifFile: string): string[] {
  const command = input(env, 'command', 'ci');
  if (!(COMMANDS as readonly string[]).includes(command)) throw new InputError(`input command must be one of ${COMMANDS.join(', ')}, not ${JSON.stringify(command)}`);
  const args: string[] = [command];
  if (command === 'scan') args.push(...input(env, 'paths', '.').split(/\s+/));
  if (booleanInput(env, 'verify', false)) args.push('--verify');
  const baseline = input(env, 'baseline');
  if (baseline) args.push('--baseline', baseline);
  const extra = input(env, 'args');
  if (extra) args.push(...extra.split(/\s+/));
  args.push('--format', 'github', '--sarif-output', sarifFile);
  return args;
}

/** Appends `name=value` outputs to $GITHUB_OUTPUT, in the multi-line form so no value can break out. */
function setOutputs(env: NodeJS.ProcessEnv, outputs: Record<string, string>): void {
  const file = env.GITHUB_OUTPUT;
  if (!file) return;
  let text = '';
  for (const [name, value] of Object.entries(outputs)) {
    const delimiter = `mirra_scan_${Math.random().toString(36).slice(2)}`;
    text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  fs.appendFileSync(file, text);
}

function countResults(sarifFile: string): number {
  const sarif = JSON.parse(fs.readFileSync(sarifFile, 'utf8')) as { runs?: Array<{ results?: unknown[] }> };
  return (sarif.runs ?? []).reduce((n, run) => n + (run.results?.length ?? 0), 0);
}

export function runAction(env: NodeJS.ProcessEnv = process.env): number {
  let args: string[];
  let failOnFindings: boolean;
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const sarifInput = input(env, 'sarif-file', 'mirra-scan.sarif');
  const sarifFile = path.resolve(workspace, sarifInput);
  try {
    failOnFindings = booleanInput(env, 'fail-on-findings', true);
    args = argumentsFor(env, sarifFile);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    process.stdout.write(`::error title=mirra-scan::${e.message}\n`);
    return 2;
  }
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd: workspace, env, stdio: 'inherit' });
  const code = run.status ?? 2;
  if (code === 2 || !fs.existsSync(sarifFile)) {
    process.stdout.write(`::error title=mirra-scan::the scan could not be done (see the line above)\n`);
    return 2;
  }
  const findings = countResults(sarifFile);
  setOutputs(env, { findings: String(findings), 'sarif-file': sarifInput });
  if (code === 1 && !failOnFindings) {
    process.stdout.write(`mirra-scan: ${findings} finding${findings === 1 ? '' : 's'}; fail-on-findings is false, so the step passes\n`);
    return 0;
  }
  return code;
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = runAction();
}
