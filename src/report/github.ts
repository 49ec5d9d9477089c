// `--format github`: GitHub Actions workflow commands, one `::error` annotation per finding (shown
// on the file and line in the pull request and the run summary), `::warning` for skipped files.
// Values are escaped as the runner expects: `%`, CR and LF everywhere; `:` and `,` in properties too.

import { FINDINGS_KEPT_PER_CONTENT, secretOf, type Finding, type ScanResult } from '../finding.js';
import type { ReportOptions } from './options.js';
import { describeOrigin } from './origin.js';

/** Escapes a message (the text after `::`). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value (`file=…`, `title=…`). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(kind: 'error' | 'warning' | 'notice', props: Record<string, string | number | undefined>, message: string): string {
  const list = Object.entries(props)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${kind}${list ? ' ' + list : ''}::${escapeData(message)}`;
}

function annotation(f: Finding, options: ReportOptions): string {
  const keyText = options.reveal ? secretOf(f) : f.redacted;
  const encoded = f.encoding === 'plain' ? '' : `, written as ${f.encoding}`;
  const said = f.origin === 'commit' ? '' : describeOrigin(f);
  const added = f.commit ? ` Added in commit ${f.commit.slice(0, 12)}${f.author ? ` by ${f.author}` : ''}${f.date ? ` on ${f.date}` : ''}.` : '';
  const origin = `${added}${said ? ` Found ${said}.` : ''}`;
  const verification = f.verification.status !== 'unchecked' ? ` Verification: ${f.verification.status}${f.verification.detail ? ` (${f.verification.detail})` : ''}.` : '';
  const message = `Mirra ${f.keyType} key ${keyText}${encoded}.${origin}${verification}${f.hint ? ` ${f.hint}` : ''} (keySha256 ${f.keySha256})`;
  return command(
    'error',
    { file: f.file, line: f.line, col: f.column, endLine: f.endLine, endColumn: f.line === f.endLine ? f.endColumn : undefined, title: `Mirra API key (${f.keyType})` },
    message,
  );
}

export function renderGithub(result: ScanResult, options: ReportOptions): string {
  const out = result.findings.map((f) => annotation(f, options));
  for (const e of result.errors) out.push(command('warning', { file: e.file, title: 'mirra-scan skipped a file' }, e.message));
  for (const ch of result.allowRuleChanges ?? []) {
    out.push(command('warning', { file: ch.file, title: 'mirra-scan: allow rules changed' }, `commit ${ch.commit.slice(0, 12)} changes ${ch.file} (${ch.kind}), a source of allow rules: review it`));
  }
  for (const u of result.unlisted ?? []) out.push(command('error', { file: u.file, title: 'mirra-scan: more keys than listed' }, `${u.count} more Mirra keys found here and not listed (only the first ${FINDINGS_KEPT_PER_CONTENT} of a file are kept)`));
  const n = result.findings.length;
  out.push(n === 0 ? `mirra-scan: no Mirra keys found (${result.stats.files} files scanned)` : `mirra-scan: ${n} Mirra key${n === 1 ? '' : 's'} found`);
  return out.join('\n') + '\n';
}
