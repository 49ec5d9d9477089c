// Where a finding was found, in words, from its typed origin: one phrase shared by every format.

import type { Finding } from '../finding.js';

const short = (sha: string | null | undefined): string => (sha ? sha.slice(0, 12) : '?');

/** E.g. `in commit 1a2b3c4d5e6f`, `staged, merged in from commit …`, `in the message of tag v1`; '' for a file on disk. */
export function describeOrigin(f: Pick<Finding, 'origin' | 'commit' | 'mergedCommit' | 'tag'>): string {
  switch (f.origin) {
    case 'staged':
      return 'staged';
    case 'merge':
      return `staged, merged in from commit ${short(f.mergedCommit)}`;
    case 'commit':
      return `in commit ${short(f.commit)}`;
    case 'push':
      return `in commit ${short(f.commit)}, being pushed`;
    case 'commit-message':
      return f.commit ? `in the message of commit ${short(f.commit)}` : 'in the commit message being written';
    case 'tag-message':
      return `in the message of tag ${f.tag ?? '?'}`;
    case 'stdin':
      return 'on standard input';
    default:
      return '';
  }
}
