// action.yml run the way the GitHub runner runs a composite action: each step's `run` with bash
// (`bash --noprofile --norc -eo pipefail`), its `env` and `${{ … }}` expressions filled in, the
// runner's variables (GITHUB_ACTIONS, GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_WORKSPACE,
// GITHUB_ACTION_PATH, RUNNER_TEMP) and a GITHUB_OUTPUT file per step. The install step installs the
// packed tarball of this build (input `version`), as it would install the published package.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultLoaders } from 'cosmiconfig';
import { gitEnv, PROJECT_ROOT } from './git-repo.js';
import { NPM_TEST_ENV, packProject } from './packed.js';

interface ActionStep { id?: string; shell: string; run: string; env?: Record<string, string> }
interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

const ACTION_FILE = path.join(PROJECT_ROOT, 'action.yml');
const action = defaultLoaders['.yaml'](ACTION_FILE, fs.readFileSync(ACTION_FILE, 'utf8')) as Action;

export interface ActionRun { status: number; log: string; outputs: Record<string, string> }

/** `name=value` and `name<<DELIMITER` … `DELIMITER` lines of a GITHUB_OUTPUT file. */
export function readOutputFile(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : [];
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      out[heredoc[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (lines[i].includes('=')) {
      out[lines[i].slice(0, lines[i].indexOf('='))] = lines[i].slice(lines[i].indexOf('=') + 1);
    }
  }
  return out;
}

/** A runner: the packed package and a RUNNER_TEMP shared by its runs (so the install is done once). */
export class ActionRunner {
  readonly tarball = packProject();
  readonly runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-runner-temp-'));

  /** Runs action.yml's steps in `workspace` for an event, as the runner does. */
  run(workspace: string, eventName: string, event: object, inputs: Record<string, string> = {}): ActionRun {
    return runAction(this, workspace, eventName, event, inputs);
  }

  cleanup(): void {
    fs.rmSync(path.dirname(this.tarball), { recursive: true, force: true });
    fs.rmSync(this.runnerTemp, { recursive: true, force: true });
  }
}

function runAction({ tarball, runnerTemp }: ActionRunner, workspace: string, eventName: string, event: object, inputs: Record<string, string>): ActionRun {
  const dir = fs.mkdtempSync(path.join(runnerTemp, 'job-'));
  const eventPath = path.join(dir, 'event.json');
  fs.writeFileSync(eventPath, JSON.stringify(event));
  const given: Record<string, string> = { version: tarball, ...inputs };
  const stepOutputs: Record<string, Record<string, string>> = {};
  const expr = (s: string) =>
    s.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, e: string) => {
      const inputMatch = /^inputs\.([\w-]+)$/.exec(e);
      if (inputMatch) return given[inputMatch[1]] ?? action.inputs[inputMatch[1]]?.default ?? '';
      const stepMatch = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(e);
      if (stepMatch) return stepOutputs[stepMatch[1]]?.[stepMatch[2]] ?? '';
      throw new Error(`expression the test runner does not know: ${e}`);
    });
  let log = '';
  let status = 0;
  for (const [i, step] of action.runs.steps.entries()) {
    const script = path.join(dir, `step-${i}.sh`);
    fs.writeFileSync(script, expr(step.run));
    const outputFile = path.join(dir, `output-${i}`);
    fs.writeFileSync(outputFile, '');
    const env = gitEnv({
      ...NPM_TEST_ENV,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: eventName,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_WORKSPACE: workspace,
      GITHUB_ACTION_PATH: PROJECT_ROOT,
      GITHUB_OUTPUT: outputFile,
      RUNNER_TEMP: runnerTemp,
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expr(String(v))])),
    });
    if (step.shell !== 'bash') throw new Error(`action.yml step ${i} uses shell ${step.shell}; the test runner knows bash`);
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: workspace, env, encoding: 'utf8' });
    log += r.stdout + r.stderr;
    if (step.id) stepOutputs[step.id] = readOutputFile(outputFile);
    status = r.status ?? 1;
    if (status !== 0) break;
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([name, o]) => [name, expr(o.value)]));
  return { status, log, outputs };
}

