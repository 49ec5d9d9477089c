// `mirra-scan scan` end to end: the built CLI as a child process over fixtures/demo-app and over
// odd trees made in a temp folder. Every run is checked for full keys in its output (stdout,
// stderr, --output files): none may appear unless --reveal is given.

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvDraft04 from 'ajv-draft-04';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keySha256, redactKey } from '../../src/detector/index.js';
import { DEMO_KEYS, demoKey, writeDemoApp } from '../../scripts/make-demo-fixtures.js';
import { fileKindOf } from '../../src/hints/index.js';
import { fakeKey } from '../support/fake-keys.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(root, 'dist/cli/mirra-scan.js');
const DEMO = 'fixtures/demo-app';
const IS_ROOT = process.getuid?.() === 0;
const NOBODY = 65534;
/**
 * Root reads everything, so permission errors need an unprivileged run. A user namespace drops the
 * privilege and still lets the process read this checkout (owned by the same user, wherever CI put
 * it); where namespaces are off, fall back to running as `nobody`.
 */
const USERNS = IS_ROOT && spawnSync('unshare', ['--user', 'true']).status === 0;
const UNPRIVILEGED = IS_ROOT ? (USERNS ? { userns: true } : { uid: NOBODY }) : {};

interface Expected {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  keyType: string;
  encoding: string;
  keySha256: string;
}
const expected = JSON.parse(fs.readFileSync(path.join(root, 'fixtures/demo-app.expected.json'), 'utf8')) as Record<'findings' | 'gitignored' | 'mirrascanignored' | 'inlineAllowed', Expected[]>;

/** Every full key any run could print: the demo's, and those the temp trees below plant. */
const SECRETS = new Set<string>(Object.keys(DEMO_KEYS).map((name) => demoKey(name as keyof typeof DEMO_KEYS)));
const plantKey = (...args: Parameters<typeof fakeKey>) => {
  const key = fakeKey(...args);
  SECRETS.add(key);
  return key;
};

/** The keys (or their hex bodies without the prefix) that appear in `text`. */
function leakedKeys(text: string): string[] {
  return [...SECRETS].filter((k) => text.includes(k.replace(/^mirra_(?:script_|install_|test_)?/, '')));
}

interface Run extends SpawnSyncReturns<string> {
  json: () => { findings: Array<Expected & Record<string, unknown>>; errors: Array<{ file: string; message: string }>; stats: Record<string, number> };
}

/** Runs the built CLI; unless `--reveal` is among the arguments, no full key may be in what it prints. */
function run(args: string[], opts: { cwd?: string; input?: string | Buffer; env?: Record<string, string | undefined>; uid?: number; userns?: boolean } = {}): Run {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, MIRRA_SCAN_THREADS: undefined, ...opts.env };
  const [command, argv] = opts.userns ? ['unshare', ['--user', process.execPath, CLI, ...args]] : [process.execPath, [CLI, ...args]];
  const r = spawnSync(command, argv, {
    cwd: opts.cwd ?? demoRoot,
    input: opts.input,
    env: env as NodeJS.ProcessEnv,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
  });
  if (!args.includes('--reveal')) expect(leakedKeys(r.stdout + r.stderr), `mirra-scan ${args.join(' ')}`).toEqual([]);
  return Object.assign(r, { json: () => JSON.parse(r.stdout) });
}

const demoFinding = (e: Expected) => ({ ...e, file: `${DEMO}/${e.file}` });
const located = (f: Expected) => ({ file: f.file, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn, keyType: f.keyType, encoding: f.encoding, keySha256: f.keySha256 });
const ANSI = /\x1b\[[0-9;]*m/;

/** The parts of a SARIF log these tests read (the schema check covers the rest). */
interface SarifLog {
  version: string;
  runs: Array<{
    tool: { driver: { rules: Array<{ id: string; help: { text: string; markdown: string }; shortDescription: { text: string } }> } };
    results: Array<{
      ruleId: string;
      partialFingerprints: Record<string, string>;
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> } }>;
    }>;
  }>;
}

let tmp: string;
// The demo app is scanned from a copy written by its generator into a temporary folder: its
// `.env.local` is gitignored and so not in the repository, and no test writes into the checkout. The
// generator is deterministic, so the copy holds the committed files byte for byte (checked below).
let demoRoot: string;
beforeAll(() => {
  demoRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-demo-'));
  writeDemoApp(path.join(demoRoot, DEMO));
});
afterAll(() => fs.rmSync(demoRoot, { recursive: true, force: true }));
beforeAll(() => {
  expect(fs.existsSync(CLI), `${CLI} is missing: run \`npm run build\` first (npm test does)`).toBe(true);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-scan-e2e-'));
  fs.chmodSync(tmp, 0o755); // readable by the unprivileged user some tests run as
});
afterAll(() => {
  if (!tmp) return;
  for (const p of [path.join(tmp, 'edge', 'locked-dir')]) if (fs.existsSync(p)) fs.chmodSync(p, 0o755);
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the demo fixture', () => {
  it('holds the keys the generator planted (made again here from the same seeds)', () => {
    const all = [...expected.findings, ...expected.gitignored, ...expected.mirrascanignored, ...expected.inlineAllowed];
    expect(new Set(all.map((e) => e.keySha256))).toEqual(new Set([...Object.keys(DEMO_KEYS)].map((n) => keySha256(demoKey(n as keyof typeof DEMO_KEYS)))));
    const gitignored = path.join(demoRoot, DEMO, '.env.local');
    expect(fs.existsSync(gitignored), 'fixtures/demo-app/.env.local (gitignored, not committed) is written before these tests').toBe(true);
    for (const rel of fs.readdirSync(path.join(root, DEMO), { recursive: true, encoding: 'utf8' })) {
      const committed = path.join(root, DEMO, rel);
      if (fs.statSync(committed).isFile()) expect(fs.readFileSync(path.join(demoRoot, DEMO, rel)).equals(fs.readFileSync(committed)), rel).toBe(true);
    }
  });
});

describe('mirra-scan scan fixtures/demo-app', () => {
  it('--format json: exactly the expected findings, in order, exit 1', () => {
    const r = run(['scan', DEMO, '--format', 'json']);
    expect(r.status).toBe(1);
    const report = r.json();
    expect(report.findings.map(located)).toEqual(expected.findings.map(demoFinding));
    expect(report.errors).toEqual([]);
    for (const f of report.findings) {
      expect(f).toMatchObject({ ruleId: 'mirra-api-key', source: 'file', commit: null, verification: { status: 'unchecked' } });
      // Code is told to read the variable; an env file to stay out of git; docs to use a placeholder.
      expect(f.hint).toMatch({ code: /MIRRA_API_KEY/, env: /\.gitignore/, docs: /placeholder/ }[fileKindOf(String(f.file))]);
      expect(f.redacted).toMatch(/^mirra_(?:script_|install_|test_)?[0-9a-f]{4}…[0-9a-f]{4}$/);
      expect(f).not.toHaveProperty('key');
    }
    expect(report.stats.files).toBeGreaterThanOrEqual(10);
  });

  it('--format text: file:line:col, key type, redacted key, the masked line with a marker under it, the advice once per kind, a summary in files; no colour off a TTY', () => {
    const r = run(['scan', DEMO]);
    expect(r.status).toBe(1);
    expect(r.stdout).not.toMatch(ANSI);
    const lines = r.stdout.split('\n');
    for (const e of expected.findings) {
      const key = [...SECRETS].find((k) => keySha256(k) === e.keySha256)!;
      const at = lines.findIndex((l) => l.startsWith(`${DEMO}/${e.file}:${e.line}:${e.column} `));
      expect(at, `${e.file}:${e.line}`).toBeGreaterThanOrEqual(0);
      expect(lines[at]).toContain(`Mirra ${e.keyType} key ${redactKey(key)}`);
      if (e.encoding !== 'plain') expect(lines[at]).toContain(`written as ${e.encoding}`);
      const [snippet, marker] = [lines[at + 1], lines[at + 2]];
      expect(snippet).toMatch(new RegExp(`^ +${e.line} \\| `));
      expect(marker.indexOf('^')).toBe(snippet.indexOf(redactKey(key)));
      expect(marker.trim()).toBe('^'.repeat(redactKey(key).length));
    }
    // The advice once per kind, after the findings (the demo's findings share a few kinds), not under each.
    const advice = lines.filter((l) => l.startsWith('what to do'));
    expect(advice.length).toBeGreaterThanOrEqual(1);
    expect(advice.length).toBeLessThan(expected.findings.length);
    expect(new Set(advice).size).toBe(advice.length);
    const files = new Set(expected.findings.map((f) => f.file)).size;
    expect(r.stdout).toMatch(new RegExp(`✖ ${expected.findings.length} Mirra keys found in ${files} files?; scanned \\d+ files`));
    expect(r.stdout).toContain('https://github.com/');
    expect(r.stdout).not.toContain('see README');
  });

  it('--format sarif: valid SARIF 2.1.0 (the bundled schema), rule metadata and help, fingerprints from keySha256', () => {
    const r = run(['scan', DEMO, '--format', 'sarif']);
    expect(r.status).toBe(1);
    const log = JSON.parse(r.stdout) as SarifLog;
    const schema = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
    ajv.addFormat('uri', (s: string) => URL.canParse(s));
    ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'file:///base/') && !/\s/.test(s));
    ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d\d-\d\dT/.test(s));
    const validate = ajv.compile(schema);
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);

    expect(log.version).toBe('2.1.0');
    const [sarifRun] = log.runs;
    const rule = sarifRun.tool.driver.rules[0];
    expect(rule).toMatchObject({ id: 'mirra-api-key', defaultConfiguration: { level: 'error' } });
    expect(rule.help.text).toMatch(/revoke/i);
    expect(rule.help.markdown).toBeTruthy();
    expect(rule.shortDescription.text).toBeTruthy();
    expect(sarifRun.results).toHaveLength(expected.findings.length);
    sarifRun.results.forEach((res, i) => {
      const e = expected.findings[i];
      expect(res.ruleId).toBe('mirra-api-key');
      expect(res.partialFingerprints).toEqual({ 'mirraKeySha256/v1': e.keySha256 });
      expect(res.locations[0].physicalLocation.artifactLocation.uri).toBe(`${DEMO}/${e.file}`.split('/').map(encodeURIComponent).join('/'));
      expect(res.locations[0].physicalLocation.region).toEqual({ startLine: e.line, startColumn: e.column, endLine: e.endLine, endColumn: e.endColumn });
    });
  });

  it('--no-ignore also reports what the app .gitignore and .mirrascanignore leave out', () => {
    const report = run(['scan', DEMO, '--no-ignore', '--format', 'json']).json();
    const all = [...expected.findings, ...expected.gitignored, ...expected.mirrascanignored].map(demoFinding);
    const order = (a: Expected, b: Expected) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line);
    expect(report.findings.map(located).sort(order)).toEqual(all.sort(order));
  });

  it('mirra-scan:allow on the line allows that finding; --no-inline-allow reports it', () => {
    const allowed = expected.inlineAllowed.map(demoFinding);
    expect(run(['scan', DEMO, '--format', 'json']).json().findings.map(located)).not.toContainEqual(allowed[0]);
    expect(run(['scan', DEMO, '--no-inline-allow', '--format', 'json']).json().findings.map(located)).toContainEqual(allowed[0]);
  });

  it('no full key in any format, in --output files or on stderr; --reveal prints them', () => {
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const out = path.join(tmp, `report.${format}`);
      const r = run(['scan', DEMO, '--no-ignore', '--no-inline-allow', '--format', format, '--output', out]);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      const written = fs.readFileSync(out, 'utf8');
      expect(written.length).toBeGreaterThan(100);
      expect(leakedKeys(written), format).toEqual([]);
      expect(written).not.toMatch(ANSI);
    }
    const revealed = run(['scan', DEMO, '--format', 'json', '--reveal']).json();
    expect(revealed.findings.map((f) => keySha256(String(f.key)))).toEqual(expected.findings.map((e) => e.keySha256));
    expect(leakedKeys(run(['scan', DEMO, '--reveal']).stdout)).toHaveLength(expected.findings.length);
  });

  it('colour only on a TTY, and never with NO_COLOR', () => {
    const script = '/usr/bin/script';
    if (!fs.existsSync(script)) return void console.warn('`script` (util-linux) is not installed: the TTY half of this test is skipped');
    const onTty = (env: Record<string, string | undefined>) =>
      spawnSync(script, ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} scan ${DEMO}`, '/dev/null'], {
        cwd: demoRoot,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...env } as NodeJS.ProcessEnv,
      }).stdout;
    const coloured = onTty({});
    expect(coloured).toMatch(ANSI);
    expect(onTty({ NO_COLOR: '1' })).not.toMatch(ANSI);
    expect(leakedKeys(coloured)).toEqual([]);
  });
});

describe('exit codes', () => {
  it('0 on a clean folder (placeholders and names only)', () => {
    const clean = path.join(tmp, 'clean');
    fs.mkdirSync(clean, { recursive: true });
    fs.writeFileSync(path.join(clean, 'README.md'), 'Set MIRRA_API_KEY=mirra_your_api_key_here, e.g. `mirra_a1b2c3d4...`, never `mirra_${KEY}`.\n');
    fs.writeFileSync(path.join(clean, 'index.js'), "const mirra_client = new MirraSDK({ apiKey: process.env.MIRRA_API_KEY });\nconst masked = 'mirra_****************';\n");
    const r = run(['scan', '.'], { cwd: clean });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/✔ no Mirra keys found; scanned 2 files/);
    expect(run(['scan', '--format', 'json'], { cwd: clean }).json()).toMatchObject({ findings: [], errors: [] });
  });

  it('1 with findings (and the JSON says so)', () => {
    expect(run(['scan', DEMO, '--format', 'json']).status).toBe(1);
  });

  it.each([
    [['scan', '--format', 'xml', DEMO]],
    [['scan', '--frobnicate', DEMO]],
    [['scan', 'no/such/path']],
    [['scan', DEMO, 'no-such-file.txt']],
  ])('2 on %j, with a one-line reason on stderr and nothing on stdout', (args) => {
    const r = run(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('standard input', () => {
  it('`-` reads standard input', () => {
    const key = plantKey('test', 66, 501);
    const r = run(['scan', '-', '--format', 'json'], { input: `line one\nexport MIRRA_API_KEY="${key}"\n` });
    expect(r.status).toBe(1);
    expect(r.json().findings.map(located)).toEqual([{ file: '(stdin)', line: 2, column: 23, endLine: 2, endColumn: 23 + key.length, keyType: 'test', encoding: 'plain', keySha256: keySha256(key) }]);
    expect(run(['scan', '-'], { input: 'nothing to see\n' }).status).toBe(0);
    const allowed = `k = "${key}" # mirra-scan:allow sample\n`;
    expect(run(['scan', '-'], { input: allowed }).status).toBe(0);
    expect(run(['scan', '-', '--no-inline-allow'], { input: allowed }).status).toBe(1);
  });

  it('`-` streams: many windows of input give the findings the same bytes give as a file', () => {
    // 6 MiB of lines, keys at the start, on both sides of the first 1 MiB window's edge, and at the end.
    const keys = [plantKey('script', 70, 503), plantKey('untyped', 64, 504), plantKey('install', 100, 505), plantKey('test', 80, 506)];
    const line = 'const filler = items.map((x) => x * 2); // padding\n';
    const lines = Array.from({ length: Math.ceil((6 * 1024 * 1024) / line.length) }, () => line);
    const edge = Math.floor((1024 * 1024) / line.length);
    lines[0] = `first = "${keys[0]}"\n`;
    lines[edge - 1] = `${' '.repeat(line.length - 40)}k="${keys[1]}"\n`; // runs over the edge
    lines[edge + 1] = `k2 = '${keys[2]}'\n`;
    lines.push(`last = ${keys[3]}`); // no newline at the end
    const content = Buffer.from(lines.join(''));
    const file = path.join(tmp, 'streamed.txt');
    fs.writeFileSync(file, content);
    const fromStdin = run(['scan', '-', '--format', 'json'], { input: content }).json();
    const fromFile = run(['scan', file, '--format', 'json']).json();
    const place = (f: { line: number; column: number; endColumn: number; keySha256: string }) => [f.line, f.column, f.endColumn, f.keySha256];
    expect(fromStdin.findings.map(place)).toEqual(fromFile.findings.map(place));
    expect(fromStdin.findings.map((f: { keySha256: string }) => f.keySha256)).toEqual(keys.map((k) => keySha256(k)));
    expect(fromStdin.findings[3].line).toBe(lines.length);
    expect(fromStdin.stats.bytes).toBe(content.length);
  });

  it('`-` next to a folder: both are scanned, in the order given', () => {
    const key = plantKey('script', 90, 502);
    const report = run(['scan', '-', DEMO, '--format', 'json'], { input: Buffer.from(`\ufeff${key}\r\n`, 'utf16le') }).json();
    expect(report.findings[0]).toMatchObject({ file: '(stdin)', line: 1, column: 1, encoding: 'utf16', keySha256: keySha256(key) });
    expect(report.findings).toHaveLength(expected.findings.length + 1);
  });
});

describe('ignore files', () => {
  let repo: string;
  const keys: Record<string, string> = {};
  beforeAll(() => {
    repo = path.join(tmp, 'ign');
    const files: Record<string, string> = {
      '.gitignore': 'build/\n*.log\n',
      '.mirrascanignore': '# reviewed test data\nvendor/\n',
      'build/out.js': 'k',
      'app.log': 'k',
      'vendor/lib.js': 'k',
      'src/.gitignore': 'local.js\n!keep.log\n',
      'src/local.js': 'k',
      'src/keep.log': 'k',
      'src/main.js': 'k',
      'src/deep/.mirrascanignore': 'fixtures.json\n',
      'src/deep/fixtures.json': 'k',
      'src/deep/real.json': 'k',
    };
    let seed = 600;
    for (const [rel, content] of Object.entries(files)) {
      const abs = path.join(repo, rel);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      if (content === 'k') keys[rel] = plantKey('install', 80, seed++);
      fs.writeFileSync(abs, content === 'k' ? `const key = "${keys[rel]}";\n` : content);
    }
    fs.mkdirSync(path.join(repo, '.git'));
    fs.writeFileSync(path.join(repo, '.git', 'config'), `url = "${plantKey('test', 70, 650)}"\n`); // .git/ is never scanned
  });
  const filesOf = (r: Run) => r.json().findings.map((f) => f.file);

  it('honours .gitignore (nested too, deeper rules win) and .mirrascanignore (at the root and nested); skips .git/', () => {
    expect(filesOf(run(['scan', '--format', 'json'], { cwd: repo }))).toEqual(['src/deep/real.json', 'src/keep.log', 'src/main.js']);
  });

  it('from a subfolder: the root-level rules still apply, names stay relative to the repository root', () => {
    expect(filesOf(run(['scan', '.', '--format', 'json'], { cwd: path.join(repo, 'src') }))).toEqual(['src/deep/real.json', 'src/keep.log', 'src/main.js']);
  });

  it('--no-ignore scans everything but .git/', () => {
    expect(filesOf(run(['scan', '--no-ignore', '--format', 'json'], { cwd: repo })).sort()).toEqual(Object.keys(keys).sort());
  });

  it('a folder or file named on the command line is scanned even when ignored', () => {
    expect(filesOf(run(['scan', 'build', 'app.log', '--format', 'json'], { cwd: repo }))).toEqual(['build/out.js', 'app.log']);
  });
});

describe('odd trees: errors are listed and the scan goes on', () => {
  let edge: string;
  const keys: Record<string, string> = {};
  beforeAll(() => {
    edge = path.join(tmp, 'edge');
    fs.mkdirSync(edge, { recursive: true });
    const write = (name: string | Buffer, seed: number, content = (k: string): string | Buffer => `key = "${k}"\n`) => {
      const key = plantKey('script', 72, seed);
      keys[Buffer.isBuffer(name) ? name.toString('latin1') : name] = key;
      const abs = Buffer.isBuffer(name) ? Buffer.concat([Buffer.from(edge + path.sep), name]) : path.join(edge, name);
      fs.writeFileSync(abs, content(key));
    };
    write('ok.js', 701);
    write('name with spaces.js', 702);
    write('new\nline.js', 703);
    write('esc\x1b[2Jred.js', 711);
    fs.mkdirSync(path.join(edge, 'folder\nwith newline'));
    write('folder\nwith newline/inner.js', 710);
    write(Buffer.from('bad-\xff\xfe.txt', 'latin1'), 704);
    write('locked.txt', 705);
    fs.chmodSync(path.join(edge, 'locked.txt'), 0o000);
    fs.mkdirSync(path.join(edge, 'locked-dir'));
    write('locked-dir/inner.txt', 706);
    fs.chmodSync(path.join(edge, 'locked-dir'), 0o000);
    fs.symlinkSync(path.join(edge, 'no-such-target'), path.join(edge, 'broken-link'));
    const outside = path.join(tmp, 'outside.txt');
    keys.outside = plantKey('test', 80, 707);
    fs.writeFileSync(outside, `k=${keys.outside}\n`);
    fs.symlinkSync(outside, path.join(edge, 'outside-link'));
    fs.symlinkSync(path.join(edge, 'ok.js'), path.join(edge, 'inside-link'));
    write('image.bin', 708, (k) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]), Buffer.alloc(3000, 0xa5), Buffer.from(k), Buffer.from([0, 0xff, 0])]));
    // Far bigger than the 1 MiB read window: the file is read in windows, and the key sits deep in it.
    const big = Buffer.alloc(9 * 1024 * 1024, 'const filler = 1;\n');
    keys['big.log'] = plantKey('install', 128, 709);
    const at = 8 * 1024 * 1024 - 60 - ((8 * 1024 * 1024 - 60) % 18);
    big.write(`${keys['big.log']}\n`, at, 'latin1');
    fs.writeFileSync(path.join(edge, 'big.log'), big);
  });

  it('unreadable files and folders, broken links: under errors; names that are not UTF-8 are read; links are not followed', () => {
    // As root nothing is unreadable: run as an unprivileged user then.
    const r = run(['scan', '.', '--format', 'json'], { cwd: edge, ...UNPRIVILEGED });
    expect(r.status, r.stderr).toBe(1);
    const report = r.json();
    // A name that is not UTF-8 is read by its bytes and shown with them escaped.
    expect(report.findings.map((f) => f.file).sort()).toEqual(['bad-\\xff\\xfe.txt', 'big.log', 'esc\x1b[2Jred.js', 'folder\nwith newline/inner.js', 'image.bin', 'name with spaces.js', 'new\nline.js', 'ok.js']);
    expect(report.findings.find((f) => f.file === 'big.log')).toMatchObject({ line: Math.floor((8 * 1024 * 1024 - 60) / 18) + 1, column: 1, keySha256: keySha256(keys['big.log']) });
    expect(report.findings.find((f) => f.file === 'image.bin')).toMatchObject({ line: 1, keySha256: keySha256(keys['image.bin']) });
    const errors = Object.fromEntries(report.errors.map((e) => [e.file, e.message]));
    expect(errors).toMatchObject({ 'broken-link': 'broken symbolic link', 'locked.txt': 'permission denied' });
    expect(errors['locked-dir']).toMatch(/folder not readable/);
    expect(report.stats.skipped).toBeGreaterThanOrEqual(Object.keys(errors).length);
  });

  it('text and SARIF reports carry the odd names safely', () => {
    const text = run(['scan', '.'], { cwd: edge }).stdout;
    expect(text).toContain('name with spaces.js:1:8');
    // Control characters in names (newlines too, but not tabs) are shown as escapes: no terminal escape sequence, no faked line.
    expect(text).toContain('new\\nline.js:1:8');
    expect(text).toContain('esc\\x1b[2Jred.js:1:8');
    expect(text).not.toContain('\x1b');
    const sarif = JSON.parse(run(['scan', '.', '--format', 'sarif'], { cwd: edge }).stdout) as SarifLog;
    expect(sarif.runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri)).toContain('new%0Aline.js');
  });

  it('a named file that cannot be read: exit 2', () => {
    const r = run(['scan', 'locked.txt'], { cwd: edge, ...UNPRIVILEGED });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot read "locked.txt": permission denied/);
  });
});

describe('a large walk, shared with worker threads', () => {
  it('gives the same report, in the same order, on one thread and on several', () => {
    const many = path.join(tmp, 'many');
    // 300 folders at the top: a level big enough that the threads share its folders out.
    for (let i = 0; i < 600; i++) {
      const dir = path.join(many, `pkg${i % 300}`, `mod${i % 5}`);
      fs.mkdirSync(dir, { recursive: true });
      const body = i % 37 === 0 ? `export const k${i} = '${plantKey('untyped', 64 + (i % 60), 800 + i)}';\n` : `export const v${i} = ${i};\n`;
      fs.writeFileSync(path.join(dir, `f${i}.js`), body.repeat(1 + (i % 3)));
    }
    const strip = (r: Run) => {
      const j = r.json();
      return { findings: j.findings, errors: j.errors, files: j.stats.files, bytes: j.stats.bytes };
    };
    const one = strip(run(['scan', '.', '--format', 'json'], { cwd: many, env: { MIRRA_SCAN_THREADS: '1' } }));
    const two = strip(run(['scan', '.', '--format', 'json'], { cwd: many, env: { MIRRA_SCAN_THREADS: '2' } }));
    const three = strip(run(['scan', '.', '--format', 'json'], { cwd: many, env: { MIRRA_SCAN_THREADS: '3' } }));
    const planted = [...Array(600).keys()].filter((i) => i % 37 === 0).reduce((n, i) => n + 1 + (i % 3), 0); // one finding a line
    expect(one.findings).toHaveLength(planted);
    expect(two).toEqual(one);
    expect(three).toEqual(one);
    expect(one.files).toBe(600);
  });
});
