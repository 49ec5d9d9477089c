// `--format github`: workflow commands with the runner's escaping rules.

import { describe, expect, it } from 'vitest';
import { SECRET, type Finding, type ScanResult } from '../../src/finding.js';
import { escapeData, escapeProperty, renderGithub } from '../../src/report/github.js';
import { render } from '../../src/report/index.js';

function finding(over: Partial<Finding>): Finding {
  return {
    ruleId: 'mirra-api-key',
    keyType: 'script',
    file: 'src/a.js',
    line: 3,
    column: 5,
    endLine: 3,
    endColumn: 85,
    source: 'commit',
    origin: 'commit',
    commit: 'c'.repeat(40),
    encoding: 'plain',
    redacted: 'mirra_script_ab12…cd34',
    keySha256: 'f'.repeat(64),
    verification: { status: 'unchecked' },
    hint: 'Revoke it.\nThen rotate: 100% needed.',
    author: 'Ada <ada@example.test>',
    date: '2024-01-02T03:00:00Z',
    [SECRET]: 'not-a-real-key',
    ...over,
  };
}

describe('github workflow commands', () => {
  it('escapes data and properties as the runner reads them', () => {
    expect(escapeData('50%\r\nnext: a,b')).toBe('50%25%0D%0Anext: a,b');
    expect(escapeProperty('dir:x/a,b%.js\n')).toBe('dir%3Ax/a%2Cb%25.js%0A');
  });

  it('prints one ::error per finding with its place, and ::warning per skipped file', () => {
    const result: ScanResult = {
      findings: [finding({ file: 'odd,name:1.js' })],
      errors: [{ file: 'big.bin', message: 'too big' }],
      stats: { files: 2, bytes: 10, skipped: 1, durationMs: 1 },
    };
    const out = renderGithub(result, {}).split('\n');
    expect(out[0]).toBe(
      '::error file=odd%2Cname%3A1.js,line=3,col=5,endLine=3,endColumn=85,title=Mirra API key (script)::Mirra script key mirra_script_ab12…cd34. Added in commit cccccccccccc by Ada <ada@example.test> on 2024-01-02T03:00:00Z. Revoke it.%0AThen rotate: 100%25 needed. (keySha256 ' +
        'f'.repeat(64) +
        ')',
    );
    expect(out[1]).toBe('::warning file=big.bin,title=mirra-scan skipped a file::too big');
    expect(out[2]).toBe('mirra-scan: 1 Mirra key found');
  });

  it('is registered as the github format and keeps the key out unless revealed', () => {
    const result: ScanResult = { findings: [finding({})], errors: [], stats: { files: 1, bytes: 1, skipped: 0, durationMs: 1 } };
    expect(render(result, 'github', {})).not.toContain('not-a-real-key');
    expect(render(result, 'github', { reveal: true })).toContain('not-a-real-key');
  });
});
