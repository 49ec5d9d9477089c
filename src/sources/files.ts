// The file source: walks folders with fast-glob, honours .gitignore files (nested too) and
// .mirrascanignore, and feeds every file to the detector in bounded windows.

import fs from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import ignore, { type Ignore } from 'ignore';
import { UsageError } from '../errors.js';
import type { Finding, ScanError, ScanResult } from '../finding.js';
import { findingsInChunks, findingsInContent, type FindingFilterOptions } from './content-scan.js';

export const SCAN_IGNORE_FILE = '.mirrascanignore';

/** Files are read through one reused buffer of this size; bigger files are read in windows. */
export const READ_WINDOW_BYTES = 8 * 1024 * 1024;

export interface FileScanOptions extends FindingFilterOptions {
  /** Files and folders to scan; `-` reads standard input. */
  paths: string[];
  cwd: string;
  /** Honour .gitignore and .mirrascanignore (default true). */
  honourIgnoreFiles?: boolean;
  /** More gitignore-style patterns to leave out, relative to the root (from the config file). */
  ignorePatterns?: string[];
  /** Read standard input for `-` (tests pass their own). */
  stdin?: () => Promise<Buffer>;
}

/** The folder that file names are made relative to: the repository root, else the current folder. */
export function findRoot(cwd: string): string {
  for (let dir = path.resolve(cwd); ; ) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(cwd);
    dir = up;
  }
}

const toSlash = (p: string) => p.split(path.sep).join('/');

export async function scanFiles(options: FileScanOptions): Promise<ScanResult> {
  const started = performance.now();
  const root = findRoot(options.cwd);
  const honour = options.honourIgnoreFiles !== false;
  const findings: Finding[] = [];
  const errors: ScanError[] = [];
  const stats = { files: 0, bytes: 0, skipped: 0, durationMs: 0 };
  const window = Buffer.allocUnsafe(READ_WINDOW_BYTES);
  const rules = new IgnoreRules(root, honour, options.ignorePatterns ?? []);

  const scanOne = (abs: string, named: boolean) => {
    const rel = toSlash(path.relative(root, abs)) || path.basename(abs);
    const r = scanFile(abs, rel, window, options);
    if ('error' in r) {
      if (named) throw new UsageError(`cannot read ${JSON.stringify(rel)}: ${r.error}`);
      errors.push({ file: rel, message: r.error });
      stats.skipped++;
      return;
    }
    stats.files++;
    stats.bytes += r.bytes;
    findings.push(...r.findings);
  };

  const paths = options.paths.length > 0 ? options.paths : ['.'];
  for (const p of paths) {
    if (p === '-') {
      const data = await (options.stdin ?? readStdin)();
      stats.files++;
      stats.bytes += data.length;
      findings.push(...findingsInContent(data, { file: '(stdin)', source: 'file', commit: null, place: 'working-tree' }, options));
      continue;
    }
    const abs = path.resolve(options.cwd, p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch (e) {
      throw new UsageError(`no such file or folder: ${JSON.stringify(p)} (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
    if (!st.isDirectory()) {
      scanOne(abs, true); // named explicitly: scanned even if ignored
      continue;
    }
    rules.loadAncestors(abs);
    // A folder named on the command line is scanned even if ignored; then only the ignore files
    // inside it count (as `git add -f` would see it).
    const walkRules = rules.ignores(abs, true) ? new IgnoreRules(root, honour, [], abs) : rules;
    for (const entry of await walk(abs, walkRules, errors, root)) {
      if (entry.kind === 'link-error') {
        errors.push({ file: toSlash(path.relative(root, entry.path)), message: entry.message });
        stats.skipped++;
      } else if (entry.kind === 'link-skip') {
        stats.skipped++;
      } else scanOne(entry.path, false);
    }
  }
  stats.durationMs = Math.round(performance.now() - started);
  return { findings, errors, stats };
}

type Walked = { kind: 'file'; path: string } | { kind: 'link-error'; path: string; message: string } | { kind: 'link-skip'; path: string };

async function walk(dir: string, rules: IgnoreRules, errors: ScanError[], root: string): Promise<Walked[]> {
  // fast-glob reads every folder through this readdir: it records folders it cannot read (instead
  // of failing the walk), loads each folder's .gitignore and prunes what it ignores before descent.
  const readdir = (p: string, opts: unknown, cb: (err: NodeJS.ErrnoException | null, entries?: fs.Dirent[]) => void) => {
    fs.readdir(p, opts as { withFileTypes: true }, (err, entries) => {
      if (err) {
        errors.push({ file: toSlash(path.relative(root, p)) || '.', message: `folder not readable (${err.code})` });
        return cb(null, []);
      }
      if (entries.some((e) => e.name === '.gitignore')) rules.load(p);
      cb(null, entries.filter((e) => e.name !== '.git' && !rules.ignores(path.join(p, e.name), e.isDirectory())));
    });
  };
  const entries = await fg('**', {
    cwd: dir,
    absolute: true,
    dot: true,
    onlyFiles: false,
    followSymbolicLinks: false,
    objectMode: true,
    fs: { readdir } as unknown as fg.FileSystemAdapter,
  });
  const out: Walked[] = [];
  for (const e of entries) {
    const d = e.dirent;
    if (d.isFile()) out.push({ kind: 'file', path: e.path });
    else if (d.isSymbolicLink()) out.push(checkLink(e.path));
  }
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return out;
}

/** Links are never followed: a target inside the tree is scanned where it is, one outside is not ours. */
function checkLink(p: string): Walked {
  try {
    fs.realpathSync(p);
    return { kind: 'link-skip', path: p };
  } catch {
    return { kind: 'link-error', path: p, message: 'broken symbolic link' };
  }
}

function scanFile(abs: string, rel: string, window: Buffer, options: FindingFilterOptions): { findings: Finding[]; bytes: number } | { error: string } {
  if (rel.includes('\ufffd')) {
    // The name was not valid UTF-8, so the name we were given cannot open it.
    if (!fs.existsSync(abs)) return { error: 'file name is not valid UTF-8; it cannot be opened by that name (scan it with `-` on standard input)' };
  }
  let fd: number;
  try {
    fd = fs.openSync(abs, 'r');
  } catch (e) {
    return { error: describe(e) };
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { error: 'not a regular file' };
    const meta = { file: rel, source: 'file' as const, commit: null, place: 'working-tree' as const };
    if (st.size <= window.length) {
      const n = fs.readSync(fd, window, 0, window.length, 0);
      return { findings: findingsInContent(window.subarray(0, n), meta, options), bytes: n };
    }
    let bytes = 0;
    const findings = findingsInChunks(
      (buf, offset) => {
        const n = fs.readSync(fd, buf, 0, buf.length, offset);
        bytes = Math.max(bytes, offset + n);
        return n;
      },
      window,
      meta,
      options,
    );
    return { findings, bytes };
  } catch (e) {
    return { error: describe(e) };
  } finally {
    fs.closeSync(fd);
  }
}

function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'file vanished or its name cannot be opened';
    case 'EISDIR':
      return 'is a folder';
    default:
      return err.code ? `cannot read (${err.code})` : 'cannot read';
  }
}

async function readStdin(): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of process.stdin) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

/** Gitignore rules of every folder seen so far, applied as git does: deeper files win. */
class IgnoreRules {
  private readonly byDir = new Map<string, Ignore>();
  private readonly top: Ignore;

  /** `floor`: rules from folders above it (and the root-level ones) do not apply. */
  constructor(
    private readonly root: string,
    private readonly honour: boolean,
    patterns: string[],
    private readonly floor?: string,
  ) {
    this.top = ignore().add(patterns);
    if (honour && !floor) {
      const scanIgnore = path.join(root, SCAN_IGNORE_FILE);
      if (fs.existsSync(scanIgnore)) this.top.add(fs.readFileSync(scanIgnore, 'utf8'));
    }
  }

  /** Loads the .gitignore of every folder from the root down to `dir`, for a scan that starts below the root. */
  loadAncestors(dir: string): void {
    const rel = path.relative(this.root, dir);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return;
    let cur = this.root;
    this.load(cur);
    for (const part of rel.split(path.sep).filter(Boolean)) {
      cur = path.join(cur, part);
      this.load(cur);
    }
  }

  load(dir: string): void {
    if (!this.honour || this.byDir.has(dir)) return;
    if (this.floor && path.relative(this.floor, dir).startsWith('..')) return;
    const file = path.join(dir, '.gitignore');
    try {
      this.byDir.set(dir, ignore().add(fs.readFileSync(file, 'utf8')));
    } catch {
      // no .gitignore here, or not readable: nothing to honour
    }
  }

  ignores(abs: string, isDir: boolean): boolean {
    const relRoot = path.relative(this.root, abs);
    if (relRoot === '' || relRoot.startsWith('..') || path.isAbsolute(relRoot)) return false;
    const suffix = isDir ? '/' : '';
    if (this.top.ignores(toSlash(relRoot) + suffix)) return true;
    if (!this.honour) return false;
    let ignored = false;
    for (let dir = path.dirname(abs); ; dir = path.dirname(dir)) {
      const rules = this.byDir.get(dir);
      if (rules) {
        const r = rules.test(toSlash(path.relative(dir, abs)) + suffix);
        if (r.ignored || r.unignored) {
          ignored = r.ignored;
          break; // the deepest file with an opinion decides
        }
      }
      if (dir === this.root || dir === path.dirname(dir)) break;
    }
    return ignored;
  }
}
