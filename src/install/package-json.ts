// package.json as people write it: with a UTF-8 BOM (npm accepts one), CRLF line ends, tabs or four
// spaces. `install` edits it and writes it back in the file's own style; a file that is not JSON is
// named in a one-line error.

import fs from 'node:fs';
import { UsageError } from '../errors.js';

export interface PackageJson {
  file: string;
  /** The parsed object. Edit it, then `write`. */
  json: Record<string, unknown> & { scripts?: Record<string, string>; devDependencies?: Record<string, string>; dependencies?: Record<string, string> };
  /** The file's text as it was read (with its BOM). */
  original: string;
}

const BOM = '\uFEFF';

export function readPackageJson(file: string): PackageJson {
  let original: string;
  try {
    original = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const body = original.startsWith(BOM) ? original.slice(1) : original;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (e) {
    throw new UsageError(`${file} is not valid JSON (${(e as Error).message}); fix it (npm cannot read it either), then run mirra-scan install again`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new UsageError(`${file} does not hold a JSON object`);
  return { file, json: json as PackageJson['json'], original };
}

/** The text `pkg.json` is written as, in the style of the file it was read from. */
export function formatPackageJson(pkg: PackageJson): string {
  const { original } = pkg;
  const bom = original.startsWith(BOM) ? BOM : '';
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  const indent = /^([ \t]+)"/m.exec(original)?.[1] ?? '  ';
  const body = JSON.stringify(pkg.json, null, indent).replace(/\n/g, eol);
  const trailing = /\r?\n$/.test(original) ? eol : '';
  return bom + body + trailing;
}

/** Writes the edited package.json; returns false when nothing changed. */
export function writePackageJson(pkg: PackageJson): boolean {
  const text = formatPackageJson(pkg);
  if (text === pkg.original) return false;
  fs.writeFileSync(pkg.file, text);
  return true;
}
