// The package's name, version and home, read from package.json wherever this module was built to.

import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const HOME = 'https://github.com/mirra-tools/eslint-plugin-mirra';

function readPackage(): { name: string; version: string; homepage: string } {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const json = JSON.parse(fs.readFileSync(fileURLToPath(new URL(rel, import.meta.url)), 'utf8')) as { name?: string; version?: string; homepage?: string };
      if (json.name === 'eslint-plugin-mirra' && json.version) return { name: json.name, version: json.version, homepage: json.homepage ?? HOME };
    } catch {
      // try the next place
    }
  }
  return { name: 'eslint-plugin-mirra', version: '0.0.0', homepage: HOME };
}

export const PACKAGE = readPackage();
export const TOOL = { name: 'mirra-scan', version: PACKAGE.version } as const;

/** The git tag of this release (`v0.1.0`): links point at the docs of the version that is running, not at whatever `main` holds by then. */
export const RELEASE_TAG = `v${PACKAGE.version}`;

/** A page of the project's documentation, e.g. `docsUrl('docs/rules/no-hardcoded-api-key.md')`, at this release's tag. */
export const docsUrl = (file: string, anchor = ''): string => `${PACKAGE.homepage}/blob/${RELEASE_TAG}/${file}${anchor ? `#${anchor}` : ''}`;

