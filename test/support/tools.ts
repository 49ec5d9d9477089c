// Tests of other tools (pre-commit, lefthook, npm pack) need those tools. A tool that is missing skips
// its tests with a message saying so, except under CI=true, where `.ci/run` installs it and a missing
// tool is a failure.

import { spawnSync } from 'node:child_process';
import { describe, test } from 'vitest';

/** True when `command args` runs and exits 0. */
export function toolWorks(command: string, args: string[] = ['--version']): boolean {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
  return !r.error && r.status === 0;
}

/** `describe` when the tool is there; otherwise a skip that says why, or a failing test under CI. */
export function describeWithTool(tool: string, available: boolean, name: string, body: () => void): void {
  if (available) {
    describe(name, body);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      test(`${tool} is installed (CI=true: .ci/run installs it)`, () => {
        throw new Error(`${tool} is not installed, so "${name}" cannot run; .ci/run installs it`);
      });
    });
  } else {
    console.warn(`skipping "${name}": ${tool} is not installed (.ci/run installs it; under CI=true this fails)`);
    describe.skip(name, body);
  }
}
