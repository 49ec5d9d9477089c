// `mirra/no-hardcoded-api-key`, case by case: every kind of node a key can sit in and every way
// the code can assemble one, under espree and under @typescript-eslint/parser. Keys are made at
// run time (test/support/fake-keys.ts); none is written in this file.

import { Linter, RuleTester } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { describe, expect, it } from 'vitest';
import rule from '../../rules/no-hardcoded-api-key.js';
import { detectKeys, keySha256, redactKey } from '../../src/detector/index.js';
import { DOC_EXAMPLE_BODY_STEM } from '../../src/detector/filters.js';
import { buildHint } from '../../src/hints/index.js';
import { fakeKey } from '../support/fake-keys.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

type Invalid = RuleTester.InvalidTestCase;
/** A valid case: its code alone, or the code with options. */
type Valid = string | RuleTester.ValidTestCase;

// ---- keys, pieces of keys, and how the rule shows them ----

const SCRIPT = fakeKey('script', 77, 11);
const INSTALL = fakeKey('install', 80, 12);
const TEST = fakeKey('test', 70, 13);
const UNTYPED = fakeKey('untyped', 64, 14);
const SCRIPT_BODY = SCRIPT.slice('mirra_script_'.length);
const UNTYPED_BODY = UNTYPED.slice('mirra_'.length);
const INSTALL_BODY = INSTALL.slice('mirra_install_'.length);
const ENV = 'process.env.MIRRA_API_KEY';

/** The 1-based position of the `nth` occurrence of `needle` in `code`, as ESLint reports it. */
function at(code: string, needle: string, nth = 0): { line: number; column: number; endLine: number; endColumn: number } {
  let index = -1;
  for (let i = 0; i <= nth; i++) {
    index = code.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`test bug: ${JSON.stringify(needle.slice(0, 30))} not in the code`);
  }
  const pos = (offset: number) => {
    const before = code.slice(0, offset).split('\n');
    return { line: before.length, column: before[before.length - 1].length + 1 };
  };
  const start = pos(index);
  const end = pos(index + needle.length);
  return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

const useEnv = (output: string, envVar = 'MIRRA_API_KEY') => [{ messageId: 'useEnvVar', data: { envVar }, output }];

/** A key reported where it is written, with the suggestion's output (or none). */
function keyAt(code: string, spelled: string, output: string | null, nth = 0) {
  return { messageId: 'hardcodedKey', ...at(code, spelled, nth), suggestions: output === null ? [] : useEnv(output) };
}

/**
 * A key that only exists once pieces are put together: reported where it is written, from its first
 * character (`from`, the first text of it in `expression`) to its last (the end of `to`, the last
 * text of it), as the CLI reports it; at the whole expression when a piece at either end is read
 * through a name (no `span`).
 */
function composedAt(code: string, expression: string, output: string | null, span?: [from: string, to: string]) {
  const suggestions = output === null ? [] : useEnv(output);
  if (!span) return { messageId: 'composedKey', ...at(code, expression), suggestions };
  const base = code.indexOf(expression);
  const start = base + expression.indexOf(span[0]);
  const end = base + expression.lastIndexOf(span[1]) + span[1].length;
  const pos = (offset: number) => {
    const before = code.slice(0, offset).split('\n');
    return { line: before.length, column: before[before.length - 1].length + 1 };
  };
  const [from, to] = [pos(start), pos(end)];
  return { messageId: 'composedKey', line: from.line, column: from.column, endLine: to.line, endColumn: to.column, suggestions };
}
/** The span of a key whose last piece ends with `body`. */
const pieces = (body: string, first = 'mirra'): [string, string] => [first, body.slice(-8)];

// ---- cases that hold for JavaScript under either parser ----

const jsValid: Valid[] = [
  // Keys come from the environment.
  `const key = ${ENV};`,
  `const client = new MirraSDK({ apiKey: process.env.MIRRA_API_KEY });`,
  // Names, not keys.
  `const MIRRA_API_KEY = 'MIRRA_API_KEY'; const mirra_client = mirra_script_id(mirra_install_dir);`,
  // The vendor's own documentation example, truncated keys and masks are placeholders.
  `const example = 'mirra_script_${DOC_EXAMPLE_BODY_STEM}789abcdef0123456789abcdef0123456789abcdef0123456789';`,
  `// e.g. mirra_script_${SCRIPT_BODY.slice(0, 4)}… (truncated)`,
  `const docs = 'mirra_${SCRIPT_BODY.slice(0, 20)}...';`,
  `const masked = ['mirra_script_xxxxxxxxxxxxxxxx', 'mirra_<KEY>', 'mirra_REDACTED', 'mirra_****************'];`,
  `const repeated = 'mirra_${'0'.repeat(64)}';`,
  // Too short or too long to be a key.
  `const short = 'mirra_script_${SCRIPT_BODY.slice(0, 40)}';`,
  `const long = 'mirra_${UNTYPED_BODY.repeat(3)}';`,
  // Glued into a longer identifier-like token.
  `const glued = 'x${SCRIPT}';`,
  // Compositions whose missing piece is only known at run time.
  `const fromEnv = 'mirra_script_' + process.env.MIRRA_KEY_BODY;`,
  `const built = \`mirra_script_\${body}\`;`,
  `const repeated2 = 'mirra_' + '0'.repeat(64);`,
  // A tag other than String.raw receives the pieces separately: nothing is concatenated.
  `const body = '${SCRIPT_BODY}';\nconst q = gql\`mirra_script_\${body}\`;`,
  // A separator that is not empty breaks the hex run.
  `const k = ['mirra_script_', '${SCRIPT_BODY.slice(0, 32)}', '${SCRIPT_BODY.slice(32)}'].join('-');`,
  // `let` may be reassigned before use: only `const` bindings are followed.
  `let prefix = 'mirra_script_';\nprefix = 'x';\nconst k = prefix + '${SCRIPT_BODY}';`,
  // The CLI's inline allow marker.
  `const revoked = '${SCRIPT}'; // mirra-scan:allow (revoked, kept for the regression test)`,
  // Options.
  { code: `const k = '${TEST}';`, options: [{ reportTestKeys: false }] },
  { code: `const k = 'mirra_test_' + '${TEST.slice('mirra_test_'.length)}';`, options: [{ reportTestKeys: false }] },
  { code: `const k = '${SCRIPT}';`, options: [{ allowedKeySha256: [keySha256(SCRIPT)] }] },
  { code: `const k = '${SCRIPT}';`, options: [{ allowedKeySha256: [keySha256(SCRIPT).toUpperCase()] }] },
];

function jsInvalid(): Invalid[] {
  const cases: Invalid[] = [];
  const add = (code: string, errors: Invalid['errors'], options?: Invalid['options']) => cases.push({ code, errors, ...(options ? { options } : {}) });

  // ---- string literals ----
  {
    const code = `const key = '${SCRIPT}';`;
    add(code, [{ messageId: 'hardcodedKey', line: 1, column: 14, endLine: 1, endColumn: 14 + SCRIPT.length, suggestions: useEnv(`const key = ${ENV};`) }]);
  }
  {
    const code = `const key = "${UNTYPED}";`;
    add(code, [keyAt(code, UNTYPED, `const key = ${ENV};`)]);
  }
  // Inside a longer string: the string becomes a template with the variable in the key's place.
  {
    const code = `fetch(url, { headers: { Authorization: 'Bearer ${SCRIPT}' } });`;
    add(code, [keyAt(code, SCRIPT, `fetch(url, { headers: { Authorization: \`Bearer \${${ENV}}\` } });`)]);
  }
  {
    const code = `const u = 'https://x.test/?q=\`a\`&key=${INSTALL}&t=\${x}';`;
    add(code, [keyAt(code, INSTALL, `const u = \`https://x.test/?q=\\\`a\\\`&key=\${${ENV}}&t=\\\${x}\`;`)]);
  }
  // Two keys in one string: two reports.
  {
    const code = `const pair = '${SCRIPT} ${INSTALL}';`;
    add(code, [
      keyAt(code, SCRIPT, `const pair = \`\${${ENV}} ${INSTALL}\`;`),
      keyAt(code, INSTALL, `const pair = \`${SCRIPT} \${${ENV}}\`;`),
    ]);
  }
  // Every key type; `mirra_test_` keys are reported by default.
  {
    const code = `const keys = { a: '${INSTALL}', b: '${TEST}', c: '${UNTYPED}' };`;
    add(code, [
      keyAt(code, INSTALL, `const keys = { a: ${ENV}, b: '${TEST}', c: '${UNTYPED}' };`),
      keyAt(code, TEST, `const keys = { a: '${INSTALL}', b: ${ENV}, c: '${UNTYPED}' };`),
      keyAt(code, UNTYPED, `const keys = { a: '${INSTALL}', b: '${TEST}', c: ${ENV} };`),
    ]);
  }
  // The variable's name is an option.
  {
    const code = `const key = '${SCRIPT}';`;
    add(code, [{ messageId: 'hardcodedKey', ...at(code, SCRIPT), suggestions: useEnv(`const key = process.env.MY_MIRRA_KEY;`, 'MY_MIRRA_KEY') }], [{ envVar: 'MY_MIRRA_KEY' }]);
  }
  // A computed member is a value; a property name is not.
  {
    const code = `const v = table['${SCRIPT}'];`;
    add(code, [keyAt(code, SCRIPT, `const v = table[${ENV}];`)]);
  }
  {
    const code = `const o = { '${SCRIPT}': true };\nclass C { '${INSTALL}'() {} }`;
    add(code, [keyAt(code, SCRIPT, null), keyAt(code, INSTALL, null)]);
  }
  // Escapes: reported where the escaped spelling is; the value is the key, so it can be replaced.
  {
    const spelled = `mirra\\x5fscript_${SCRIPT_BODY}`;
    const code = `const key = '${spelled}';`;
    add(code, [keyAt(code, spelled, `const key = ${ENV};`)]);
  }
  {
    const spelled = `mirra\\u005f${UNTYPED_BODY}`;
    const code = `const key = "${spelled}";`;
    add(code, [keyAt(code, spelled, `const key = ${ENV};`)]);
  }
  {
    const spelled = `mirra_script_${SCRIPT_BODY.slice(0, 10)}\\u{${SCRIPT_BODY.charCodeAt(10).toString(16)}}${SCRIPT_BODY.slice(11)}`;
    const code = `const key = 'x=${spelled}';`;
    add(code, [keyAt(code, spelled, `const key = \`x=\${${ENV}}\`;`)]);
  }
  // A line continuation inside the key.
  {
    const code = `const key = '${SCRIPT.slice(0, 40)}\\\n${SCRIPT.slice(40)}';`;
    add(code, [{ messageId: 'hardcodedKey', line: 1, column: 14, endLine: 2, endColumn: 1 + SCRIPT.length - 40, suggestions: useEnv(`const key = ${ENV};`) }]);
  }
  // Encoded keys are found as the detector finds them, reported over the span it gives (offset
  // into the literal); no suggestion (the code expects the encoded form).
  const detectorSpan = (text: string) => {
    const [m] = detectKeys(text);
    return text.slice(m.start, m.end);
  };
  {
    const b64 = Buffer.from(SCRIPT).toString('base64');
    const code = `const auth = Buffer.from('${b64}', 'base64').toString();`;
    add(code, [keyAt(code, detectorSpan(b64), null)]);
  }
  {
    // The key starts inside a base64 group of a JSON blob.
    const b64 = Buffer.from(`{"apiKey":"${INSTALL}"}`).toString('base64');
    const code = `const blob = '${b64}';`;
    add(code, [keyAt(code, detectorSpan(b64), null)]);
  }
  {
    const spelled = `mirra%5Fscript_${SCRIPT_BODY}`;
    const code = `const link = 'https://api.test/resources?key=${spelled}';`;
    add(code, [keyAt(code, spelled, null)]);
  }

  // ---- template literals ----
  {
    const code = `const key = \`${SCRIPT}\`;`;
    add(code, [keyAt(code, SCRIPT, `const key = ${ENV};`)]);
  }
  // A key on the third line of a long template: reported there, not where the template starts.
  {
    const code = `const help = \`\nSet the header:\n  X-API-Key: ${SCRIPT}\nand call \${base}/api/sdk/v1/resources\`;`;
    add(code, [
      {
        messageId: 'hardcodedKey',
        line: 3,
        column: 14,
        endLine: 3,
        endColumn: 14 + SCRIPT.length,
        suggestions: useEnv(`const help = \`\nSet the header:\n  X-API-Key: \${${ENV}}\nand call \${base}/api/sdk/v1/resources\`;`),
      },
    ]);
  }
  {
    const code = `const url = \`\${base}/x?key=${INSTALL}\`;`;
    add(code, [keyAt(code, INSTALL, `const url = \`\${base}/x?key=\${${ENV}}\`;`)]);
  }
  // Under a tag other than String.raw: reported, but the tag would see a replacement differently.
  {
    const code = `const q = sql\`select * from t where key = '${SCRIPT}' and id = \${id}\`;`;
    add(code, [keyAt(code, SCRIPT, null)]);
  }

  // ---- comments and regular expressions: reported where the key is, no suggestion ----
  {
    const code = `// deploy with ${SCRIPT}\nrun();`;
    add(code, [keyAt(code, SCRIPT, null)]);
  }
  {
    const code = `/*\n * The old key, do not use:\n *   ${INSTALL}\n */\nrun();`;
    add(code, [{ messageId: 'hardcodedKey', line: 3, column: 6, endLine: 3, endColumn: 6 + INSTALL.length, suggestions: [] }]);
  }
  {
    const code = `const re = /^${SCRIPT}$/u;`;
    add(code, [keyAt(code, SCRIPT, null)]);
  }

  // ---- import and export sources: not values, no suggestion ----
  {
    const code = `import data from './${SCRIPT}.json';\nexport * from '${INSTALL}';\nexport { x } from '${UNTYPED}';\nconst m = import('${TEST}');`;
    add(code, [keyAt(code, SCRIPT, null), keyAt(code, INSTALL, null), keyAt(code, UNTYPED, null), keyAt(code, TEST, null)]);
  }

  // ---- compositions: one report, at the outermost expression that holds the whole key ----
  {
    const code = `const key = 'mirra_script_' + '${SCRIPT_BODY}';`;
    add(code, [{ messageId: 'composedKey', line: 1, column: 14, endLine: 1, endColumn: 32 + SCRIPT_BODY.length, suggestions: useEnv(`const key = ${ENV};`) }]);
  }
  // Over several lines: on the line where the expression starts.
  {
    const expression = `'mirra_script_' +\n  '${SCRIPT_BODY.slice(0, 30)}' +\n  '${SCRIPT_BODY.slice(30)}'`;
    const code = `const key =\n  ${expression};`;
    add(code, [{ messageId: 'composedKey', line: 2, column: 4, endLine: 4, endColumn: 3 + SCRIPT_BODY.length - 30 + 1, suggestions: useEnv(`const key =\n  ${ENV};`) }]);
  }
  // Text around the key stays: the expression becomes one template literal.
  {
    const expression = `'Authorization: Bearer ' + 'mirra_script_' + '${SCRIPT_BODY}' + '\\n'`;
    const code = `const header = ${expression};`;
    add(code, [composedAt(code, expression, `const header = \`Authorization: Bearer \${${ENV}}\\n\`;`, pieces(SCRIPT_BODY))]);
  }
  // Nested compositions: still one report, at the outermost.
  {
    const expression = `('mirra_' + '${UNTYPED_BODY.slice(0, 20)}') + ('${UNTYPED_BODY.slice(20)}' + '')`;
    const code = `send(${expression});`;
    add(code, [composedAt(code, expression, `send(${ENV});`, pieces(UNTYPED_BODY))]);
  }
  // A piece known only at run time: reported, but no suggestion (it would drop that piece).
  {
    const expression = `'mirra_script_' + '${SCRIPT_BODY}' + suffix()`;
    const code = `const key = ${expression};`;
    add(code, [composedAt(code, expression, null, pieces(SCRIPT_BODY))]);
  }
  // Template literals whose parts are constants.
  {
    const expression = `\`mirra_\${'script_'}${SCRIPT_BODY}\``;
    const code = `const key = ${expression};`;
    add(code, [composedAt(code, expression, `const key = ${ENV};`, pieces(SCRIPT_BODY))]);
  }
  // `const` bindings in scope that feed a composition; uses of the result are not reported again.
  {
    const code = `const prefix = 'mirra_';\nconst key = prefix + '${UNTYPED_BODY}';\nconst url = base + '?key=' + key;\nlog(key + '');`;
    add(code, [composedAt(code, `prefix + '${UNTYPED_BODY}'`, `const prefix = 'mirra_';\nconst key = ${ENV};\nconst url = base + '?key=' + key;\nlog(key + '');`)]);
  }
  {
    const code = `const P = 'mirra_script_';\nconst B = '${SCRIPT_BODY}';\nfunction client() {\n  return connect(\`\${P}\${B}\`);\n}`;
    add(code, [composedAt(code, '`${P}${B}`', `const P = 'mirra_script_';\nconst B = '${SCRIPT_BODY}';\nfunction client() {\n  return connect(${ENV});\n}`)]);
  }
  // Constants declared after their use, feeding each other: PREFIX comes from BASE.
  {
    const code = `export function client() {\n  return connect(PREFIX + BODY);\n}\nconst BASE = 'mirra_';\nconst PREFIX = BASE + 'script_';\nconst BODY = '${SCRIPT_BODY}';`;
    add(code, [composedAt(code, 'PREFIX + BODY', code.replace('PREFIX + BODY', ENV))]);
  }
  // With constants inlined, text around the key would be lost from view: reported without a suggestion.
  {
    const code = `const P = 'mirra_script_';\nconst header = 'Bearer ' + P + '${SCRIPT_BODY}';`;
    add(code, [composedAt(code, `'Bearer ' + P + '${SCRIPT_BODY}'`, null)]);
  }
  // [...].join(sep) with a constant separator, written out or bound by const.
  {
    const expression = `['mirra_', 'install_', '${INSTALL_BODY}'].join('')`;
    const code = `const key = ${expression};`;
    add(code, [composedAt(code, expression, `const key = ${ENV};`, pieces(INSTALL_BODY))]);
  }
  {
    const code = `const SEP = '';\nconst PARTS = ['mirra_script_', '${SCRIPT_BODY.slice(0, 30)}', '${SCRIPT_BODY.slice(30)}'];\nconst key = PARTS.join(SEP);`;
    add(code, [composedAt(code, 'PARTS.join(SEP)', `const SEP = '';\nconst PARTS = ['mirra_script_', '${SCRIPT_BODY.slice(0, 30)}', '${SCRIPT_BODY.slice(30)}'];\nconst key = ${ENV};`)]);
  }
  {
    const expression = `['mirra', 'script', '${SCRIPT_BODY}'].join('_')`;
    const code = `const key = ${expression};`;
    add(code, [composedAt(code, expression, `const key = ${ENV};`, pieces(SCRIPT_BODY))]);
  }
  // '…'.concat(…)
  {
    const expression = `'mirra_script_'.concat('${SCRIPT_BODY.slice(0, 30)}', '${SCRIPT_BODY.slice(30)}')`;
    const code = `const key = ${expression};`;
    add(code, [composedAt(code, expression, `const key = ${ENV};`, pieces(SCRIPT_BODY))]);
  }
  // String.raw
  {
    const expression = `String.raw\`mirra_install_\${'${INSTALL_BODY}'}\``;
    const code = `const key = ${expression};`;
    add(code, [composedAt(code, expression, `const key = ${ENV};`, pieces(INSTALL_BODY))]);
  }
  // String.raw keeps escapes as written: the key's `_` is written `\\x5f` and stays so.
  {
    const spelled = `mirra\\x5fscript_${SCRIPT_BODY}`;
    const code = `const escaped = String.raw\`${spelled}\`;`;
    add(code, [keyAt(code, spelled, null)]);
  }
  // Escapes across pieces.
  {
    const expression = `'mirra\\x5f' + 'script\\u005f' + '${SCRIPT_BODY}'`;
    const code = `const key = ${expression};`;
    add(code, [composedAt(code, expression, `const key = ${ENV};`, pieces(SCRIPT_BODY))]);
  }
  // Base64 pieces put together.
  {
    const b64 = Buffer.from(SCRIPT).toString('base64');
    const expression = `'${b64.slice(0, 20)}' + '${b64.slice(20)}'`;
    const code = `const token = atob(${expression});`;
    // From the base64 group that holds the key's first byte to the one that holds its last.
    const { start, end } = detectKeys(b64)[0];
    add(code, [composedAt(code, expression, null, [b64.slice(start, start + 8), b64.slice(end - 8, end)])]);
  }
  // A key used as a default value and in a class field.
  {
    const code = `class Client { key = '${SCRIPT}'; constructor(k = 'mirra_' + '${UNTYPED_BODY}') {} }`;
    add(code, [
      keyAt(code, SCRIPT, `class Client { key = ${ENV}; constructor(k = 'mirra_' + '${UNTYPED_BODY}') {} }`),
      composedAt(code, `'mirra_' + '${UNTYPED_BODY}'`, `class Client { key = '${SCRIPT}'; constructor(k = ${ENV}) {} }`, pieces(UNTYPED_BODY)),
    ]);
  }
  return cases;
}

// ---- JSX ----

const jsxValid: Valid[] = [`const a = <Provider apiKey={process.env.MIRRA_API_KEY}>mirra_script_ {name}</Provider>;`];

function jsxInvalid(): Invalid[] {
  const cases: Invalid[] = [];
  {
    const code = `const a = <Provider apiKey="${SCRIPT}" />;`;
    cases.push({ code, errors: [keyAt(code, SCRIPT, `const a = <Provider apiKey={${ENV}} />;`)] });
  }
  {
    const code = `const a = <Provider auth='Bearer ${SCRIPT}' />;`;
    cases.push({ code, errors: [keyAt(code, SCRIPT, `const a = <Provider auth={\`Bearer \${${ENV}}\`} />;`)] });
  }
  {
    const code = `const a = (\n  <p>\n    Your key is ${INSTALL}, keep it safe.\n  </p>\n);`;
    cases.push({ code, errors: [{ messageId: 'hardcodedKey', line: 3, column: 17, endLine: 3, endColumn: 17 + INSTALL.length, suggestions: useEnv(`const a = (\n  <p>\n    Your key is {${ENV}}, keep it safe.\n  </p>\n);`) }] });
  }
  {
    const code = `const a = <Provider apiKey={'mirra_script_' + '${SCRIPT_BODY}'} />;`;
    cases.push({ code, errors: [composedAt(code, `'mirra_script_' + '${SCRIPT_BODY}'`, `const a = <Provider apiKey={${ENV}} />;`, pieces(SCRIPT_BODY))] });
  }
  return cases;
}

// ---- TypeScript ----

const tsValid: Valid[] = [
  `const key: string = process.env.MIRRA_API_KEY ?? '';`,
  `type KeyPrefix = 'mirra_script_' | 'mirra_install_' | 'mirra_test_';\ntype Key = \`mirra_\${string}\`;`,
  `enum Env { Var = 'MIRRA_API_KEY' }`,
];

function tsInvalid(): Invalid[] {
  const cases: Invalid[] = [];
  // Enum members: the value must stay constant, so no suggestion; a member name neither.
  {
    const code = `enum Keys {\n  Prod = '${SCRIPT}',\n  '${INSTALL}' = 2,\n  Test = 'mirra_test_' + '${TEST.slice('mirra_test_'.length)}',\n}`;
    cases.push({
      code,
      errors: [keyAt(code, SCRIPT, null), keyAt(code, INSTALL, null), composedAt(code, `'mirra_test_' + '${TEST.slice('mirra_test_'.length)}'`, null, pieces(TEST))],
    });
  }
  // Literal types and template literal types.
  {
    const code = `type Key = '${SCRIPT}';\ntype Url = \`https://x.test/?key=${INSTALL}&\${string}\`;\ntype T2 = \`${UNTYPED}\`;`;
    cases.push({ code, errors: [keyAt(code, SCRIPT, null), keyAt(code, INSTALL, null), keyAt(code, UNTYPED, null)] });
  }
  // Interface members and declared modules.
  {
    const code = `interface Keys { '${SCRIPT}': string }\ndeclare module '${INSTALL}' {}\nimport type { T } from '${UNTYPED}';`;
    cases.push({ code, errors: [keyAt(code, SCRIPT, null), keyAt(code, INSTALL, null), keyAt(code, UNTYPED, null)] });
  }
  // Type-only wrappers do not hide a composition.
  {
    const expression = `('mirra_script_' as string) + ('${SCRIPT_BODY}' satisfies string)`;
    const code = `const key: string = ${expression};`;
    cases.push({ code, errors: [composedAt(code, expression, `const key: string = ${ENV};`, pieces(SCRIPT_BODY))] });
  }
  {
    const code = `const PREFIX = 'mirra_install_' as const;\nconst BODY = <string>'${INSTALL_BODY}';\nexport const key = PREFIX + BODY!;`;
    cases.push({ code, errors: [composedAt(code, 'PREFIX + BODY!', `const PREFIX = 'mirra_install_' as const;\nconst BODY = <string>'${INSTALL_BODY}';\nexport const key = ${ENV};`)] });
  }
  // Typed class members and parameters.
  {
    const code = `class Client {\n  private readonly key: string = '${SCRIPT}';\n  constructor(public token: string = \`${INSTALL}\`) {}\n}`;
    cases.push({
      code,
      errors: [
        keyAt(code, SCRIPT, `class Client {\n  private readonly key: string = ${ENV};\n  constructor(public token: string = \`${INSTALL}\`) {}\n}`),
        keyAt(code, INSTALL, `class Client {\n  private readonly key: string = '${SCRIPT}';\n  constructor(public token: string = ${ENV}) {}\n}`),
      ],
    });
  }
  return cases;
}

// ---- the runs ----

const espreeTester = new RuleTester({ languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } });
espreeTester.run('no-hardcoded-api-key (espree)', rule, {
  valid: [...jsValid, ...jsxValid],
  invalid: [...jsInvalid(), ...jsxInvalid()],
});

const tsxTester = new RuleTester({ languageOptions: { parser: tsParser, parserOptions: { ecmaFeatures: { jsx: true } } } });
tsxTester.run('no-hardcoded-api-key (@typescript-eslint/parser, JS and JSX)', rule, {
  valid: [...jsValid, ...jsxValid],
  invalid: [...jsInvalid(), ...jsxInvalid()],
});

const tsTester = new RuleTester({ languageOptions: { parser: tsParser } });
tsTester.run('no-hardcoded-api-key (@typescript-eslint/parser, TypeScript)', rule, {
  valid: tsValid,
  invalid: tsInvalid(),
});

// ---- what the messages say ----

describe('no-hardcoded-api-key messages', () => {
  const linter = new Linter();
  const lint = (code: string, options: object = {}, file = 'file.tsx') =>
    linter.verify(
      code,
      [
        {
          files: ['**/*.ts', '**/*.tsx'],
          languageOptions: { parser: tsParser, parserOptions: { ecmaFeatures: { jsx: file.endsWith('x') } } },
          plugins: { mirra: { rules: { 'no-hardcoded-api-key': rule } } },
          rules: { 'mirra/no-hardcoded-api-key': ['error', options] },
        },
      ],
      file,
    );

  it('names the key type, shows the key redacted, and says what to do', () => {
    const [message] = lint(`const key = '${SCRIPT}';`);
    const hint = buildHint(
      { keyType: 'script', place: 'working-tree', source: 'file', verification: { status: 'unchecked' }, file: 'file.tsx', commit: null },
      { envVar: 'MIRRA_API_KEY', short: true },
    );
    expect(message.message).toBe(`Mirra script key ${redactKey(SCRIPT)}. ${hint}`);
    expect(message.message).toMatch(/rotate|revoke/i);
  });

  it('says how an encoded or composed key was written', () => {
    expect(lint(`const k = '${Buffer.from(INSTALL).toString('base64')}';`)[0].message).toContain(`Mirra install key ${redactKey(INSTALL)} (base64-encoded).`);
    expect(lint(`const k = 'mirra\\x5f${UNTYPED_BODY}';`)[0].message).toContain(`Mirra key ${redactKey(UNTYPED)} (written with escape sequences).`);
    expect(lint(`const k = 'mirra_' + '${UNTYPED_BODY}';`)[0].message).toContain(`Mirra key ${redactKey(UNTYPED)}, assembled from string pieces in this expression.`);
  });

  it('uses the configured variable in the hint', () => {
    expect(lint(`const k = '${TEST}';`, { envVar: 'MIRRA_TEST_KEY' })[0].message).toContain('process.env.MIRRA_TEST_KEY');
  });

  it('never shows a full key, whatever the case', () => {
    const all = [...[...jsInvalid(), ...jsxInvalid()].map((c) => ({ ...c, file: 'file.tsx' })), ...tsInvalid().map((c) => ({ ...c, file: 'file.ts' }))];
    let messages = 0;
    for (const c of all) {
      for (const m of lint(c.code, (c.options?.[0] as object | undefined) ?? {}, c.file)) {
        expect(m.ruleId).toBe('mirra/no-hardcoded-api-key');
        messages++;
        for (const key of [SCRIPT, INSTALL, TEST, UNTYPED]) {
          expect(m.message).not.toContain(key);
          for (const s of m.suggestions ?? []) expect(s.desc).not.toContain(key);
        }
      }
    }
    expect(messages).toBeGreaterThan(40);
  });

  it('does not visit any node of a file with no trace of a key', () => {
    // Listeners are only registered after the one look at the source text.
    const listeners = rule.create({
      sourceCode: { text: 'const a = 1;\n'.repeat(1000) },
      options: [],
    } as never);
    expect(Object.keys(listeners)).toEqual([]);
  });
});
