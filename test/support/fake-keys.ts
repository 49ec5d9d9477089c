// Fake Mirra keys for tests, made at run time so that no key-shaped string is written in the source.
// They have the right shape and pass every placeholder filter; none was ever issued by Mirra.

import { randomBytes } from 'node:crypto';
import type { KeyType } from '../../src/finding.js';

const PREFIX: Record<KeyType, string> = {
  script: 'mirra_script_',
  install: 'mirra_install_',
  test: 'mirra_test_',
  untyped: 'mirra_',
};

/** A fake key of the given type and total length (64 to 128); random unless a seed is given. */
export function fakeKey(type: KeyType = 'untyped', length = 70, seed?: number): string {
  const prefix = PREFIX[type];
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
  // Never let a random body look like a placeholder (a run of one pattern or the docs' example).
  if (/^(.{1,8})\1+$/.test(body) || body.startsWith('a1b2c3d4e5f6')) body = 'e' + body.slice(1).replace(/^(.)/, '7');
  return prefix + body;
}
