// `mirra-scan pre-receive`: the server-side hook. Git runs it in the receiving repository with one
// `<old> <new> <ref>` line per ref on stdin, before any ref moves; exit 0 accepts the push, anything
// else rejects all of it. It scans what the push brings (src/sources/receive.ts) within a time
// budget, honours the break-glass push option only when the server allows it, and prints for the
// pusher's `remote:` lines (stderr). Every setting comes from the server (src/server/settings.ts).

import { Command, Option } from 'commander';
import { defaultConfig, loadConfig, type MirraScanConfig } from '../../config/index.js';
import { UsageError } from '../../errors.js';
import type { ScanResult } from '../../finding.js';
import { renderRemote } from '../../report/remote.js';
import { appendAudit } from '../../server/audit.js';
import { readPushOptions, readServerSettings, type ServerSettings } from '../../server/settings.js';
import { isDeletion, parseReceiveUpdates, scanReceive, type ReceiveUpdate } from '../../sources/git/receive.js';
import { readStdin } from '../../sources/files/stdin.js';
import { addCommonOptions, type CommonOptions } from '../common-options.js';
import { EXIT_CANNOT_SCAN, EXIT_CLEAN } from '../exit-codes.js';
import { finishRun, runPolicy } from '../run.js';

export interface PreReceiveOptions extends CommonOptions {
  timeout?: string;
  onTimeout?: string;
  allowPushOption?: boolean;
  auditLog?: string;
}

const say = (line: string) => process.stderr.write(`mirra-scan: ${line}\n`);

export function registerPreReceiveCommand(program: Command, run: (action: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('pre-receive')
    .description('server side: scan what a push brings (git\'s pre-receive hook; reads `<old> <new> <ref>` lines on stdin)')
    .option('--timeout <seconds>', 'time budget for the scan (default 60; git config mirrascan.timeout)')
    .addOption(new Option('--on-timeout <action>', 'when the budget runs out: reject the push, or accept it with a warning (git config mirrascan.onTimeout)').choices(['reject', 'accept']))
    .option('--allow-push-option', 'honour `git push -o mirra-scan.allow=<keySha256>` (git config mirrascan.allowPushOption)')
    .option('--audit-log <file>', 'append each break-glass and accepted timeout to this file (git config mirrascan.auditLog)');
  addCommonOptions(cmd).action((options: PreReceiveOptions) => run(() => preReceive(options)));
}

/** The command itself, once its options are parsed (the hook's fast path calls it too: ../hook-fast-path.ts). */
export async function preReceive(options: PreReceiveOptions): Promise<number> {
  const cwd = process.cwd();
  if (process.stdin.isTTY) throw new UsageError('pre-receive runs as a server hook: git gives it `<old> <new> <ref>` lines on stdin');
  // At once, as they do not depend on each other: each git process started in turn adds its
  // start-up to the push. Outside a repository the scan's first git call fails (exit 2).
  const [settings, input] = await Promise.all([readServerSettings(cwd, options), readStdin()]);
  // Only the server's own config file: never one found in, or brought by, the pushed tree.
  const config = settings.configFile ? await loadConfig({ cwd, configPath: settings.configFile }) : defaultConfig();
  const updates = parseReceiveUpdates(input.toString('utf8'));
  return withinBudget(settings, updates, () => receive(cwd, options, settings, config, updates));
}

async function receive(cwd: string, options: PreReceiveOptions, settings: ServerSettings, config: MirraScanConfig, updates: ReceiveUpdate[]): Promise<number> {
  // Only the server's config: ignore files could come with the push itself.
  const policy = runPolicy(config, { ...options, ignoreFiles: false }, cwd);
  const result = await scanReceive({ cwd, updates, policy });
  const refused = breakGlass(result, settings, updates);
  if (refused !== null) return refused;
  return finishRun(result, options, config, policy, (r) =>
    process.stderr.write(renderRemote(r, { envVar: config.envVar, breakGlass: settings.allowPushOption, inlineAllow: options.inlineAllow && config.inlineAllow })),
  );
}

/**
 * `git push -o mirra-scan.allow=<keySha256>`: when the server allows it, the findings of those keys
 * are let through, each one logged (stderr, and the audit file when there is one). When it does not,
 * the option is ignored, and said so. Returns an exit code when the push must be refused outright.
 */
function breakGlass(result: ScanResult, settings: ServerSettings, updates: ReceiveUpdate[]): number | null {
  const asked = readPushOptions(process.env);
  for (const bad of asked.malformed) say(`push option mirra-scan.allow=${bad} ignored: give the finding's keySha256 (64 hex digits)`);
  if (asked.allow.length === 0) return null;
  if (!settings.allowPushOption) {
    say('push option mirra-scan.allow ignored: this server does not allow break-glass pushes (its admin can turn on mirrascan.allowPushOption)');
    return null;
  }
  const allowed = new Set(asked.allow);
  const letThrough = result.findings.filter((f) => allowed.has(f.keySha256));
  if (letThrough.length === 0) return null;
  const refs = updates.map((u) => u.ref);
  if (settings.auditLog) {
    const findings = letThrough.map((f) => ({ keySha256: f.keySha256, redacted: f.redacted, commit: f.commit, file: f.file, line: f.line }));
    const failed = appendAudit(settings.auditLog, { event: 'break-glass', refs, findings });
    if (failed) {
      say(`break-glass refused: the audit log cannot be written (${failed}); the push is rejected`);
      return EXIT_CANNOT_SCAN;
    }
  }
  for (const f of letThrough) {
    say(`BREAK-GLASS: ${f.redacted} (keySha256 ${f.keySha256.slice(0, 16)}...) let through by push option, ${f.commit ? `commit ${f.commit.slice(0, 12)} ` : ''}${f.file}:${f.line}; logged${settings.auditLog ? ' to the audit log' : ''}`);
  }
  say('rotate a key let through this way: it is now in the repository for everyone who can read it');
  result.findings = result.findings.filter((f) => !allowed.has(f.keySha256));
  return null;
}

/**
 * Runs the scan within the server's time budget. When the budget runs out the push is rejected
 * (exit 2), or accepted with a warning and an audit line when the server says `accept`; the git
 * processes still running end with this process (their output pipes close).
 */
async function withinBudget(settings: ServerSettings, updates: ReceiveUpdate[], scan: () => Promise<number>): Promise<number> {
  if (updates.every(isDeletion)) return scan();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), settings.timeoutMs);
  });
  const outcome = await Promise.race([scan(), timedOut]);
  clearTimeout(timer);
  if (outcome !== 'timeout') return outcome;
  const budget = `${settings.timeoutMs / 1000} s`;
  if (settings.onTimeout === 'accept') {
    say(`WARNING: the scan did not finish within its ${budget} budget; this push was accepted WITHOUT a complete scan (server setting mirrascan.onTimeout=accept).`);
    say('Run `mirra-scan diff <old>..<new>` (or `mirra-scan history`) on a clone to finish the check.');
    if (settings.auditLog) {
      const failed = appendAudit(settings.auditLog, { event: 'timeout-accepted', refs: updates.map((u) => u.ref), detail: `budget ${budget}` });
      if (failed) {
        say(`the audit log cannot be written (${failed}), so the push is rejected after all`);
        process.exit(EXIT_CANNOT_SCAN);
      }
    }
    process.exit(EXIT_CLEAN);
  }
  say(`push rejected: the scan did not finish within its ${budget} budget, so this push could not be checked.`);
  say('Push fewer commits at a time (e.g. `git push origin <commit>:<branch>` in steps), or ask the server admin.');
  process.exit(EXIT_CANNOT_SCAN);
}
