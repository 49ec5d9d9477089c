// The one way a key is shown: its prefix, the first and last four characters of its body.

import { KEY_PREFIX, TYPED_PREFIXES } from './key-format.js';

export function redactKey(key: string): string {
  const prefix = TYPED_PREFIXES.find((t) => key.startsWith(t.prefix))?.prefix ?? KEY_PREFIX;
  const body = key.slice(prefix.length);
  if (body.length <= 8) return prefix + '…';
  return `${prefix}${body.slice(0, 4)}…${body.slice(-4)}`;
}

/** Recognises a key without storing it: baselines, allow lists and caches hold only this. */
export function keySha256(key: string): string {
  // Node's crypto module is loaded on the first key, not at start-up: a clean commit's hook never
  // needs it, and it costs milliseconds to load.
  const { createHash } = process.getBuiltinModule('node:crypto');
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Masks everything that could be a key in free text (an error message, a path someone typed, a
 * name in a commit): wider than the detector on purpose, since text that shows too little costs
 * nothing. `mirra_` in any case, an optional typed prefix, then a body of more than 8 word
 * characters with a digit in it: a key glued into a word (`cfg_mirra_script_<hex>`) or cut short is
 * masked, while names such as `mirra_client` or `MIRRA_API_KEY_STAGING` (no digit) and an already
 * redacted key (4 characters, then `…`) stay as they are, so masking twice changes nothing.
 */
const KEY_SHAPED = /(mirra_(?:script_|install_|test_)?)([0-9A-Za-z_]+)/gi;

export function maskKeyShaped(text: string): string {
  if (!/mirra_/i.test(text)) return text;
  return text.replace(KEY_SHAPED, (whole: string, prefix: string, body: string) =>
    body.length > 8 && /[0-9]/.test(body) ? `${prefix}${body.slice(0, 4)}…${body.slice(-4)}` : whole,
  );
}
