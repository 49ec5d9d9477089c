// The installer's pieces: the hook block, how it goes into a hook file, the prepare script.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { hookBlock, prepareCommand, withHookBlock } from '../../src/install/husky.js';
import { installHooks } from '../../src/install/index.js';
import { linkMirraScanInto, PROJECT_ROOT, runProgram, TempRepo, writeUserPackageJson } from '../support/git-repo.js';

describe('withHookBlock', () => {
  const block = hookBlock('pre-commit', '');
  test('creates, appends to a user hook, replaces its own block, and is then unchanged', () => {
    expect(withHookBlock(null, 'pre-commit', block)).toEqual({ text: block, action: 'created' });
    const appended = withHookBlock('npm test', 'pre-commit', block);
    expect(appended).toEqual({ text: `npm test\n\n${block}`, action: 'appended' });
    expect(withHookBlock(appended.text, 'pre-commit', block)).toEqual({ text: appended.text, action: 'unchanged' });
    const older = appended.text.replace('"$bin" staged', '"$bin" staged --old-flag') + 'echo after\n';
    expect(withHookBlock(older, 'pre-commit', block)).toEqual({ text: `${appended.text}echo after\n`, action: 'updated' });
  });
});

describe('hookBlock', () => {
  test('runs the local bin (never npx), from the package folder, and fails closed', () => {
    const b = hookBlock('commit-msg', "my app/web");
    expect(b).toContain("cd 'my app/web'");
    expect(b).toContain('"$d/node_modules/.bin/mirra-scan"');
    expect(b).toContain('find_bin "$main"/\'my app/web\'');
    expect(b).not.toContain('npx');
    expect(b).toContain('msg="$PWD/$msg"');
    expect(b).toContain('"$bin" commit-msg "$msg" || code=$?');
    expect(b).toMatch(/\*\) echo .*exit 2 ;;/);
    expect(hookBlock('pre-push', '')).toContain('"$bin" pre-push "$@"');
  });
});

describe('prepareCommand', () => {
  test('husky at the root; cd up and pass the hooks folder from a subfolder (husky 9 docs)', () => {
    expect(prepareCommand('')).toBe('husky');
    expect(prepareCommand('frontend')).toBe('cd .. && husky frontend/.husky');
    expect(prepareCommand('apps/web')).toBe('cd ../.. && husky apps/web/.husky');
  });
});

describe('installHooks: adding husky when it is missing', () => {
  test('runs the package manager the lockfile shows, in the package folder, then sets husky up', async () => {
    const repo = new TempRepo({ prefix: 'mirra-install-' });
    try {
      writeUserPackageJson(repo.path('app'));
      fs.writeFileSync(repo.path('app/pnpm-lock.yaml'), 'lockfileVersion: 9\n');
      linkMirraScanInto(repo.path('app'), { husky: false });
      const calls: string[] = [];
      const report = await installHooks({
        cwd: repo.path('app'),
        runCommand: (command, args, cwd) => {
          calls.push(`${path.basename(command)} ${args.join(' ')} @ ${path.relative(repo.dir, cwd) || '.'}`);
          if (command === 'pnpm') fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules/husky'), repo.path('app/node_modules/husky'), 'dir');
          if (command !== process.execPath) return { status: 0, output: '' };
          const husky = runProgram(command, args, { cwd });
          return { status: husky.status, output: husky.stdout + husky.stderr };
        },
      });
      expect(calls[0]).toBe('pnpm add --save-dev husky @ app');
      expect(calls[1]).toMatch(/husky\/bin\.js app\/\.husky @ \.$/);
      expect(report.active).toBe(true);
      expect(report.files.filter((f) => f.file.startsWith('app/.husky/')).map((h) => `${h.file} ${h.action}`)).toEqual(['pre-commit', 'pre-merge-commit', 'prepare-commit-msg', 'pre-applypatch', 'post-checkout'].map((h) => `app/.husky/${h} created`));

      // A failing package manager is an error, not a silent half-install.
      fs.rmSync(repo.path('app/node_modules/husky'));
      await expect(installHooks({ cwd: repo.path('app'), runCommand: () => ({ status: 1, output: 'offline' }) })).rejects.toThrow(/pnpm add --save-dev husky` failed/);
    } finally {
      repo.cleanup();
    }
  });
});
