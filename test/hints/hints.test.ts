// The hint builder: every place, key type and status, full and short.

import { describe, expect, it } from 'vitest';
import type { FindingPlace, FindingSource, KeyType, VerificationStatus } from '../../src/finding.js';
import { API_KEYS_PAGE, SCRIPTS_PAGE, buildHint, placeOf, type HintInput } from '../../src/hints/index.js';

const PLACES: FindingPlace[] = ['working-tree', 'staged', 'unpushed', 'pushed'];
const TYPES: KeyType[] = ['script', 'install', 'test', 'untyped'];
const STATUSES: VerificationStatus[] = ['unchecked', 'live', 'invalid', 'unknown'];
const SHA = '0123456789abcdef0123456789abcdef01234567';
const SOURCE_OF: Record<FindingPlace, FindingSource> = { 'working-tree': 'file', staged: 'staged', unpushed: 'commit', pushed: 'commit' };

function input(place: FindingPlace | undefined, keyType: KeyType, status: VerificationStatus, extra: Partial<HintInput> = {}): HintInput {
  return {
    keyType,
    place,
    source: place ? SOURCE_OF[place] : 'file',
    verification: { status },
    file: 'src/config.ts',
    commit: place === 'unpushed' || place === 'pushed' ? SHA : null,
    ...extra,
  };
}

const matrix = PLACES.flatMap((place) => TYPES.flatMap((type) => STATUSES.map((status) => [place, type, status] as const)));

describe('buildHint (full)', () => {
  it.each(matrix)('%s / %s / %s: fits the place, the key type and the status', (place, type, status) => {
    const hint = buildHint(input(place, type, status));
    expect(hint).not.toContain('\n');
    expect(hint).toContain('process.env.MIRRA_API_KEY');

    // where it was found
    switch (place) {
      case 'working-tree':
        expect(hint).toContain('Take it out of src/config.ts');
        expect(hint).not.toMatch(/filter-repo|rebase/);
        break;
      case 'staged':
        expect(hint).toContain('staged but was never committed');
        expect(hint).toContain('`git add src/config.ts`');
        expect(hint).not.toMatch(/filter-repo|rebase/);
        break;
      case 'unpushed':
        expect(hint).toContain('not been pushed');
        expect(hint).toContain('`git rebase -i 0123456789ab^`');
        expect(hint).toContain('`git reset --soft HEAD~1`');
        expect(hint).not.toContain('filter-repo');
        break;
      case 'pushed':
        expect(hint).toContain('pushed history (commit 0123456789ab)');
        expect(hint).toContain('`git filter-repo --replace-text <replacements-file>`');
        expect(hint).toMatch(/paste it yourself: mirra-scan never writes keys/);
        expect(hint).toContain('force-push');
        expect(hint).toContain('re-clone');
        break;
    }

    // the key type
    if (type === 'script') {
      expect(hint).toContain(SCRIPTS_PAGE);
      expect(hint).toMatch(/new version of the script/);
      expect(hint).not.toContain('revoke it and generate');
    } else {
      expect(hint).toContain(API_KEYS_PAGE);
      expect(hint).toContain('Settings → Developer');
      expect(hint).not.toContain(SCRIPTS_PAGE);
    }

    // the status
    switch (status) {
      case 'live':
        expect(hint).toMatch(/^URGENT: this key is live/);
        break;
      case 'invalid':
        expect(hint).toMatch(/^This key is already dead/);
        expect(hint).toContain('remove it anyway');
        expect(hint).toContain('nothing to revoke');
        expect(hint).not.toContain('URGENT');
        break;
      case 'unknown':
        expect(hint).toMatch(/^Whether this key works could not be checked.*treat it as live/);
        break;
      case 'unchecked':
        expect(hint).toMatch(/^Treat this key as live \(not checked; `--verify`/);
        break;
    }

    // abuse: the last-used time matters unless the key is dead and never left the machine
    if (status !== 'invalid' || place === 'pushed') expect(hint).toContain('last-used time on the Developer page');
    else expect(hint).not.toContain('last-used');
  });

  it('a pushed key is rotated before history is cleaned; an unpushed one after', () => {
    const pushed = buildHint(input('pushed', 'untyped', 'live'));
    expect(pushed.indexOf('Rotate it now')).toBeLessThan(pushed.indexOf('filter-repo'));
    const unpushed = buildHint(input('unpushed', 'untyped', 'live'));
    expect(unpushed.indexOf('git rebase -i')).toBeLessThan(unpushed.indexOf('rotate it without delay'));
    expect(buildHint(input('unpushed', 'untyped', 'unchecked'))).toContain('Then rotate it:');
  });

  it('a key not known to be shared is rotated only if it was', () => {
    for (const place of ['working-tree', 'staged'] as const) {
      expect(buildHint(input(place, 'install', 'unchecked'))).toContain('If it was ever committed, shared or pushed, rotate it:');
      expect(buildHint(input(place, 'install', 'live'))).toContain('If it was ever committed, shared or pushed, rotate it now:');
    }
  });

  it('without a place, the source decides: file, staged, commit (pushed)', () => {
    expect(placeOf({ place: undefined, source: 'file' })).toBe('working-tree');
    expect(placeOf({ place: undefined, source: 'staged' })).toBe('staged');
    expect(placeOf({ place: undefined, source: 'commit' })).toBe('pushed');
    expect(placeOf({ place: 'unpushed', source: 'commit' })).toBe('unpushed');
    expect(buildHint({ ...input(undefined, 'untyped', 'unchecked'), source: 'commit', commit: SHA })).toBe(buildHint(input('pushed', 'untyped', 'unchecked')));
    expect(buildHint({ ...input(undefined, 'untyped', 'unchecked'), source: 'staged' })).toBe(buildHint(input('staged', 'untyped', 'unchecked')));
    expect(buildHint({ ...input(undefined, 'untyped', 'unchecked'), source: 'file' })).toBe(buildHint(input('working-tree', 'untyped', 'unchecked')));
  });

  it('uses the env var it is given', () => {
    const hint = buildHint(input('staged', 'test', 'live'), { envVar: 'MY_APP_MIRRA_KEY' });
    expect(hint).toContain('process.env.MY_APP_MIRRA_KEY');
    expect(hint).not.toContain('MIRRA_API_KEY');
  });

  it('quotes a file name for the shell where the command needs it', () => {
    const hint = buildHint(input('staged', 'untyped', 'unchecked', { file: "config/it's mine.ts" }));
    expect(hint).toContain(`\`git add 'config/it'\\''s mine.ts'\``);
  });

  it('an unpushed finding without a commit says <commit>', () => {
    const hint = buildHint(input('unpushed', 'untyped', 'unchecked', { commit: null }));
    expect(hint).toContain('`git rebase -i <commit>^`');
  });

  it('a missing verification counts as unchecked', () => {
    const f = input('working-tree', 'untyped', 'unchecked');
    const without = { ...f, verification: undefined } as unknown as HintInput;
    expect(buildHint(without)).toBe(buildHint(f));
  });
});

describe('buildHint (short, for the ESLint message)', () => {
  it.each(matrix)('%s / %s / %s: one sentence that still fits', (place, type, status) => {
    const hint = buildHint(input(place, type, status), { short: true });
    expect(hint).toMatch(/\.$/);
    expect(hint.slice(0, -1)).not.toMatch(/[.!?]\s/); // one sentence (dots in host names are fine)
    expect(hint).not.toContain('\n');
    expect(hint.length).toBeLessThanOrEqual(220);

    expect(hint).toMatch(
      { live: /^Live Mirra key: /, invalid: /^Dead Mirra key \(the API rejects it\): nothing to revoke, but remove it anyway/, unknown: /^Mirra key \(status unknown\): /, unchecked: /^Hard-coded Mirra key: / }[status],
    );
    if (status !== 'invalid') expect(hint).toContain(type === 'script' ? SCRIPTS_PAGE : API_KEYS_PAGE);
    if (status === 'live' || (status !== 'invalid' && place === 'pushed')) {
      expect(hint).toMatch(type === 'script' ? /replace it now with a new script version/ : /revoke it now/);
    }
    const where = {
      'working-tree': 'use process.env.MIRRA_API_KEY instead',
      staged: 'take it out of the staged change',
      unpushed: '`git rebase -i 0123456789ab^`',
      pushed: '`git filter-repo --replace-text`',
    }[place];
    expect(hint).toContain(where);
  });

  it('the ESLint case (a file in the working tree, unchecked) reads naturally', () => {
    expect(buildHint(input('working-tree', 'untyped', 'unchecked'), { short: true })).toBe(
      `Hard-coded Mirra key: use process.env.MIRRA_API_KEY instead, and rotate it if it was ever shared (${API_KEYS_PAGE}).`,
    );
  });
});

describe('hints for keys in commit and tag messages', () => {
  const base = { keyType: 'untyped' as const, source: 'commit' as const, verification: { status: 'unchecked' as const } };

  it('an unpushed commit message: reword it', () => {
    const hint = buildHint({ ...base, place: 'unpushed', origin: 'commit-message', file: '(commit message)', commit: 'abcdef1234567890' });
    expect(hint).toContain('`git rebase -i abcdef123456^`, mark it `reword`');
    expect(hint).not.toContain('process.env');
  });

  it('a pushed commit message: rewrite the messages in history', () => {
    const hint = buildHint({ ...base, place: 'pushed', origin: 'commit-message', file: '(commit message)', commit: 'abcdef1234567890' });
    expect(hint).toContain('git filter-repo --replace-message');
    expect(hint).toMatch(/^Treat this key as live/);
  });

  it('a tag message: delete and re-create the tag', () => {
    const hint = buildHint({ ...base, place: 'pushed', origin: 'tag-message', tag: 'v1.2', file: '(tag message v1.2)', commit: 'abcdef1234567890' });
    expect(hint).toContain('`git tag -d v1.2`');
    expect(hint).toContain('`git push origin :refs/tags/v1.2`');
  });
});
