// The rule's options, checked by the rule itself. ESLint's own schema check prints every value it
// refuses (`Value "mirra_…" should match pattern …`, in ESLint 8, 9 and 10 alike), so a key pasted
// into an option would be echoed in full: the schema below accepts anything and only documents the
// options; `checkOptions` says what is wrong without ever quoting a value that could be a key.

import { keySha256, maskSecrets } from '../../src/detector/index.js';

export interface RuleOptions {
  /** The environment variable the suggestion reads the key from. */
  envVar?: string;
  /** Report `mirra_test_` keys too. */
  reportTestKeys?: boolean;
  /** `keySha256` values of keys that may stay in the code (e.g. a revoked key kept in a test). */
  allowedKeySha256?: string[];
}

/** A JSON schema no value can fail (so ESLint never prints one); it lists the options for editors and docs. */
export const OPTIONS_SCHEMA = {
  type: 'array',
  items: [
    {
      description: 'Options of mirra/no-hardcoded-api-key (checked by the rule, which never echoes a value)',
      properties: {
        envVar: { description: 'the environment variable the suggestion reads the key from' },
        reportTestKeys: { description: 'report mirra_test_ keys too (default true)' },
        allowedKeySha256: { description: 'keySha256 values (64 hex digits) of keys that may stay in the code' },
      },
    },
  ],
} as const;

export const OPTION_NAMES = Object.keys(OPTIONS_SCHEMA.items[0].properties);

const SHA256 = /^[0-9a-fA-F]{64}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The options that can be used, and one sentence per problem (no value quoted, names masked). */
export function checkOptions(all: readonly unknown[]): { options: RuleOptions; problems: string[] } {
  const options: RuleOptions = {};
  const problems: string[] = all.length > 1 ? ['the rule takes one options object; the others are ignored'] : [];
  const raw = all[0];
  if (raw === undefined) return { options, problems };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { options, problems: [...problems, 'the options must be an object ({ envVar, reportTestKeys, allowedKeySha256 })'] };
  }
  const given = raw as Record<string, unknown>;
  for (const name of Object.keys(given)) {
    if (!OPTION_NAMES.includes(name)) problems.push(`unknown option "${maskSecrets(name)}" (known: ${OPTION_NAMES.join(', ')})`);
  }
  const { envVar, reportTestKeys, allowedKeySha256 } = given;
  if (envVar !== undefined) {
    if (typeof envVar === 'string' && ENV_NAME.test(envVar) && maskSecrets(envVar) === envVar && !envVar.startsWith('mirra_')) options.envVar = envVar;
    else problems.push('envVar must be the name of an environment variable (letters, digits and _, not starting with mirra_)');
  }
  if (reportTestKeys !== undefined) {
    if (typeof reportTestKeys === 'boolean') options.reportTestKeys = reportTestKeys;
    else problems.push('reportTestKeys must be true or false');
  }
  if (allowedKeySha256 !== undefined) {
    if (!Array.isArray(allowedKeySha256)) {
      problems.push('allowedKeySha256 must be a list of keySha256 values (64 hex digits each)');
    } else {
      options.allowedKeySha256 = [];
      allowedKeySha256.forEach((entry: unknown, i) => {
        if (typeof entry === 'string' && SHA256.test(entry)) options.allowedKeySha256!.push(entry);
        else if (typeof entry === 'string' && maskSecrets(entry) !== entry) {
          // Someone pasted the key itself: say what to write instead, and that the key has leaked.
          problems.push(`allowedKeySha256[${i}] is a key, not its SHA-256: write ${keySha256(entry.trim())} there instead, and rotate the key (it is in your ESLint config)`);
        } else problems.push(`allowedKeySha256[${i}] must be a keySha256 value (64 hex digits)`);
      });
    }
  }
  return { options, problems };
}
