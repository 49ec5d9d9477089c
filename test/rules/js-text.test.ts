// Reading string and template bodies as the engine does, with each character's source span: the
// JavaScript engine itself is the oracle (the body is evaluated as a literal).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cook, templateTextOf, templateTextOfStringBody } from '../../rules/util/js-text.js';

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** One piece of a literal's body, as written. */
const piece = (kind: 'string' | 'template') =>
  fc.oneof(
    // Any character but the literal's own delimiter (and, in a template, the start of a substitution).
    kind === 'string' ? fc.constantFrom('a', 'Z', '0', '_', ' ', '"', '`', '$', '{', 'é', '😀') : fc.constantFrom('a', 'Z', '0', '_', ' ', '"', "'", '{', 'é', '😀'),
    fc.integer({ min: 0, max: 0xff }).map((n) => `\\x${hex(n, 2)}`),
    fc.integer({ min: 0, max: 0xffff }).filter((n) => n < 0xd800 || n > 0xdfff).map((n) => `\\u${hex(n, 4)}`),
    fc.integer({ min: 0, max: 0x10ffff }).filter((n) => n < 0xd800 || n > 0xdfff).map((n) => `\\u{${n.toString(16)}}`),
    fc.constantFrom('\\n', '\\t', '\\r', '\\b', '\\f', '\\v', '\\0', '\\\\', "\\'", '\\"', '\\`', '\\$', '\\a', '\\\n', '\\\r\n'),
    ...(kind === 'string' ? [fc.constantFrom('\\1', '\\12', '\\123', '\\377', '\\400', '\\8', '\\9', '\\07')] : [fc.constantFrom('\r\n', '\n', '\r')]),
  );

const body = (kind: 'string' | 'template') => fc.array(piece(kind), { maxLength: 12 }).map((ps) => ps.join(''));

function checkSpans(raw: string, mapped: NonNullable<ReturnType<typeof cook>>) {
  expect(mapped.starts.length).toBe(mapped.text.length);
  expect(mapped.ends.length).toBe(mapped.text.length);
  for (let i = 0; i < mapped.text.length; i++) {
    expect(mapped.starts[i]).toBeGreaterThanOrEqual(0);
    expect(mapped.ends[i]).toBeLessThanOrEqual(raw.length);
    expect(mapped.starts[i]).toBeLessThan(mapped.ends[i]);
    if (i > 0) expect(mapped.starts[i]).toBeGreaterThanOrEqual(mapped.starts[i - 1]);
  }
}

describe('cook', () => {
  it("reads a string literal's body as the engine does", () => {
    fc.assert(
      fc.property(body('string'), (raw) => {
        // Sloppy mode, where legacy octal escapes are allowed.
        const value = new Function(`return '${raw}';`)() as string;
        const mapped = cook(raw, 0, raw.length, 'string');
        expect(mapped?.text).toBe(value);
        checkSpans(raw, mapped!);
      }),
      { numRuns: 500 },
    );
  });

  it("reads a template's cooked text as the engine does", () => {
    fc.assert(
      fc.property(body('template'), (raw) => {
        let value: string | null = null;
        try {
          value = new Function(`return \`${raw}\`;`)() as string;
        } catch {
          // `\0` before a digit is an error in a template: cook must decline it too.
        }
        const mapped = cook(raw, 0, raw.length, 'template');
        expect(mapped?.text ?? null).toBe(value);
        if (mapped) checkSpans(raw, mapped);
      }),
      { numRuns: 500 },
    );
  });

  it('maps each character to its spelling', () => {
    const raw = 'a\\x5fb\\u{1F600}c\\\nd';
    const mapped = cook(raw, 0, raw.length, 'string')!;
    expect(mapped.text).toBe('a_b😀cd');
    const spelled = Array.from({ length: mapped.text.length }, (_, i) => raw.slice(mapped.starts[i], mapped.ends[i]));
    expect(spelled).toEqual(['a', '\\x5f', 'b', '\\u{1F600}', '\\u{1F600}', 'c', 'd']);
  });

  it('rejects what the engine rejects', () => {
    expect(cook('\\x4', 0, 3, 'string')).toBeNull();
    expect(cook('\\u12', 0, 4, 'string')).toBeNull();
    expect(cook('\\1', 0, 2, 'template')).toBeNull();
  });
});

describe('writing text back as a template', () => {
  it('templateTextOf(value) evaluates to value', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (value) => {
        expect(new Function(`return \`${templateTextOf(value)}\`;`)()).toBe(value);
      }),
      { numRuns: 500 },
    );
  });

  it("templateTextOfStringBody(raw) keeps a string literal's value, or declines", () => {
    fc.assert(
      fc.property(body('string'), (raw) => {
        const text = templateTextOfStringBody(raw);
        if (text === null) {
          expect(raw).toMatch(/\\[1-9]|\\0\d/);
          return;
        }
        expect(new Function(`return \`${text}\`;`)()).toBe(new Function(`return '${raw}';`)());
      }),
      { numRuns: 500 },
    );
  });
});
