// ESLint 9's and 10's Linter side by side, for tests that run the rule under each.

import { Linter as Linter10 } from 'eslint';
import { Linter as Linter9 } from 'eslint-v9';

/** What a test asks of a flat-config Linter; ESLint 9's and 10's both have it. */
export interface FlatLinter {
  verify(code: string, config: Linter10.Config[], options: { filename: string }): Linter10.LintMessage[];
}

/** A flat-config Linter of ESLint `version`, resolving configs from `cwd`. */
export function flatLinter(version: 9 | 10, cwd: string): FlatLinter {
  return version === 9 ? new Linter9({ configType: 'flat', cwd }) : new Linter10({ configType: 'flat', cwd });
}
