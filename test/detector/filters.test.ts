// Every filter's own examples, run: each `stops` example is rejected by exactly that filter (and
// nothing is found), each `keeps` example passes it (and is found as a key). The examples are the
// filters' documentation; docs/detector.md must describe every filter by name.

import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectKeys, KEY_FILTERS, type Rejection } from '../../src/detector/index.js';

const cases = KEY_FILTERS.flatMap((f) => [
  ...f.examples.stops.map((example) => ({ filter: f.name, kind: 'stops' as const, example })),
  ...f.examples.keeps.map((example) => ({ filter: f.name, kind: 'keeps' as const, example })),
]);

describe('KEY_FILTERS', () => {
  it('each filter has a unique name, a reason and examples of both kinds', () => {
    const names = KEY_FILTERS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const f of KEY_FILTERS) {
      expect(f.reason.length, f.name).toBeGreaterThan(20);
      expect(f.examples.stops.length, f.name).toBeGreaterThan(0);
      expect(f.examples.keeps.length, f.name).toBeGreaterThan(0);
    }
  });

  it.each(cases.filter((c) => c.kind === 'stops'))('$filter stops $example', ({ filter, example }) => {
    const rejections: Rejection[] = [];
    expect(detectKeys(example, { rejections })).toEqual([]);
    expect(rejections).toEqual([{ start: example.search(/mirra/i), filter }]);
  });

  it.each(cases.filter((c) => c.kind === 'keeps'))('$filter keeps $example', ({ filter, example }) => {
    const rejections: Rejection[] = [];
    const found = detectKeys(example, { rejections });
    expect(rejections.map((r) => r.filter)).not.toContain(filter);
    // Every keep example is a whole key in some context: it is found, once, where it is written.
    expect(found).toHaveLength(1);
    expect(found[0].start).toBe(example.search(/mirra/i));
    // The key is given in lower case, however it was written.
    expect(example.slice(found[0].start, found[0].end).toLowerCase()).toBe(found[0].key);
  });

  it('docs/detector.md describes every filter by name', () => {
    const doc = fs.readFileSync(new URL('../../docs/detector.md', import.meta.url), 'utf8');
    for (const f of KEY_FILTERS) expect(doc, f.name).toContain(`\`${f.name}\``);
  });
});
