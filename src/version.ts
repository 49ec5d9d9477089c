// The package's name and version, read from package.json wherever this module was built to.

import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

function readPackage(): { name: string; version: string } {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const json = JSON.parse(fs.readFileSync(fileURLToPath(new URL(rel, import.meta.url)), 'utf8')) as { name?: string; version?: string };
      if (json.name === 'eslint-plugin-mirra' && json.version) return { name: json.name, version: json.version };
    } catch {
      // try the next place
    }
  }
  return { name: 'eslint-plugin-mirra', version: '0.0.0' };
}

export const PACKAGE = readPackage();
export const TOOL = { name: 'mirra-scan', version: PACKAGE.version } as const;
