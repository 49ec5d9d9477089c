// Attack on "a key is found however it is stored": a batch of small files read one after another into one buffer and searched together
// (src/sources/files/read-file.ts) reports what scanning each file on its own reports. Its shortcuts
// are what this attacks: only files in which the batch search meets a needle, or that may be UTF-16
// (a BOM, a zero byte in the first KiB), are looked at in full, and a file with zero bytes that is
// not UTF-16 after all (a binary file) is left at the batch's own search. Keys that only decoded
// UTF-16 shows (base64 or percent-encoding inside UTF-16 without a BOM: no needle in the bytes)
// must still be found, next to binary files with and without keys.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { findingsOf } from '../../src/fragments/index.js';
import { FileBatch, metaOf, type BatchSink, type FileOutcome } from '../../src/sources/files/read-file.js';
import { allocateReadBuffer } from '../../src/fragments/index.js';
import { fakeKey } from '../support/fake-keys.js';

const temp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-batch-')));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

const KEY = (i: number) => fakeKey('script', 72, 9100 + i);
/** A binary file's first bytes (a PNG's signature and header: zero bytes in its first KiB). */
const BINARY_HEAD = Buffer.from('89504e470d0a1a0a0000000d4948445200000010000000100806000000', 'hex');
const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16();

/** Files of every kind the batch treats apart, each with and without a key. */
function contents(): Array<[string, Buffer]> {
  const files: Array<[string, Buffer]> = [];
  for (let i = 0; i < 6; i++) {
    const key = KEY(i);
    const b64 = Buffer.from(key).toString('base64');
    files.push(
      [`plain-${i}.js`, Buffer.from(`const a = 1;\nconst k = "${key}";\n`)],
      [`clean-${i}.js`, Buffer.from(`export const mirra = ${i};\n`)],
      [`binary-key-${i}.png`, Buffer.concat([BINARY_HEAD, Buffer.from(`\0\0${key}\0\x01`), Buffer.alloc(64, i)])],
      [`binary-${i}.png`, Buffer.concat([BINARY_HEAD, Buffer.alloc(2000, i + 1), Buffer.from('mirrabWlycmFf\0')])],
      [`utf16le-base64-${i}.txt`, Buffer.from(`token:\r\n${b64}\r\n`, 'utf16le')],
      [`utf16be-percent-${i}.txt`, utf16be(`url=${key.replaceAll('_', '%5F')}\n`)],
      [`utf16le-bom-${i}.txt`, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`k = '${key}'\n`, 'utf16le')])],
      [`utf16le-clean-${i}.txt`, Buffer.from(`nothing to see ${i}\n`.repeat(40), 'utf16le')],
      // Zero bytes past the first KiB only: searched as bytes.
      [`late-zero-${i}.bin`, Buffer.concat([Buffer.from('x'.repeat(1100)), Buffer.from(`\0${key}\0`)])],
    );
  }
  return files;
}

describe('a batch of small files', () => {
  test('finds, in each file, what scanning that file on its own finds', () => {
    const files = contents();
    for (const [name, bytes] of files) fs.writeFileSync(path.join(temp, name), bytes);
    const listed = new Map<string, FileOutcome>();
    const quiet = new Set<number>();
    const sink: BatchSink = {
      listed: (_item, rel, outcome) => listed.set(rel, outcome),
      quiet: (item) => quiet.add(item),
      segmented: () => {
        throw new Error('no file here is big enough for segments');
      },
    };
    const batch = new FileBatch(allocateReadBuffer(1024 * 1024), {}, sink);
    files.forEach(([name], i) => batch.add(i, path.join(temp, name), '', name));
    batch.flush();

    let withKeys = 0;
    files.forEach(([name, bytes], i) => {
      const alone = findingsOf({ ...metaOf(name), content: bytes });
      if (alone.length === 0) {
        expect(listed.has(name), name).toBe(false);
        expect(quiet.has(i), name).toBe(true);
        return;
      }
      withKeys++;
      const outcome = listed.get(name);
      expect(outcome && 'findings' in outcome, name).toBe(true);
      const got = outcome && 'findings' in outcome ? outcome.findings : [];
      expect(got.map((f) => [f.keySha256, f.line, f.column, f.encoding]), name).toEqual(alone.map((f) => [f.keySha256, f.line, f.column, f.encoding]));
    });
    // Every kind with a key was found on its own too (the comparison above is not between two misses).
    expect(withKeys).toBe(6 * 6);
  });
});
