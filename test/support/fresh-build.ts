// Vitest global setup for the full run: end-to-end tests run dist/ (the built CLI and plugin), so a
// dist/ older than src/ or rules/ would test yesterday's code. Refuse, and say what to run.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function newestUnder(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

export default function checkBuildIsFresh(): void {
  const built = path.join(ROOT, 'dist/cli/mirra-scan.js');
  if (!fs.existsSync(built)) throw new Error('dist/ is missing: run `npm run build` first (`npm test` does)');
  const sources = Math.max(newestUnder(path.join(ROOT, 'src')), newestUnder(path.join(ROOT, 'rules')));
  if (fs.statSync(built).mtimeMs < sources) {
    throw new Error('dist/ is older than src/ or rules/: run `npm run build` first (`npm test` does), or the end-to-end tests would run old code');
  }
}
