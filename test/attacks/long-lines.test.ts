// Attack: thousands of keys on one long line (a minified bundle, a JSON array on one line). Locating
// each key measured its column from the start of the line, and masked its snippet against every
// other key: time grew with the square of the keys. Now the work (characters looked at to locate the
// keys, counted by the detector) grows with the line's length, not with length times keys.

import { beforeEach, describe, expect, it } from 'vitest';
import { DETECTOR_WORK, resetDetectorWork } from '../../src/detector/index.js';
import { findingsOf } from '../../src/fragments/index.js';
import { fakeKey } from '../support/fake-keys.js';

const meta = { file: 'bundle.min.js', source: 'file' as const, commit: null };

function oneLine(n: number): Buffer {
  const keys: string[] = [];
  for (let i = 0; i < n; i++) keys.push(`"${fakeKey('script', 72, i + 1)}"`);
  return Buffer.from(`var k=[${keys.join(',')}];\n`);
}

describe('many keys on one long line', () => {
  beforeEach(() => resetDetectorWork());

  it('locating them costs a small multiple of the line, however many keys it holds', () => {
    for (const n of [250, 900]) {
      const line = oneLine(n);
      resetDetectorWork();
      const found = findingsOf({ ...meta, content: line });
      expect(found).toHaveLength(n);
      // Each key's column, snippet and allow check look at the text near it; the old code looked at the whole line up to it.
      expect(DETECTOR_WORK.charsMeasured).toBeLessThan(line.length * 6);
    }
  });

  it('columns stay exact: each key starts where it is written', () => {
    const line = oneLine(300);
    const text = line.toString('latin1');
    const found = findingsOf({ ...meta, content: line });
    let at = 0;
    for (const f of found) {
      at = text.indexOf('mirra_', at);
      expect(f.line).toBe(1);
      expect(f.column).toBe(at + 1);
      at++;
    }
  });
});
