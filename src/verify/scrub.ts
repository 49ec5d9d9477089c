// Error text from sockets, TLS and servers is scrubbed before it becomes a `detail`: every key it
// could hold is replaced by its redacted form, and it is cut to one short line.

import { maskKeyShaped, redactKey } from '../detector/redact.js';

const MAX_DETAIL_LENGTH = 200;

/** `text` without any of `secrets` (nor their bodies after the prefix), on one line, at most 200 characters. */
export function scrubSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret) continue;
    out = out.split(secret).join(redactKey(secret));
    const body = secret.replace(/^mirra_(?:script_|install_|test_)?/, '');
    // A body alone (say, from a header echoed without its prefix) is as good as the key.
    if (body.length >= 16) out = out.split(body).join('…');
  }
  out = maskKeyShaped(out); // anything key-shaped the caller did not pass in
  out = out.replace(/\s+/g, ' ').trim();
  return out.length > MAX_DETAIL_LENGTH ? out.slice(0, MAX_DETAIL_LENGTH - 1) + '…' : out;
}
