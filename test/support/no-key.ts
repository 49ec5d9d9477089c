// The check every leak attack ends with: no part of the key long enough to matter is in the text.

import { expect } from 'vitest';

/** The key's body (after its prefix) must not appear, not even its first or last 16 characters. */
export function expectNoKey(text: string, key: string, where = 'output'): void {
  const body = key.replace(/^mirra_(?:script_|install_|test_)?/, '');
  for (const part of [body.slice(0, 16), body.slice(-16)]) {
    expect(text.includes(part), `${where} holds part of the key: ${JSON.stringify(text.slice(0, 400))}`).toBe(false);
  }
}
