// The package as users get it: `npm pack` of this project (dist/ already built by `npm run build`;
// scripts off so that packing does not build again), for tests that install it somewhere else.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT, runProgram } from './git-repo.js';

/** npm's environment for tests: the local cache first, nothing sent anywhere else. */
export const NPM_TEST_ENV = { npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

/** Packs the project into a new temp folder; returns the tarball's path. */
export function packProject(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-pack-')));
  const r = runProgram('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: PROJECT_ROOT, env: { ...process.env, ...NPM_TEST_ENV } });
  if (r.status !== 0) throw new Error(`npm pack failed: ${r.stderr}`);
  const name = r.stdout.trim().split('\n').pop() ?? '';
  return path.join(dir, name);
}
