// The real ESLint 10 (flat), ESLint 9 (flat and eslintrc) and ESLint 8 (eslintrc), each run as
// its own CLI over the fixture project in fixtures/eslint/ (one src/ beside both configs), loading the plugin by its package name
// (Node resolves `eslint-plugin-mirra` to this package's build). All four must report the same
// findings, where fixtures/eslint/expected-findings.json says they are. The ESLint 8 run also lints
// part of this repository with the root .eslintrc.cjs.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeKey } from '../support/fake-keys.js';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = path.join(repo, 'fixtures/eslint');
const EXTENSIONS = '.js,.jsx,.ts,.tsx';

interface EslintRun {
  name: string;
  bin: string;
  cwd: string;
  args: string[];
  flat: boolean;
}

const RUNS: EslintRun[] = [
  { name: 'ESLint 10, eslint.config.js', bin: 'eslint', cwd: 'project', args: ['.'], flat: true },
  { name: 'ESLint 9, eslint.config.js', bin: 'eslint-v9', cwd: 'project', args: ['.'], flat: true },
  { name: 'ESLint 9, .eslintrc.cjs', bin: 'eslint-v9', cwd: 'project', args: ['--ext', EXTENSIONS, '.'], flat: false },
  { name: 'ESLint 8, .eslintrc.cjs', bin: 'eslint-v8', cwd: 'project', args: ['--ext', EXTENSIONS, '.'], flat: false },
];

interface Finding {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  ruleId: string | null;
  message: string;
}

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function eslintCli(bin: string, cwd: string, args: string[], flat: boolean, input?: string): Promise<CliResult> {
  const env = { ...process.env, ESLINT_USE_FLAT_CONFIG: flat ? 'true' : 'false', NODE_OPTIONS: '' };
  const child = run(process.execPath, [path.join(repo, 'node_modules', bin, 'bin/eslint.js'), '--format', 'json', ...args], {
    cwd,
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

function findingsOf(stdout: string, base: string): Finding[] {
  const results = JSON.parse(stdout) as Array<{ filePath: string; messages: Array<Omit<Finding, 'file'>> }>;
  return results
    .flatMap((r) =>
      r.messages.map((m) => ({
        file: path.relative(base, r.filePath).split(path.sep).join('/'),
        line: m.line,
        column: m.column,
        endLine: m.endLine,
        endColumn: m.endColumn,
        ruleId: m.ruleId,
        message: m.message,
      })),
    )
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

const built = fs.existsSync(path.join(repo, 'dist/index.cjs')) && fs.existsSync(path.join(repo, 'dist/src/index.js'));

describe.runIf(built)('the plugin under every ESLint and config system', () => {
  const outcomes = new Map<string, { result: CliResult; findings: Finding[] }>();
  let copy = '';
  afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

  beforeAll(async () => {
    // The project is linted from a copy outside this repository: here, the repository's own
    // .mirrascanignore (which leaves fixtures/ out of its self-scan) would apply to the rule too.
    // Its node_modules links the plugin (this package) and the parser, as an installed project has them.
    copy = fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-eslint-'));
    fs.cpSync(fixtures, copy, { recursive: true });
    const modules = path.join(copy, 'project/node_modules');
    fs.mkdirSync(modules);
    fs.symlinkSync(repo, path.join(modules, 'eslint-plugin-mirra'), 'dir');
    fs.symlinkSync(path.join(repo, 'node_modules/@typescript-eslint'), path.join(modules, '@typescript-eslint'), 'dir');
    // All four at once: each is a separate Node process.
    await Promise.all(
      RUNS.map(async (r) => {
        const cwd = path.join(copy, r.cwd);
        const result = await eslintCli(r.bin, cwd, r.args, r.flat);
        outcomes.set(r.name, { result, findings: result.stdout ? findingsOf(result.stdout, cwd) : [] });
      }),
    );
  }, 120_000);

  const expected = JSON.parse(fs.readFileSync(path.join(fixtures, 'expected-findings.json'), 'utf8')) as Array<Pick<Finding, 'file' | 'line' | 'column' | 'ruleId'>>;

  for (const r of RUNS) {
    it(`${r.name}: reports every key where expected-findings.json says, and nothing else`, () => {
      const { result, findings } = outcomes.get(r.name)!;
      expect(result.code, result.stderr).toBe(1); // 1: lint errors found (2 would be a crash)
      expect(findings.map(({ file, line, column, ruleId }) => ({ file, line, column, ruleId }))).toEqual(
        [...expected].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column),
      );
    });

    it(`${r.name}: loads the plugin without warnings of its own`, () => {
      const { stderr } = outcomes.get(r.name)!.result;
      expect(stderr).not.toMatch(/ExperimentalWarning|require\(\) of ES|mirra/i);
      // ESLint 9 warns that eslintrc is deprecated; that is ESLint's own notice, and the only one.
      const eslintNotices = stderr.split('\n').filter((l) => l && !/ESLintRCWarning|--trace-warnings/.test(l));
      expect(eslintNotices).toEqual([]);
    });
  }

  it('all four report the same findings, with the same messages and spans', () => {
    const [first, ...rest] = RUNS.map((r) => outcomes.get(r.name)!.findings);
    expect(first.length).toBe(expected.length);
    for (const other of rest) expect(other).toEqual(first);
  });

  it('shows no key in full in any message', () => {
    // (ESLint's JSON output also carries each file's source; only the messages are the rule's.)
    const messages = RUNS.flatMap((r) => outcomes.get(r.name)!.findings.map((f) => f.message));
    const src = path.join(fixtures, 'project/src');
    const sources = fs.readdirSync(src).map((f) => fs.readFileSync(path.join(src, f), 'utf8'));
    // Every long hex run in the sources is (part of) a fake key; none may appear in a message.
    const hexRuns = [...new Set(sources.join('\n').match(/[0-9a-f]{40,}/g))];
    expect(hexRuns.length).toBeGreaterThan(5);
    expect(messages.length).toBe(4 * expected.length);
    const leaks = messages.filter((m) => hexRuns.some((h) => m.includes(h)) || /mirra_\w*[0-9a-f]{40}/.test(m));
    expect(leaks).toEqual([]);
  });
});

describe.runIf(built)('ESLint 8 with the repository root .eslintrc.cjs', () => {
  const eslint8 = (args: string[], input?: string) => eslintCli('eslint-v8', repo, args, false, input);

  it('lints part of this repository with the plugin, cleanly', async () => {
    // The plugin's own code (other folders change under other hands; `npm run lint` covers them).
    const files = ['src/index.ts', 'rules', 'test/rules', 'test/eslint', 'scripts/make-eslint-fixtures.js', 'scripts/finish-build.js', 'bench/eslint', 'eslint.config.js', '.eslintrc.cjs'];
    const result = await eslint8(['--ext', '.ts,.js,.cjs', ...files]);
    expect(result.stderr).toBe('');
    const findings = findingsOf(result.stdout, repo);
    expect(findings).toEqual([]);
    expect(result.code).toBe(0);
    const linted = (JSON.parse(result.stdout) as unknown[]).length;
    expect(linted).toBeGreaterThanOrEqual(14);
  }, 60_000);

  it('runs mirra/no-hardcoded-api-key on TypeScript under that config', async () => {
    const key = fakeKey('install', 80);
    const code = `export const client = connect({\n  apiKey: 'mirra_install_' +\n    '${key.slice('mirra_install_'.length)}',\n});\n`;
    const result = await eslint8(['--stdin', '--stdin-filename', 'src/probe.ts'], code);
    expect(result.stderr).toBe('');
    const findings = findingsOf(result.stdout, repo);
    expect(findings.map(({ ruleId, line, column, endLine }) => ({ ruleId, line, column, endLine }))).toEqual([
      { ruleId: 'mirra/no-hardcoded-api-key', line: 2, column: 12, endLine: 3 },
    ]);
    expect(findings[0].message).not.toContain(key);
  }, 60_000);
});

it('the integration tests have a build to load (npm run build)', () => {
  expect(built, 'run `npm run build` first: ESLint loads the plugin from dist/').toBe(true);
});
