// What a pre-receive hook prints: git shows each line of it to the pusher after `remote: `. So:
// plain ASCII, no colour or terminal control, short lines, each finding's commit, file and line,
// the key redacted, and what to do. The full hint of each finding is in `--format json`.

import type { Finding, ScanResult } from '../finding.js';
import { buildHint } from '../hints/index.js';
import { printable } from './text.js';

export interface RemoteReportOptions {
  envVar: string;
  /** The server honours `git push -o mirra-scan.allow=<keySha256>`. */
  breakGlass: boolean;
  /** The server honours `mirra-scan:allow` comments in the pushed content. */
  inlineAllow: boolean;
}

function where(f: Finding): string {
  const commit = f.commit ? `commit ${f.commit.slice(0, 12)}  ` : '';
  return `${commit}${printable(f.file)}:${f.line}:${f.column}`;
}

export function renderRemote(result: ScanResult, options: RemoteReportOptions): string {
  const out: string[] = [];
  const n = result.findings.length;
  if (n === 0) {
    for (const e of result.errors) out.push(`mirra-scan: skipped ${printable(e.file)}: ${printable(e.message)}`);
    out.push(`mirra-scan: no Mirra API keys in this push (${result.stats.files} files, ${result.stats.durationMs} ms)`);
    return out.join('\n') + '\n';
  }
  out.push(`mirra-scan: push rejected: ${n} Mirra API key${n === 1 ? '' : 's'} in what this push adds.`, '');
  for (const f of result.findings) {
    const encoded = f.encoding === 'plain' ? '' : `, written as ${f.encoding}`;
    out.push(`  ${where(f)}`);
    out.push(`    ${f.redacted} (${f.keyType} key${encoded})  keySha256 ${f.keySha256}`);
    if (f.author || f.date) out.push(`    added by ${printable(f.author ?? '?')} on ${f.date ?? '?'}`);
    out.push(`    ${printable(buildHint(f, { envVar: options.envVar, short: true }))}`);
  }
  for (const e of result.errors) out.push(`  skipped ${printable(e.file)}: ${printable(e.message)}`);
  out.push(
    '',
    'Nothing of this push was stored. What to do:',
    '  1. Take each key out of the commit that added it, then push again. A key added and removed',
    '     within the push is still in its history: rewrite that commit (`git rebase -i <commit>^`,',
    `     mark it \`edit\`), or for the last commit \`git commit --amend\`. Read it from ${options.envVar}.`,
    '  2. Rotate the key: it has left your machine. Revoke it and make a new one at',
    '     store.getmirra.app/developer/api-keys (a script key: publish a new script version).',
    `  3. Not a real key? ${options.inlineAllow ? 'Mark its line `mirra-scan:allow`, or ask' : 'Ask'} the server admin to allow its keySha256.`,
  );
  if (options.breakGlass) {
    out.push('  Emergency only: `git push -o mirra-scan.allow=<keySha256> ...` lets a key through; it is logged.');
  }
  return out.join('\n') + '\n';
}
