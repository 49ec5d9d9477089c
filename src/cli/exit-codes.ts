// The one place that decides how mirra-scan exits (see the CLI contract).

import type { ScanResult } from '../finding.js';

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_CANNOT_SCAN = 2;

export function exitCodeFor(result: ScanResult): number {
  if (result.incomplete) return EXIT_CANNOT_SCAN; // what could not be read is never passed as clean
  // Keys counted but not listed (past the per-file cap) were never checked against allow rules: they fail.
  return result.findings.length > 0 || (result.unlisted?.length ?? 0) > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
}
