// The one place that decides how mirra-scan exits (see the CLI contract).

import type { ScanResult } from '../finding.js';

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_CANNOT_SCAN = 2;

export function exitCodeFor(result: ScanResult): number {
  return result.findings.length > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
}
