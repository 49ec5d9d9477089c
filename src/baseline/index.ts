// Baselines: the keys a repository already had when it adopted mirra-scan, recorded by hash (never
// the key), so that later scans report only new ones. A key is matched by its keySha256 alone: once
// known it stays known wherever it moves (another line, file or commit), so moving code never
// resurfaces it. `file` and `commit` are kept for the people who review the baseline: one entry per
// key and file, with the earliest commit that added it there.
//
// The file is JSON with one entry per line, sorted by keySha256, then file, then commit, and no
// timestamps or line numbers: re-recording an unchanged repository gives the same bytes, and two
// branches that each add entries merge without conflicts in the lines they share.

import fs from 'node:fs';
import { UsageError } from '../errors.js';
import type { Finding } from '../finding.js';

export const DEFAULT_BASELINE_FILE = '.mirra-scan-baseline.json';
export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  keySha256: string;
  /** Where the key was seen, relative to the repository root. */
  file: string;
  /** The commit that added it, or null for a key found in the working tree. */
  commit: string | null;
}

export interface Baseline {
  version: number;
  entries: BaselineEntry[];
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

function compare(a: BaselineEntry, b: BaselineEntry): number {
  return cmp(a.keySha256, b.keySha256) || cmp(a.file, b.file) || cmp(a.commit ?? '', b.commit ?? '');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Entries for these findings: one per key and file, with the earliest commit that added the key
 * there (null when it is only in the working tree). A key that moves inside a file, or is added
 * again later, leaves the baseline as it was: re-recording gives the same bytes.
 */
export function baselineFromFindings(findings: Iterable<Finding>): Baseline {
  const byPlace = new Map<string, { entry: BaselineEntry; time: number }>();
  for (const f of findings) {
    const id = `${f.keySha256}\0${f.file}`;
    const time = f.commit ? Date.parse(f.date ?? '') || 0 : Infinity;
    const prev = byPlace.get(id);
    const earlier = !prev || time < prev.time || (time === prev.time && (f.commit ?? '') < (prev.entry.commit ?? ''));
    if (earlier) byPlace.set(id, { entry: { keySha256: f.keySha256, file: f.file, commit: f.commit }, time });
  }
  return { version: BASELINE_VERSION, entries: [...byPlace.values()].map((v) => v.entry).sort(compare) };
}

/** The file's text: a fixed header, one entry per line, a newline at the end. */
export function formatBaseline(baseline: Baseline): string {
  const entries = [...baseline.entries].sort(compare);
  const lines = entries.map((e, i) => `    ${JSON.stringify({ keySha256: e.keySha256, file: e.file, commit: e.commit })}${i < entries.length - 1 ? ',' : ''}`);
  const body = lines.length ? `[\n${lines.join('\n')}\n  ]` : '[]';
  return `{\n  "tool": "mirra-scan",\n  "version": ${BASELINE_VERSION},\n  "entries": ${body}\n}\n`;
}

export function writeBaseline(file: string, baseline: Baseline): void {
  try {
    fs.writeFileSync(file, formatBaseline(baseline));
  } catch (e) {
    throw new UsageError(`baseline ${file}: cannot write (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

export function readBaseline(file: string): Baseline {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`baseline ${file}: ${code === 'ENOENT' ? 'no such file (make one with `mirra-scan baseline`)' : `cannot read (${code ?? 'error'})`}`);
  }
  return parseBaseline(text, file);
}

export function parseBaseline(text: string, file: string): Baseline {
  const fail = (field: string, problem: string): never => {
    throw new UsageError(`baseline ${file}: ${field}: ${problem}`);
  };
  let raw: unknown;
  try {
    // A UTF-8 byte order mark (some Windows editors write one) is not part of the JSON.
    raw = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (e) {
    throw new UsageError(`baseline ${file}: not valid JSON: ${(e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('(file)', 'must be an object with "version" and "entries"');
  const obj = raw as Record<string, unknown>;
  if (obj.version !== BASELINE_VERSION) fail('version', `must be ${BASELINE_VERSION} (this mirra-scan reads baseline version ${BASELINE_VERSION})`);
  if (!Array.isArray(obj.entries)) fail('entries', 'must be a list');
  const entries = (obj.entries as unknown[]).map((e, i): BaselineEntry => {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) fail(`entries[${i}]`, 'must be an object { keySha256, file, commit }');
    const r = e as Record<string, unknown>;
    if (typeof r.keySha256 !== 'string' || !SHA256_HEX.test(r.keySha256)) fail(`entries[${i}].keySha256`, 'must be 64 lowercase hex characters');
    if (typeof r.file !== 'string') fail(`entries[${i}].file`, 'must be a string');
    if (r.commit !== null && r.commit !== undefined && (typeof r.commit !== 'string' || !/^[0-9a-f]{7,64}$/.test(r.commit))) {
      fail(`entries[${i}].commit`, 'must be a commit id or null');
    }
    return { keySha256: r.keySha256 as string, file: r.file as string, commit: (r.commit as string | null | undefined) ?? null };
  });
  return { version: BASELINE_VERSION, entries };
}

/** The keys a baseline knows (by keySha256, wherever they are now): the policy allows them. */
export function baselineKeys(baseline: Baseline): string[] {
  return baseline.entries.map((e) => e.keySha256);
}
