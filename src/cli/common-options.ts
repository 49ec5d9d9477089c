// The options every scanning command shares, declared once.

import { Command, Option } from 'commander';
import { REPORT_FORMATS, type ReportFormat } from '../report/index.js';

export interface CommonOptions {
  format: ReportFormat;
  output?: string;
  /** `--sarif-output FILE`: SARIF written there too, whatever `--format` prints (one scan, two reports). */
  sarifOutput?: string;
  verify: boolean;
  apiUrl?: string;
  reveal: boolean;
  cache: boolean;
  baseline?: string;
  inlineAllow: boolean;
  config?: string;
  /** `--no-color` sets false; otherwise FORCE_COLOR / NO_COLOR / a terminal decide. */
  color?: boolean;
  /** `--verbose`: the text report gives the full advice under every finding. */
  verbose?: boolean;
  /** Set by the hook commands (staged, commit-msg, pre-push), not a flag: quiet when clean. */
  hook?: boolean;
}

export function addCommonOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', 'output format').choices(REPORT_FORMATS as string[]).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout (missing folders are created)')
    .option('--sarif-output <file>', 'also write a SARIF report to this file (e.g. --format github for annotations plus SARIF for code scanning, from one scan)')
    .option('--verify', 'check each distinct key against the Mirra API (sends the key to the API)', false)
    .option('--api-url <url>', 'the Mirra API base URL (default https://api.fxn.world, or $MIRRA_API_URL)')
    .option('--no-cache', 'with --verify: neither read nor write the verification cache')
    .option('--baseline <file>', 'report only keys that are not in this baseline file')
    .option('--no-inline-allow', 'ignore `mirra-scan:allow` comments (for security teams)')
    .option('--config <file>', 'use this config file instead of searching for one')
    .option('--reveal', 'print full keys (never do this in CI logs)', false)
    .option('--no-color', 'no colours (also NO_COLOR=1; FORCE_COLOR=1 forces them on)')
    .option('--verbose', 'text: the full advice under every finding, not once per kind at the end', false);
}
