// `--format text`: what a person reads in a terminal or a hook's output.

import pc from 'picocolors';
import { FINDINGS_KEPT_PER_CONTENT, secretOf, type Finding, type ScanResult } from '../finding.js';
import { docsUrl } from '../version.js';
import type { ReportOptions } from './options.js';
import { describeOrigin } from './origin.js';

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
  // A message's `file` already says which message it is: then only the commit is added.
  const origin = f.origin === 'commit-message' || f.origin === 'tag-message' ? (f.commit ? `in commit ${f.commit.slice(0, 12)}` : '') : describeOrigin(f);
  const said = !origin || f.origin === 'stdin' ? '' : origin.startsWith('in ') ? ` ${origin}` : ` (${origin})`;
  return `${printable(f.file)}:${f.line}:${f.column}${said}`;
}

/** One finding: its place, key type, redacted key and how it was written, then the source line and a marker. */
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
  if (options.verbose && f.hint) lines.push(`  ${c.cyan('what to do:')} ${printable(f.hint)}`);
  return lines.join('\n');
}

/**
 * The advice, said once per kind: findings that share a hint (the same place, key type and
 * verification) get it once, after all findings, naming the places it is for when there are several kinds.
 */
function adviceOnce(findings: Finding[], c: ReturnType<typeof pc.createColors>): string[] {
  // A hint names its finding's file: findings whose hints differ only in that name are one kind.
  const FILE = '\u0000file\u0000';
  const byHint = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!f.hint) continue;
    const kind = f.file ? f.hint.split(f.file).join(FILE) : f.hint;
    byHint.set(kind, [...(byHint.get(kind) ?? []), f]);
  }
  const out: string[] = [];
  for (const [kind, group] of byHint) {
    const hint = new Set(group.map((f) => f.file)).size === 1 ? group[0].hint : kind.split(FILE).join('the file');
    const places = group.slice(0, 4).map((f) => `${printable(f.file)}:${f.line}`);
    const more = group.length > places.length ? ` and ${group.length - places.length} more` : '';
    const label = byHint.size === 1 ? 'what to do:' : `what to do for ${places.join(', ')}${more}:`;
    out.push(`${c.cyan(label)} ${printable(hint)}`, '');
  }
  return out;
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
  // Grouped by file (in the order files first appear), one block per finding.
  const byFile = new Map<string, Finding[]>();
  for (const f of result.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  for (const group of byFile.values()) for (const f of group) out.push(renderFinding(f, options), '');
  // A hook's block message says what to do itself: the advice is not said twice.
  if (!options.verbose && !options.hook) out.push(...adviceOnce(result.findings, c));
  for (const e of result.errors) {
    const where = [e.file, e.commit ? `in commit ${e.commit.slice(0, 12)}` : ''].filter(Boolean).join(' ') || '(range)';
    out.push(c.yellow(`skipped ${printable(where)}: ${printable(e.message)}`));
  }
  for (const u of result.unlisted ?? []) {
    const commit = u.commit ? ` in commit ${u.commit.slice(0, 12)}` : '';
    out.push(c.red(`${printable(u.file)}${commit}: ${plural(u.count, 'more Mirra key')} not listed (only the first ${FINDINGS_KEPT_PER_CONTENT} of a file are kept)`));
  }
  if (result.errors.length || result.unlisted?.length) out.push('');
  for (const ch of result.allowRuleChanges ?? []) {
    out.push(c.yellow(`warning: commit ${ch.commit.slice(0, 12)} changes ${printable(ch.file)} (${ch.kind}), a source of allow rules`));
  }
  if (result.allowRuleChanges?.length) out.push('');
  const s = result.stats;
  const scanned = `scanned ${plural(s.files, 'file')} (${size(s.bytes)}) in ${s.durationMs} ms`;
  if (result.incomplete) {
    // Never "no keys found" when part of the input could not be read.
    const found = result.findings.length === 0 ? 'no Mirra keys in what could be read' : `${plural(result.findings.length, 'Mirra key')} found in what could be read`;
    out.push(c.red(`✖ scan incomplete: ${plural(result.errors.length, 'part')} could not be read (listed above); ${found}; ${scanned}`));
  } else if (result.findings.length === 0) {
    // A hook is quiet when the commit or push goes through.
    if (options.hook && result.errors.length === 0) return '';
    out.push(c.green(`✔ no Mirra keys found; ${scanned}`) + (s.skipped ? `, ${s.skipped} skipped` : ''));
  } else {
    out.push(c.red(`✖ ${plural(result.findings.length, 'Mirra key')} found in ${plural(byFile.size, 'file')}; ${scanned}`) + (s.skipped ? `, ${s.skipped} skipped` : ''));
    out.push(`  A line that is not a key: add a \`mirra-scan:allow\` comment to it, or allow its keySha256 in the config (${docsUrl('docs/config.md')}).`);
  }
  return out.join('\n') + '\n';
}
