// `--format json`: one object, as the CLI contract gives it. Fields are copied one by one, so a
// field added to Finding never reaches the output by accident; the key only with `--reveal`.

import { secretOf, type Finding, type ScanResult } from '../finding.js';
import { TOOL } from '../version.js';
import type { ReportOptions } from './options.js';

export function findingToJson(f: Finding, options: ReportOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ruleId: f.ruleId,
    keyType: f.keyType,
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    source: f.source,
    origin: f.origin,
    commit: f.commit,
    encoding: f.encoding,
    redacted: f.redacted,
    keySha256: f.keySha256,
    verification: { ...f.verification },
    hint: f.hint,
  };
  if (f.mergedCommit !== undefined) out.mergedCommit = f.mergedCommit;
  if (f.tag !== undefined) out.tag = f.tag;
  if (f.author !== undefined) out.author = f.author;
  if (f.date !== undefined) out.date = f.date;
  if (options.reveal) out.key = secretOf(f);
  return out;
}

export function renderJson(result: ScanResult, options: ReportOptions): string {
  return (
    JSON.stringify(
      {
        tool: { ...TOOL },
        findings: result.findings.map((f) => findingToJson(f, options)),
        errors: result.errors.map((e) => ({ file: e.file, message: e.message, ...(e.commit ? { commit: e.commit } : {}), ...(e.object ? { object: e.object } : {}) })),
        ...(result.unlisted?.length ? { unlisted: result.unlisted.map((u) => ({ file: u.file, commit: u.commit, count: u.count })) } : {}),
        stats: { ...result.stats },
        ...(result.incomplete ? { incomplete: true } : {}),
        ...(result.allowRuleChanges ? { allowRuleChanges: result.allowRuleChanges.map((c) => ({ ...c })) } : {}),
      },
      null,
      2,
    ) + '\n'
  );
}
