// Attack: a file whose name is not valid UTF-8. Node decodes names as UTF-8 (an odd byte becomes
// U+FFFD) and such a string no longer opens the file: it was skipped while the scan said "no Mirra
// keys found". Now it is opened by its bytes and reported with the odd bytes shown as `\xNN`, in a
// walk (this thread or a worker), in a folder whose own name is not UTF-8, named on the command
// line (as the shell passes it, or as the report shows it), and in what git stages.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeKey } from '../support/fake-keys.js';
import { CLI, runProgram, TempRepo } from '../support/git-repo.js';

const KEY = fakeKey('script', 80, 41);
const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-names-')));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Writes a file under `dir` whose path is given as bytes (latin1: one char per byte). */
function writeBytesNamed(dir: string, rel: string, content: string): void {
  const parts = rel.split('/');
  let at = Buffer.from(dir);
  for (const [i, part] of parts.entries()) {
    at = Buffer.concat([at, Buffer.from('/'), Buffer.from(part, 'latin1')]);
    if (i < parts.length - 1) fs.mkdirSync(at, { recursive: true });
  }
  fs.writeFileSync(at, content);
}

function folder(name: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir);
  return dir;
}

const scan = (cwd: string, args: string[]) => runProgram(process.execPath, [CLI, 'scan', ...args], { cwd });
/** Runs the CLI through a shell, so an argument can hold bytes that are not UTF-8 (written as printf escapes). */
const scanNamedByShell = (cwd: string, printfName: string, extra = '') =>
  runProgram('sh', ['-c', `exec "$0" "$1" scan ${extra} "$(printf '${printfName}')"`, process.execPath, CLI], { cwd });
const files = (stdout: string): string[] => (JSON.parse(stdout) as { findings: Array<{ file: string }> }).findings.map((f) => f.file).sort();

describe('a file named with bytes that are not UTF-8', () => {
  it('is scanned in a walk, and shown with its odd bytes escaped (json and text)', () => {
    const dir = folder('walk');
    writeBytesNamed(dir, 'caf\xe9.js', `const k = "${KEY}";\n`);
    writeBytesNamed(dir, 'ok.js', 'const x = 1;\n');
    const r = scan(dir, ['--format', 'json']);
    expect(r.status, r.stderr).toBe(1);
    expect(files(r.stdout)).toEqual(['caf\\xe9.js']);
    const text = scan(dir, []);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain('caf\\xe9.js:1:12');
    expect(text.stdout).not.toContain('no Mirra keys found');
  });

  it('is scanned inside a folder whose own name is not UTF-8, and in a big walk shared with worker threads', () => {
    const dir = folder('deep');
    writeBytesNamed(dir, 'd\xff\xfe/in\x80side.txt', `k=${KEY}\n`);
    // 300 folders of odd names: a level big enough that the threads share its folders out.
    for (let i = 0; i < 450; i++) writeBytesNamed(dir, `many/d${i % 300}\xfe/f${i}\xa0.txt`, i === 333 ? `k=${KEY}\n` : 'nothing\n');
    const r = scan(dir, ['--format', 'json']);
    expect(r.status, r.stderr).toBe(1);
    expect(files(r.stdout)).toEqual(['d\\xff\\xfe/in\\x80side.txt', 'many/d33\\xfe/f333\\xa0.txt']);
    expect(JSON.parse(r.stdout).errors).toEqual([]);
  });

  it('can be named on the command line, as the shell passes it or as the report shows it', () => {
    const dir = folder('named');
    writeBytesNamed(dir, 'sub\xfe/bad\xff.js', `const k = "${KEY}";\n`);
    const byBytes = scanNamedByShell(dir, 'sub\\376/bad\\377.js', '--format json');
    expect(byBytes.status, byBytes.stderr).toBe(1);
    expect(files(byBytes.stdout)).toEqual(['sub\\xfe/bad\\xff.js']);
    const byFolder = scanNamedByShell(dir, 'sub\\376', '--format json');
    expect(byFolder.status, byFolder.stderr).toBe(1);
    expect(files(byFolder.stdout)).toEqual(['sub\\xfe/bad\\xff.js']);
    const byShownName = scan(dir, ['--format', 'json', 'sub\\xfe/bad\\xff.js']);
    expect(byShownName.status, byShownName.stderr).toBe(1);
    expect(files(byShownName.stdout)).toEqual(['sub\\xfe/bad\\xff.js']);
  });

  it('a name that matches two files (both lost the same bytes) is refused, not guessed', () => {
    const dir = folder('twins');
    writeBytesNamed(dir, 'a\xff.js', `const k = "${KEY}";\n`);
    writeBytesNamed(dir, 'a\xfe.js', 'const x = 1;\n');
    const r = scan(dir, ['a\ufffd.js']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/matches 2 names: a\\x(fe|ff)\.js, a\\x(fe|ff)\.js/);
  });

  it('is blocked when staged, under its escaped name; a tracked one is scanned although .gitignore names it', () => {
    const repo = new TempRepo({ prefix: 'mirra-names-git-' });
    try {
      repo.commitFiles({ 'README.md': 'app\n', '.gitignore': '*.secret\n' });
      writeBytesNamed(repo.dir, 'conf\xe9.secret', `k=${KEY}\n`);
      repo.git('add', '-f', '.');
      const staged = repo.mirraScan(['staged', '--format', 'json']);
      expect(staged.status, staged.stderr).toBe(1);
      expect(files(staged.stdout)).toEqual(['conf\\xe9.secret']);
      repo.commit('tracked, though ignored');
      const r = repo.mirraScan(['scan', '--format', 'json']);
      expect(r.status, r.stderr).toBe(1);
      expect(files(r.stdout)).toEqual(['conf\\xe9.secret']);
    } finally {
      repo.cleanup();
    }
  });
});
