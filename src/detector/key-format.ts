// What a Mirra key looks like (see the README's "What counts as a key").

import type { KeyType } from '../finding.js';

export const KEY_PREFIX = 'mirra_';
export const MIN_KEY_LENGTH = 64;
export const MAX_KEY_LENGTH = 128;

/** Typed prefixes, tried before the untyped `mirra_` + hex. */
export const TYPED_PREFIXES: ReadonlyArray<{ prefix: string; keyType: KeyType }> = [
  { prefix: 'mirra_script_', keyType: 'script' },
  { prefix: 'mirra_install_', keyType: 'install' },
  { prefix: 'mirra_test_', keyType: 'test' },
];

/** The longest text an encoded key can take: every character written as `\u00XX` (6 chars). */
export const MAX_ENCODED_KEY_LENGTH = MAX_KEY_LENGTH * 6;

export function isHexCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** A character that would make the text around a key part of one longer word or identifier. */
export function isWordCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
