// Attack: a key inside a length-prefixed binary format. Protobuf, msgpack, JVM class files, Python
// pickles and .NET's BinaryWriter write a string as its length, then its bytes; a length of 65 to 122
// is a letter glued before `mirra_` (77 is `M`), which once made the key look like part of a word.
// The bytes here are built as each format's encoder writes them (its spec, cited by section), and
// the key must be found by the detector, by `scan` and by the pre-commit scan of what is staged, in
// plain bytes and in base64 of them.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanContent } from '../../src/detector/index.js';
import { fakeKey } from '../support/fake-keys.js';
import { CLI, runProgram, TempRepo } from '../support/git-repo.js';

const ascii = (s: string) => Buffer.from(s, 'latin1');
const u16be = (n: number) => Buffer.from([n >> 8, n & 255]);
const u32be = (n: number) => Buffer.concat([u16be(n >>> 16), u16be(n & 0xffff)]);
const u32le = (n: number) => Buffer.from([n & 255, (n >> 8) & 255, (n >> 16) & 255, n >>> 24]);
const u64le = (n: number) => Buffer.concat([u32le(n), u32le(0)]);

/** Base-128 varint, low group first (protobuf's varint, .NET's 7-bit encoded int). */
function varint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

/**
 * Protobuf (encoding guide, "Length-delimited records"): tag = field << 3 | wire type, LEN is wire
 * type 2, then a varint length. A message { 1: "svc", 2: key, 3: 150, 4: "eu" } and one where the key
 * is field 1 (tag 0x0a, a line feed) followed by field 4 (tag 0x22, a quote): text on both sides.
 */
const protobuf = {
  keyInField2: (key: string) =>
    Buffer.concat([Buffer.from([0x0a, 3]), ascii('svc'), Buffer.from([0x12]), varint(key.length), ascii(key), Buffer.from([0x18, 0x96, 0x01, 0x22, 2]), ascii('eu')]),
  keyInField1: (key: string) => Buffer.concat([Buffer.from([0x0a]), varint(key.length), ascii(key), Buffer.from([0x22, 2]), ascii('eu')]),
};

/** msgpack (spec, "str format family"): a 2-entry map; a string of 32 to 255 bytes is str8 (0xd9, 1 length byte), longer str16 (0xda, 2). */
function msgpack(key: string): Buffer {
  const str = (s: string) => {
    const b = ascii(s);
    if (b.length < 32) return Buffer.concat([Buffer.from([0xa0 | b.length]), b]);
    if (b.length < 256) return Buffer.concat([Buffer.from([0xd9, b.length]), b]);
    return Buffer.concat([Buffer.from([0xda]), u16be(b.length), b]);
  };
  return Buffer.concat([Buffer.from([0x82]), str('name'), str('svc'), str('apiKey'), str(key)]);
}
/** msgpack's str16 for a short string (encoders that always write str16, e.g. for a fixed layout). */
const msgpackStr16 = (key: string) => Buffer.concat([Buffer.from([0x81, 0xa3]), ascii('key'), Buffer.from([0xda]), u16be(key.length), ascii(key)]);

/**
 * A JVM class file (JVMS §4.1, §4.4.7 CONSTANT_Utf8: tag 1, u2 length, bytes): `public class Config
 * { public static final String KEY = "<key>"; }`, a field with a ConstantValue attribute (§4.7.2).
 */
function classFile(key: string): Buffer {
  const utf8 = (s: string) => Buffer.concat([Buffer.from([1]), u16be(Buffer.byteLength(s)), ascii(s)]);
  const ref = (tag: number, index: number) => Buffer.concat([Buffer.from([tag]), u16be(index)]);
  const pool = [utf8('Config'), ref(7, 1), utf8('java/lang/Object'), ref(7, 3), utf8('KEY'), utf8('Ljava/lang/String;'), utf8('ConstantValue'), utf8(key), ref(8, 8)];
  return Buffer.concat([
    Buffer.from([0xca, 0xfe, 0xba, 0xbe]),
    u16be(0),
    u16be(52), // Java 8
    u16be(pool.length + 1),
    ...pool,
    u16be(0x0021), // public super
    u16be(2), // this: Config
    u16be(4), // super: java/lang/Object
    u16be(0), // interfaces
    u16be(1), // fields
    u16be(0x0019), // public static final
    u16be(5),
    u16be(6),
    u16be(1), // one attribute: ConstantValue, 2 bytes, the String constant #9
    u16be(7),
    u32be(2),
    u16be(9),
    u16be(0), // methods
    u16be(0), // attributes
  ]);
}

/**
 * A Python pickle as `pickle.dumps({'api_key': key})` writes it (protocol 4, Python's default since
 * 3.8; pickletools: PROTO, FRAME, EMPTY_DICT, MEMOIZE, SHORT_BINUNICODE = 0x8c + 1 length byte, …).
 * `bytes` instead of `str` is SHORT_BINBYTES, `C` + 1 length byte: then the byte before the length is a letter too.
 */
function pickle(key: string, asBytes = false): Buffer {
  const name = ascii('api_key');
  const body = Buffer.concat([
    Buffer.from([0x7d, 0x94, 0x8c, name.length]),
    name,
    Buffer.from([0x94, asBytes ? 0x43 : 0x8c, key.length]),
    ascii(key),
    Buffer.from([0x94, 0x73, 0x2e]),
  ]);
  return Buffer.concat([Buffer.from([0x80, 0x04, 0x95]), u64le(body.length), body]);
}

/** The same as protocol 3 writes it (Python 3.0 to 3.7's default): BINUNICODE, `X` + a little-endian u32 length, then BINPUT `q`. */
function pickle3(key: string): Buffer {
  const unicode = (s: string) => Buffer.concat([ascii('X'), u32le(s.length), ascii(s)]);
  return Buffer.concat([Buffer.from([0x80, 0x03, 0x7d, 0x71, 0]), unicode('api_key'), Buffer.from([0x71, 1]), unicode(key), Buffer.from([0x71, 2, 0x73, 0x2e])]);
}

/**
 * .NET BinaryWriter (`Write(string)`: a 7-bit encoded length, then UTF-8): Write(1); Write("name");
 * Write(key); Write(true). After another string the byte before the length is text (`…name` + `F`).
 */
const binaryWriter = (key: string) => Buffer.concat([u32le(1), varint(4), ascii('name'), varint(key.length), ascii(key), Buffer.from([1])]);
const binaryWriterKeyFirst = (key: string) => Buffer.concat([varint(key.length), ascii(key)]);

const FORMATS: Array<[string, (key: string) => Buffer]> = [
  ['protobuf, key in field 2', protobuf.keyInField2],
  ['protobuf, key in field 1 (tag is a line feed), then field 4 (tag is a quote)', protobuf.keyInField1],
  ['msgpack str8', msgpack],
  ['msgpack str16', msgpackStr16],
  ['JVM class file', classFile],
  ['Python pickle (str)', (k) => pickle(k)],
  ['Python pickle (bytes)', (k) => pickle(k, true)],
  ['Python pickle, protocol 3', pickle3],
  ['.NET BinaryWriter', binaryWriter],
  ['.NET BinaryWriter, the key first', binaryWriterKeyFirst],
];

/** Key lengths whose length byte is a word character (`A`, `F`, `M`, `_`, `d`, `z`), and two that are not. */
const KEYS = [
  fakeKey('untyped', 65, 1),
  fakeKey('untyped', 70, 2),
  fakeKey('script', 77, 3),
  fakeKey('test', 95, 4),
  fakeKey('install', 100, 5),
  fakeKey('untyped', 122, 6),
  fakeKey('untyped', 64, 7),
  fakeKey('script', 128, 8),
];

const found = (content: Buffer) => scanContent(content).map((k) => k.key);

describe('a key in a length-prefixed binary format is found', () => {
  it.each(FORMATS)('%s, for every key length', (_name, encode) => {
    for (const key of KEYS) expect(found(encode(key)), `${key.length}`).toEqual([key]);
  });

  it.each(FORMATS)('%s, in base64 of the bytes', (_name, encode) => {
    for (const key of KEYS) {
      for (const lead of ['', 'x', 'xy']) {
        // Each lead shifts the bytes against base64's 3-byte groups, so every alignment is tried.
        const b64 = Buffer.from(Buffer.concat([ascii(lead), encode(key)]).toString('base64'));
        const hits = scanContent(b64);
        expect(hits.map((k) => [k.key, k.encoding]), `${key.length} ${JSON.stringify(lead)}`).toEqual([[key, 'base64']]);
      }
    }
  });

  it('base64 of random binary data, whatever byte comes before the key', () => {
    const key = fakeKey('script', 77, 9);
    for (let before = 0; before < 256; before++) {
      const bytes = Buffer.concat([Buffer.from([0x00, 0xff, before, 0x4d]), ascii(key), Buffer.from([0x00])]);
      expect(found(Buffer.from(bytes.toString('base64'))), `byte ${before}`).toEqual([key]);
    }
  });
});

const PYTHON = 'python3';
const hasPython = spawnSync(PYTHON, ['--version']).status === 0;
const inCi = process.env.CI === 'true';

describe('pickles written by Python itself', () => {
  it.skipIf(!hasPython && !inCi)('every binary protocol (1 to 5) of str and bytes', () => {
    if (!hasPython) throw new Error(`${PYTHON} is missing: CI must install it`);
    const key = fakeKey('script', 77, 10);
    const program = 'import pickle,sys\nk=sys.argv[1]\nfor p in range(1,6):\n  for v in (k, k.encode()):\n    sys.stdout.buffer.write(pickle.dumps({"api_key": v}, protocol=p).hex().encode()+b"\\n")';
    const r = runProgram(PYTHON, ['-c', program, key]);
    expect(r.status, r.stderr).toBe(0);
    const pickles = r.stdout.trim().split('\n');
    expect(pickles).toHaveLength(10);
    for (const hex of pickles) expect(found(Buffer.from(hex, 'hex')), hex.slice(0, 8)).toEqual([key]);
    // Our hand-built protocol-4 pickles are byte for byte what Python writes.
    expect(pickles[6]).toBe(pickle(key).toString('hex'));
    expect(pickles[7]).toBe(pickle(key, true).toString('hex'));
    expect(pickles[4]).toBe(pickle3(key).toString('hex'));
  });
  if (!hasPython && !inCi) it.skip(`${PYTHON} is missing: pickles written by Python are not tested`, () => undefined);
});

describe('the CLI: `scan` and the staged scan of the pre-commit hook', () => {
  const key = fakeKey('script', 77, 11);
  const files: Record<string, Buffer> = {
    'data/message.pb': protobuf.keyInField1(key),
    'data/state.msgpack': msgpack(key),
    'classes/Config.class': classFile(key),
    'data/model.pkl': pickle(key),
    'data/settings.bin': binaryWriter(key),
    'data/settings.b64': Buffer.from(binaryWriter(key).toString('base64') + '\n'),
  };
  const made: TempRepo[] = [];
  afterAll(() => made.forEach((r) => r.cleanup()));

  it('scan finds the key in every file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-binary-'));
    try {
      for (const [rel, data] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), data);
      }
      const r = runProgram(process.execPath, [CLI, 'scan', '--format', 'json', '.'], { cwd: dir });
      expect(r.status, r.stderr).toBe(1);
      const files2 = JSON.parse(r.stdout).findings.map((f: { file: string }) => f.file).sort();
      expect(files2).toEqual(Object.keys(files).sort());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the staged scan (what the hook runs) blocks every file', () => {
    const repo = new TempRepo({ prefix: 'mirra-binary-staged-' });
    made.push(repo);
    repo.commitFiles({ 'README.md': 'app\n' });
    for (const [rel, data] of Object.entries(files)) repo.write(rel, data);
    repo.add();
    const r = repo.mirraScan(['staged', '--format', 'json']);
    expect(r.status, r.stderr).toBe(1);
    const found2 = JSON.parse(r.stdout).findings.map((f: { file: string }) => f.file).sort();
    expect(found2).toEqual(Object.keys(files).sort());
  });
});
