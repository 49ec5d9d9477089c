// README's "Layout" section is how a reader finds a part by its name: it must name every folder of
// src/ and rules/ (by its full path, `src/sources/git/`; rules/ itself too), and every path it names must exist.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const layout = /^## Layout\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme)?.[1] ?? '';

/** Every folder under `dir` (relative to the root, `/`-separated, ending in `/`), `dir` itself too. */
function foldersUnder(dir: string): string[] {
  const out = [`${dir}/`];
  for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...foldersUnder(`${dir}/${e.name}`));
  }
  return out;
}

describe("README's layout section", () => {
  it('is there', () => {
    expect(layout.length).toBeGreaterThan(200);
  });

  it('names every folder of src/ and rules/', () => {
    const missing = [...foldersUnder('src').slice(1), ...foldersUnder('rules')].filter((f) => !layout.includes(`\`${f}\``));
    expect(missing).toEqual([]);
  });

  it('names only paths that exist', () => {
    const named = [...layout.matchAll(/`((?:src|rules|docs|scripts|bench|test|fixtures|\.ci)\/[^`\s]*)`/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((p) => !fs.existsSync(path.join(root, p)))).toEqual([]);
  });
});
