// Where `--verify` sends keys and how: the flag, then MIRRA_API_URL, then the config file, then
// the default. The URL is checked here, before any scan starts, so a bad one costs nothing.

import type { MirraScanConfig } from '../config/index.js';
import type { VerifyOptions } from '../verify/index.js';
import { DEFAULT_API_URL, assertSafeApiUrl } from '../verify/url.js';

export function verifyOptionsFor(
  flags: { apiUrl?: string; cache?: boolean },
  config: Pick<MirraScanConfig, 'verify'>,
  env: NodeJS.ProcessEnv = process.env,
): VerifyOptions {
  const apiUrl = flags.apiUrl ?? (env.MIRRA_API_URL || config.verify.apiUrl || DEFAULT_API_URL);
  // Blame the setting the URL came from (the config file's was checked when it was read).
  assertSafeApiUrl(apiUrl, flags.apiUrl !== undefined ? '--api-url' : env.MIRRA_API_URL ? 'MIRRA_API_URL' : 'the config\'s verify.apiUrl');
  return {
    apiUrl,
    timeoutMs: config.verify.timeoutMs,
    concurrency: config.verify.concurrency,
    cache: flags.cache !== false && config.verify.cache !== false,
  };
}
