// Fake Mirra keys, for tests, fixtures and benchmarks: the right shape, random-looking hex, never
// issued by Mirra. Made at run time (or by the fixture scripts), so that no key-shaped string is
// written into the project's source. One generator for all of them, so a seed means one key.

import { randomBytes } from 'node:crypto';

/** @typedef {'script' | 'install' | 'test' | 'untyped'} KeyType */

/** @type {Record<KeyType, string>} */
export const KEY_PREFIX = { script: 'mirra_script_', install: 'mirra_install_', test: 'mirra_test_', untyped: 'mirra_' };

/**
 * A fake key of the given type and total length (64 to 128): random, or from a xorshift generator
 * when a seed is given (the same seed always gives the same key).
 * @param {KeyType} [type]
 * @param {number} [length]
 * @param {number} [seed]
 * @returns {string}
 */
export function fakeKey(type = 'untyped', length = 70, seed) {
  const prefix = KEY_PREFIX[type];
  const bodyLength = length - prefix.length;
  let body = '';
  if (seed === undefined) {
    body = randomBytes(bodyLength).toString('hex').slice(0, bodyLength);
  } else {
    let x = seed >>> 0 || 1;
    for (let i = 0; i < bodyLength; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      body += (x & 15).toString(16);
    }
  }
  // Never let a body look like a placeholder (a run of one pattern, or the docs' example).
  if (/^(.{1,8})\1+$/.test(body) || body.startsWith('a1b2c3d4e5f6')) body = 'e' + body.slice(1).replace(/^(.)/, '7');
  return prefix + body;
}
