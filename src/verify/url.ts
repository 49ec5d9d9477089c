// Where keys may be sent: the configured API base only, over HTTPS, or plain HTTP to loopback.
// Checked before anything is sent, so a mistyped `--api-url` can never leak a key in clear text.

import { maskSecrets } from '../detector/index.js';
import { UsageError } from '../errors.js';

export const DEFAULT_API_URL = 'https://api.fxn.world';

/** The read-only call used to check a key, relative to the API base. */
export const RESOURCES_PATH = 'api/sdk/v1/resources';

/**
 * Parses `url` and refuses anything keys must not be sent to: another scheme, credentials in the
 * URL, a query or fragment, anything shaped like a key (percent-encoded too: it would be sent in the
 * request line and kept in the verify cache), and plain `http://` to anything but a loopback address
 * (127.0.0.0/8, `::1` or `localhost`). Throws a UsageError with a one-line reason that names where
 * the URL came from (`source`: `--api-url`, `MIRRA_API_URL`, ...).
 */
export function assertSafeApiUrl(url: string, source = '--api-url'): URL {
  if (holdsKey(url)) throw new UsageError(`${source} holds something shaped like a Mirra key; a key is never sent in a URL`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`${source} is not a valid URL: ${JSON.stringify(url.slice(0, 100))}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new UsageError(`${source} must use https:// (got ${parsed.protocol}//)`);
  }
  if (parsed.username || parsed.password) {
    throw new UsageError(`${source} must not carry a user name or password`);
  }
  if (parsed.search || parsed.hash) {
    throw new UsageError(`${source} must be a base URL without a query or fragment`);
  }
  if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) {
    throw new UsageError(
      `${source} ${parsed.origin} uses plain http:// to a non-loopback host; keys are sent only over https:// (http:// is allowed for 127.0.0.0/8, ::1 and localhost)`,
    );
  }
  return parsed;
}

/** Whether the masking would change `url`, as written or percent-decoded (once or twice). */
function holdsKey(url: string): boolean {
  const forms = [url];
  for (let i = 0; i < 2; i++) {
    try {
      forms.push(decodeURIComponent(forms[forms.length - 1]));
    } catch {
      break;
    }
  }
  return forms.some((text) => maskSecrets(text) !== text);
}

/** True for a loopback address as the URL parser normalised it (it turns `0x7f.1` into `127.0.0.1`). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost') return true;
  // node:net is loaded only when a URL is checked (--api-url, --verify).
  if (process.getBuiltinModule('node:net').isIPv4(host)) return host.startsWith('127.');
  if (host === '::1') return true;
  // IPv4-mapped IPv6, normalised by the URL parser to hex: ::ffff:7fxx:xxxx is 127.x.x.x.
  return /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host);
}

/** The URL of the key-checking call under `base` (which may carry a path prefix, e.g. behind a proxy). */
export function resourcesUrl(base: URL): URL {
  const prefix = base.pathname.endsWith('/') ? base.pathname : base.pathname + '/';
  return new URL(prefix + RESOURCES_PATH, base.origin);
}
