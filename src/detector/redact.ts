// The one way a key is shown: its prefix, the first and last four characters of its body.

import { createHash } from 'node:crypto';
import { KEY_PREFIX, TYPED_PREFIXES } from './key-format.js';

export function redactKey(key: string): string {
  const prefix = TYPED_PREFIXES.find((t) => key.startsWith(t.prefix))?.prefix ?? KEY_PREFIX;
  const body = key.slice(prefix.length);
  if (body.length <= 8) return prefix + '…';
  return `${prefix}${body.slice(0, 4)}…${body.slice(-4)}`;
}

/** Recognises a key without storing it: baselines, allow lists and caches hold only this. */
export function keySha256(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Masks everything that could be a key in free text (an error message, a path someone typed): wider
 * than the detector on purpose, since a message that shows too little costs nothing.
 */
const KEY_SHAPED = /mirra_[0-9A-Za-z_]{6,}/g;

export function maskKeyShaped(text: string): string {
  return text.replace(KEY_SHAPED, (k) => redactKey(k));
}
