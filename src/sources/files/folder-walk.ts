// Reading the folders of a walk, on whichever thread walks them: each folder's entries are read, its
// ignore files loaded, what they ignore pruned, its files handed to the thread's FileBatch, and what is
// neither a file to read nor a folder to go into (an unreadable folder, a link, a FIFO) told to the sink.
// The walk itself (which thread takes which folder) is walk.ts's; a worker rebuilds the same rules from
// plain data (PathRules.toData), so every thread prunes exactly as one thread would.

import fs from 'node:fs';
import path from 'node:path';
import { PathRules, type PathRulesData } from '../../policy/path-rules.js';
import { workingTreeReader } from '../../policy/index.js';
import { bytePathString, displayName, mayHaveLostBytes } from '../file-names.js';
import type { BatchSink, FileBatch } from './read-file.js';

/** One folder named on the command line, walked: what any thread needs to read folders under it (plain data, sent to workers). */
export interface WalkSpec {
  /** Its path (a name that is not UTF-8 is walked under its shown name, `\xNN`, and opened by `bytes`). */
  dir: string;
  /** Its bytes, when its name is not UTF-8. */
  dirBytes?: Buffer;
  /** Its name in reports ('' for the root). */
  rel: string;
  /** The folder the rules' paths are relative to (its repository's root). */
  base: string;
  /** The real paths of the other files and folders the command line names, left to their own items (checked when there are 2+). */
  namedElsewhere: string[];
}

/** A folder under a walk, still to read: the walk (`item`) and its path; its bytes when its name is not UTF-8. */
export interface FolderUnit {
  item: number;
  path: string;
  bytes?: Buffer;
}

/** What a walk reports besides the files it reads: errors (by `listed`, with their path) and links it does not follow. */
export interface WalkSink extends BatchSink {
  /** A link, not followed (its target, inside the tree, is read where it is; outside it, is not ours). */
  skipped(item: number): void;
}

const toSlash = path.sep === '/' ? (p: string) => p : (p: string) => p.split(path.sep).join('/');

interface Walk {
  item: number;
  spec: WalkSpec;
  rules: PathRules;
  ignoreFiles: string[];
  relPrefix: string;
  /** Links are not followed, so an entry's real path is the folder's real path and the rest of its own. */
  realDir: string | null;
  namedElsewhere: ReadonlySet<string>;
  /** Paths (under their shown names) that only bytes open. */
  bytePaths: Map<string, Buffer>;
}

/** The folders of walks, read on this thread. */
export class FolderReader {
  /** By report item; null for an item that is not a walk. */
  private readonly walks: Array<Walk | null>;

  constructor(
    specs: ReadonlyArray<WalkSpec | null>,
    rules: ReadonlyArray<PathRules | null>,
    private readonly batch: FileBatch,
    private readonly sink: WalkSink,
  ) {
    this.walks = specs.map((spec, item) => {
      const r = rules[item];
      if (!spec || !r) return null;
      return {
        item,
        spec,
        rules: r,
        ignoreFiles: r.fileNames,
        relPrefix: spec.rel === '' ? '' : spec.rel + '/',
        realDir: spec.namedElsewhere.length > 1 ? realPathOf(spec.dir) : null,
        namedElsewhere: new Set(spec.namedElsewhere),
        bytePaths: new Map(spec.dirBytes ? [[spec.dir, spec.dirBytes]] : []),
      };
    });
  }

  /** A reader in another thread: the same walks, their rules rebuilt from `toData()` (ignore files further down are read from disk). */
  static fromData(specs: ReadonlyArray<WalkSpec | null>, rules: ReadonlyArray<PathRulesData | null>, batch: FileBatch, sink: WalkSink): FolderReader {
    return new FolderReader(
      specs,
      rules.map((r) => (r ? PathRules.fromData(r, workingTreeReader(r.options.readsFrom ?? '')) : null)),
      batch,
      sink,
    );
  }

  /** The unit for a folder this thread found (its bytes travel with it). */
  unit(item: number, p: string): FolderUnit {
    const bytes = this.walkOf(item).bytePaths.get(p);
    return bytes ? { item, path: p, bytes } : { item, path: p };
  }

  /** Reads `unit` and every folder under it; `afterFolder` is called after each. */
  walkAll(unit: FolderUnit, afterFolder?: () => void): void {
    const walk = this.walkOf(unit.item);
    if (unit.bytes) walk.bytePaths.set(unit.path, unit.bytes);
    const stack = [unit.path];
    for (let p = stack.pop(); p !== undefined; p = stack.pop()) {
      this.read(walk, p, stack);
      afterFolder?.();
    }
  }

  /** Reads one folder of walk `item`; its subfolders are pushed onto `folders`. */
  readFolder(item: number, p: string, folders: string[]): void {
    this.read(this.walkOf(item), p, folders);
  }

  private walkOf(item: number): Walk {
    const walk = this.walks[item];
    if (!walk) throw new Error(`report item ${item} is not a walk`);
    return walk;
  }

  private read(walk: Walk, p: string, folders: string[]): void {
    const { item, spec, rules, bytePaths, realDir } = walk;
    const dir = spec.dir;
    const relDir = p === dir ? '' : toSlash(p.slice(dir.length + 1));
    const prefix = walk.relPrefix + (relDir === '' ? '' : relDir + '/');
    const pBytes = bytePaths.size > 0 ? bytePaths.get(p) : undefined;
    let entries: fs.Dirent[];
    try {
      entries = pBytes ? [] : fs.readdirSync(p, { withFileTypes: true });
      if (pBytes || entries.some((e) => mayHaveLostBytes(e.name))) entries = byteNamedEntries(pBytes ?? Buffer.from(p), p, bytePaths);
    } catch (e) {
      this.sink.listed(item, prefix.slice(0, -1), { error: `folder not readable (${(e as NodeJS.ErrnoException).code})` });
      return;
    }
    const active = rules.active;
    let basePrefix = '';
    if (active) {
      const baseDir = p === spec.base ? '' : toSlash(p.slice(spec.base.length + 1));
      if (entries.some((e) => walk.ignoreFiles.includes(e.name))) rules.load(baseDir);
      basePrefix = baseDir === '' ? '' : baseDir + '/';
    }
    const realPrefix = realDir === null ? '' : realDir + p.slice(dir.length) + path.sep;
    for (const e of entries) {
      const name = e.name;
      if (name === '.git') continue;
      if (realDir !== null && walk.namedElsewhere.has(realPrefix + name)) continue; // scanned as its own item
      const isDir = e.isDirectory();
      if (active && rules.ignores(basePrefix + name, isDir)) continue;
      const bytes = bytePaths.size > 0 ? bytePaths.get(p + path.sep + name) : undefined;
      if (isDir) folders.push(p + path.sep + name);
      else if (e.isFile()) this.batch.add(item, bytes ? bytePathString(bytes) : p + path.sep + name, prefix, name);
      else if (e.isSymbolicLink()) {
        const problem = linkProblem(bytes ?? p + path.sep + name);
        if (problem === null) this.sink.skipped(item);
        else this.sink.listed(item, prefix + name, { error: problem });
      }
      // A FIFO could block a read forever, a device could be endless: said, never opened.
      else this.sink.listed(item, prefix + name, { error: 'not a regular file (a FIFO, socket or device): not read' });
    }
  }
}

export function realPathOf(abs: string): string {
  try {
    return fs.realpathSync(abs);
  } catch {
    return abs;
  }
}

/**
 * A folder's entries read as bytes (the folder holds a name that is not UTF-8, or is itself named so):
 * each shown by `displayName`; where that is not its real name, `bytePaths` maps the path under the
 * shown name to the bytes that open it.
 */
function byteNamedEntries(dirBytes: Buffer, dirShown: string, bytePaths: Map<string, Buffer>): fs.Dirent[] {
  const sep = Buffer.from(path.sep);
  return fs.readdirSync(dirBytes, { withFileTypes: true, encoding: 'buffer' }).map((d) => {
    const name = displayName(d.name);
    const bytes = Buffer.concat([dirBytes, sep, d.name]);
    const shownPath = dirShown + path.sep + name;
    if (!Buffer.from(shownPath).equals(bytes)) bytePaths.set(shownPath, bytes);
    const shown = { name, isDirectory: () => d.isDirectory(), isFile: () => d.isFile(), isSymbolicLink: () => d.isSymbolicLink() };
    return shown as unknown as fs.Dirent;
  });
}

/** Links are never followed: a target inside the tree is scanned where it is, one outside is not ours. Null when the link resolves; else why not. */
function linkProblem(abs: string | Buffer): string | null {
  try {
    fs.realpathSync(abs);
    return null;
  } catch (e) {
    // A loop (ELOOP) is not a broken link.
    return (e as NodeJS.ErrnoException).code === 'ELOOP' ? 'symbolic link loop' : 'broken symbolic link';
  }
}
