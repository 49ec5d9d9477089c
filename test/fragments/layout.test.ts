// The architecture's rule, enforced: sources yield fragments and the one loop (src/fragments) turns
// them into findings. No module under src/sources/ reaches the detector except through that loop,
// and no module of src/ outside the detector and the loop runs the detector over content.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DETECTOR = path.join(ROOT, 'src/detector');
const LOOP = path.join(ROOT, 'src/fragments');

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** The modules a file imports or re-exports (static and dynamic), resolved to `.ts` paths; packages left out. */
function importsOf(file: string): Array<{ target: string; names: string }> {
  const text = fs.readFileSync(file, 'utf8');
  const out: Array<{ target: string; names: string }> = [];
  const forms = [/\b(?:import|export)\s*(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /^\s*import\s*['"]([^'"]+)['"]/gm];
  for (const re of forms) {
    for (const m of text.matchAll(re)) {
      const spec = m[m.length - 1];
      if (!spec.startsWith('.')) continue;
      out.push({ target: path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts'), names: m.length > 2 ? m[2] : '' });
    }
  }
  return out;
}

const inside = (file: string, dir: string) => file === dir || file.startsWith(dir + path.sep);
const rel = (p: string) => path.relative(ROOT, p);

describe('sources reach the detector only through the fragment loop', () => {
  it('the import reader sees imports (the loop imports the detector)', () => {
    const loopImports = tsFiles(LOOP).flatMap(importsOf);
    expect(loopImports.some((i) => inside(i.target, DETECTOR))).toBe(true);
  });

  it('no module under src/sources/ imports src/detector', () => {
    const files = tsFiles(path.join(ROOT, 'src/sources'));
    expect(files.length).toBeGreaterThan(10);
    const offending = files.flatMap((f) => importsOf(f).filter((i) => inside(i.target, DETECTOR)).map((i) => `${rel(f)} -> ${rel(i.target)}`));
    expect(offending).toEqual([]);
    // And every source that finds keys hands its content to the loop.
    const users = files.filter((f) => importsOf(f).some((i) => inside(i.target, LOOP)));
    expect(users.map(rel)).toEqual(expect.arrayContaining(['src/sources/files/file-worker.ts', 'src/sources/files/read-file.ts', 'src/sources/git/patch-scan.ts', 'src/sources/git/messages.ts', 'src/sources/git/history.ts', 'src/sources/git/receive.ts']));
  });

  it('outside the detector, only the loop runs the detector over content (scanContent)', () => {
    const files = tsFiles(path.join(ROOT, 'src')).filter((f) => !inside(f, DETECTOR) && !inside(f, LOOP));
    const offending = files.filter((f) => importsOf(f).some((i) => inside(i.target, DETECTOR) && /\bscanContent\b/.test(i.names)));
    expect(offending.map(rel)).toEqual([]);
    expect(tsFiles(LOOP).some((f) => importsOf(f).some((i) => inside(i.target, DETECTOR) && /\bscanContent\b/.test(i.names)))).toBe(true);
  });
});
