// Checks a loaded config field by field. Every problem is one line naming the file and the field,
// e.g. `config .mirrascanrc.json: allowedKeys[1].keySha256: must be 64 lowercase hex characters`.

import { UsageError } from '../errors.js';
import { assertSafeApiUrl } from '../verify/url.js';
import type { AllowedKey, MirraScanConfig, VerifySettings } from './index.js';

type Fields = Omit<MirraScanConfig, 'filepath'>;

const TOP_FIELDS = ['ignorePaths', 'allowedKeys', 'envVar', 'verify', 'inlineAllow'] as const;
const VERIFY_FIELDS = ['apiUrl', 'timeoutMs', 'concurrency', 'cache'] as const;
const SHA256_HEX = /^[0-9a-f]{64}$/;
// A name, never something that starts like a key (a pasted key would end up in every hint).
const ENV_NAME = /^(?!mirra_)[A-Za-z_][A-Za-z0-9_]*$/;

/** `file` is shown in messages; `prefix` is put before field names (`mirraScan` inside package.json). */
export function validateConfig(raw: unknown, file: string, prefix = ''): Fields {
  const fail = (field: string, problem: string): never => {
    const name = prefix && field ? `${prefix}.${field}` : prefix || field;
    throw new UsageError(`config ${file}: ${name ? `${name}: ` : ''}${problem}`);
  };
  if (!isPlainObject(raw)) fail('', `must be an object, not ${describe(raw)}`);
  const obj = raw as Record<string, unknown>;
  unknownFields(obj, TOP_FIELDS, '', fail);

  const out: Fields = { ignorePaths: [], allowedKeys: [], envVar: 'MIRRA_API_KEY', verify: {}, inlineAllow: true };

  if (obj.ignorePaths !== undefined) {
    if (!Array.isArray(obj.ignorePaths)) fail('ignorePaths', `must be a list of paths, not ${describe(obj.ignorePaths)}`);
    (obj.ignorePaths as unknown[]).forEach((p, i) => {
      if (typeof p !== 'string' || !p.trim()) fail(`ignorePaths[${i}]`, `must be a non-empty string, not ${describe(p)}`);
    });
    out.ignorePaths = [...(obj.ignorePaths as string[])];
  }

  if (obj.allowedKeys !== undefined) {
    if (!Array.isArray(obj.allowedKeys)) fail('allowedKeys', `must be a list of { keySha256, reason }, not ${describe(obj.allowedKeys)}`);
    out.allowedKeys = (obj.allowedKeys as unknown[]).map((entry, i): AllowedKey => {
      const at = `allowedKeys[${i}]`;
      if (!isPlainObject(entry)) fail(at, `must be an object { keySha256, reason }, not ${describe(entry)}`);
      const e = entry as Record<string, unknown>;
      unknownFields(e, ['keySha256', 'reason'], at + '.', fail);
      if (e.keySha256 === undefined) fail(`${at}.keySha256`, 'is missing (the SHA-256 of the key, as the JSON report prints it)');
      if (typeof e.keySha256 !== 'string' || !SHA256_HEX.test(e.keySha256)) {
        const hint = typeof e.keySha256 === 'string' && e.keySha256.startsWith('mirra_') ? ' (write the key\'s SHA-256, never the key itself)' : '';
        fail(`${at}.keySha256`, `must be 64 lowercase hex characters${hint}`);
      }
      if (typeof e.reason !== 'string' || !e.reason.trim()) fail(`${at}.reason`, 'is required: say why this key may stay');
      return { keySha256: e.keySha256 as string, reason: (e.reason as string).trim() };
    });
  }

  if (obj.envVar !== undefined) {
    if (typeof obj.envVar !== 'string' || !ENV_NAME.test(obj.envVar)) fail('envVar', `must be an environment variable name like MIRRA_API_KEY, not ${describe(obj.envVar)}`);
    out.envVar = obj.envVar as string;
  }

  if (obj.verify !== undefined) {
    if (!isPlainObject(obj.verify)) fail('verify', `must be an object, not ${describe(obj.verify)}`);
    const v = obj.verify as Record<string, unknown>;
    unknownFields(v, VERIFY_FIELDS, 'verify.', fail);
    const verify: VerifySettings = {};
    if (v.apiUrl !== undefined) {
      if (typeof v.apiUrl !== 'string') fail('verify.apiUrl', `must be a URL, not ${describe(v.apiUrl)}`);
      try {
        assertSafeApiUrl(v.apiUrl as string, 'it');
      } catch (e) {
        fail('verify.apiUrl', (e as Error).message.replace(/^it /, ''));
      }
      verify.apiUrl = v.apiUrl as string;
    }
    for (const field of ['timeoutMs', 'concurrency'] as const) {
      const n = v[field];
      if (n === undefined) continue;
      if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) fail(`verify.${field}`, `must be a positive whole number, not ${describe(n)}`);
      verify[field] = n as number;
    }
    if (v.cache !== undefined) {
      if (typeof v.cache !== 'boolean') fail('verify.cache', `must be true or false, not ${describe(v.cache)}`);
      verify.cache = v.cache as boolean;
    }
    out.verify = verify;
  }

  if (obj.inlineAllow !== undefined) {
    if (typeof obj.inlineAllow !== 'boolean') fail('inlineAllow', `must be true or false, not ${describe(obj.inlineAllow)}`);
    out.inlineAllow = obj.inlineAllow as boolean;
  }
  return out;
}

function unknownFields(obj: Record<string, unknown>, known: readonly string[], at: string, fail: (field: string, problem: string) => never): void {
  for (const key of Object.keys(obj)) {
    if (known.includes(key)) continue;
    const near = known.find((k) => k.toLowerCase() === key.toLowerCase() || editDistance(k.toLowerCase(), key.toLowerCase()) <= 2);
    fail(at + key, `unknown field${near ? ` (did you mean ${near}?)` : ''}; known fields: ${known.join(', ')}`);
  }
}

function isPlainObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return v.length > 40 ? 'a long string' : JSON.stringify(v);
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}
