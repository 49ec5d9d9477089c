// What every scanning command does once its source has produced findings, in this order:
// drop allowed keys, verify (only with --verify), attach hints, print, pick the exit code.
// Commands only gather findings; this finishes them.

import type { ScanResult } from '../finding.js';
import { writeReport } from '../report/index.js';
import type { CommonOptions } from './common-options.js';
import { exitCodeFor } from './exit-codes.js';

export async function finishRun(result: ScanResult, options: CommonOptions): Promise<number> {
  writeReport(result, options.format, { output: options.output, reveal: options.reveal });
  return exitCodeFor(result);
}
