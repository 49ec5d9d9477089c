// `--format text`: what a person reads in a terminal or a hook's output.

import pc from 'picocolors';
import { FINDINGS_KEPT_PER_CONTENT, secretOf, type Finding, type ScanResult } from '../finding.js';
import type { ReportOptions } from './options.js';

const STATUS_WORD: Record<string, string> = {
  live: 'LIVE: the key works',
  invalid: 'invalid: the key is revoked or was never valid',
  unknown: 'unknown',
};

/**
 * Text from the scanned tree (file names, and hints that quote them) with control characters shown
 * as escapes, so that a name holding a terminal escape sequence, a carriage return or a newline cannot
 * restyle what the reader sees or fake a line of its own (`✔ no Mirra keys found`). Line and
 * paragraph separators and bidirectional controls are escaped too. Tabs stay as they are.
 */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (c === '\r') return '\\r';
    if (c === '\n') return '\\n';
    const code = c.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16)}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

function where(f: Finding): string {
  const commit = f.commit ? ` in commit ${f.commit.slice(0, 12)}` : f.source === 'staged' ? ' (staged)' : '';
  return `${printable(f.file)}:${f.line}:${f.column}${commit}`;
}

export function renderFinding(f: Finding, options: ReportOptions): string {
  const c = pc.createColors(options.color === true);
  const keyText = options.reveal ? secretOf(f) : f.redacted;
  const lines: string[] = [];
  const encoded = f.encoding === 'plain' ? '' : `, written as ${f.encoding}`;
  lines.push(`${c.bold(where(f))}  ${c.red(`Mirra ${f.keyType} key`)} ${keyText}${encoded}`);
  if (f.author || f.date) lines.push(c.dim(`  added by ${printable(f.author ?? '?')} on ${f.date ?? '?'}`));
  if (f.snippet) {
    const gutter = `  ${f.line} | `;
    lines.push(c.dim(gutter) + f.snippet.text);
    lines.push(' '.repeat(gutter.length + f.snippet.markerStart) + c.red('^'.repeat(Math.max(1, f.snippet.markerLength))));
  }
  if (f.verification.status !== 'unchecked') {
    const word = STATUS_WORD[f.verification.status] ?? f.verification.status;
    const detail = f.verification.detail ? ` (${f.verification.detail})` : '';
    const paint = f.verification.status === 'live' ? c.red : f.verification.status === 'invalid' ? c.green : c.yellow;
    lines.push(`  verification: ${paint(word)}${detail}`);
  }
  if (f.hint) lines.push(`  ${c.cyan('what to do:')} ${printable(f.hint)}`);
  return lines.join('\n');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function renderText(result: ScanResult, options: ReportOptions): string {
  const c = pc.createColors(options.color === true);
  const out: string[] = [];
  for (const f of result.findings) out.push(renderFinding(f, options), '');
  for (const e of result.errors) out.push(c.yellow(`skipped ${printable(e.file)}: ${printable(e.message)}`));
  for (const u of result.unlisted ?? []) {
    const commit = u.commit ? ` in commit ${u.commit.slice(0, 12)}` : '';
    out.push(c.red(`${printable(u.file)}${commit}: ${plural(u.count, 'more Mirra key')} not listed (only the first ${FINDINGS_KEPT_PER_CONTENT} of a file are kept)`));
  }
  if (result.errors.length || result.unlisted?.length) out.push('');
  const s = result.stats;
  const scanned = `scanned ${plural(s.files, 'file')} (${size(s.bytes)}) in ${s.durationMs} ms`;
  if (result.findings.length === 0) {
    out.push(c.green(`✔ no Mirra keys found; ${scanned}`) + (s.skipped ? `, ${s.skipped} skipped` : ''));
  } else {
    const files = new Set(result.findings.map((f) => `${f.commit ?? ''}:${f.file}`)).size;
    out.push(c.red(`✖ ${plural(result.findings.length, 'Mirra key')} found in ${plural(files, 'place')}; ${scanned}`) + (s.skipped ? `, ${s.skipped} skipped` : ''));
    out.push('  A line that is not a key: add a `mirra-scan:allow` comment to it, or allow its keySha256 in the config (see README).');
  }
  return out.join('\n') + '\n';
}
