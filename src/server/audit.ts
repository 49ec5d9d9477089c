// The trace a break-glass leaves: one line on stderr (the pusher sees it, and hosts that keep hook
// output keep it) and, when the admin names an audit file, one JSON line appended to it. The file
// is created readable by its owner only; it holds key hashes and redacted keys, never a key.

import fs from 'node:fs';
import type { Finding } from '../finding.js';
import { pusherOf } from './settings.js';

export interface AuditEvent {
  event: 'break-glass' | 'timeout-accepted';
  refs: string[];
  findings?: Array<Pick<Finding, 'keySha256' | 'redacted' | 'commit' | 'file' | 'line'>>;
  detail?: string;
}

/** Appends the event to `file` (JSON lines); returns why it could not, or null when written. */
export function appendAudit(file: string, event: AuditEvent, env: NodeJS.ProcessEnv = process.env): string | null {
  const line = JSON.stringify({ time: new Date().toISOString(), repository: process.cwd(), pusher: pusherOf(env), ...event }) + '\n';
  try {
    fs.appendFileSync(file, line, { mode: 0o600 });
    return null;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? String(e);
  }
}
