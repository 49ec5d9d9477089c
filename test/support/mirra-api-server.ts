// A stand-in for the Mirra API: a real HTTP server on 127.0.0.1 (random port) that answers
// `GET /api/sdk/v1/resources` by what each key is scripted to do. Keys are held and counted by
// their SHA-256 only, so nothing here can print or log a key. Every test that verifies keys
// points the client at this server; nothing ever talks to the real API.
//
//   const api = await startMirraApiServer({ keys: [[liveKey, 'live'], [deadKey, 'revoked']] });
//   ... verifyKeys([liveKey], { apiUrl: api.url, cache: false }) ...
//   expect(api.requests(liveKey)).toBe(1);
//   await api.close();

import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type BehaviourName = 'live' | 'revoked' | 'forbidden' | 'server-error' | 'drop' | 'drop-mid-response';

export type Behaviour =
  | BehaviourName
  /** 200 with the API's JSON shape. */
  | { kind: 'live' }
  /** 401, as for a revoked or never-issued key. */
  | { kind: 'revoked' }
  | { kind: 'forbidden' }
  /** 429 with `Retry-After: retryAfter` (omitted if undefined) `times` times (default 1), then `then` (default live). */
  | { kind: 'rate-limited'; retryAfter?: string; times?: number; then?: Behaviour }
  /** A 5xx (default 500). */
  | { kind: 'server-error'; status?: number }
  /** Waits `delayMs`, then behaves as `then` (default live). */
  | { kind: 'slow'; delayMs: number; then?: Behaviour }
  /** Destroys the socket before answering. */
  | { kind: 'drop' }
  /** Sends the head of a 200 and part of its body, then destroys the socket. */
  | { kind: 'drop-mid-response' }
  /** A redirect (default 302) to `location`. */
  | { kind: 'redirect'; location: string; status?: number }
  /** Any other status, with a small JSON body. */
  | { kind: 'status'; status: number; headers?: Record<string, string> };

export interface MirraApiServerOptions {
  /** Scripted keys, as [key, behaviour] pairs. */
  keys?: Iterable<readonly [string, Behaviour]>;
  /** What a key nobody scripted gets (default `revoked`: the API does not know it). */
  defaultBehaviour?: Behaviour;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** SHA-256 of the X-API-Key header, or null if there was none. */
  keySha256: string | null;
  /** The Authorization header was present (the client should use X-API-Key only). */
  hadAuthorization: boolean;
}

export interface MirraApiServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`: pass it as `apiUrl` / `--api-url`. */
  url: string;
  port: number;
  /** Requests seen: all of them, or those carrying `key`. */
  requests(key?: string): number;
  /** Every request seen, in order (keys as hashes). */
  requestLog(): RecordedRequest[];
  setBehaviour(key: string, behaviour: Behaviour): void;
  /** Forgets recorded requests and rate-limit counters (not behaviours). */
  resetCounts(): void;
  close(): Promise<void>;
}

const RESOURCES_PATH = '/api/sdk/v1/resources';

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function normalise(b: Behaviour): Exclude<Behaviour, BehaviourName> {
  return typeof b === 'string' ? ({ kind: b } as Exclude<Behaviour, BehaviourName>) : b;
}

export async function startMirraApiServer(options: MirraApiServerOptions = {}): Promise<MirraApiServer> {
  const behaviours = new Map<string, Behaviour>();
  for (const [key, b] of options.keys ?? []) behaviours.set(sha256(key), b);
  const defaultBehaviour = options.defaultBehaviour ?? 'revoked';
  const log: RecordedRequest[] = [];
  /** How many 429s each (key hash, behaviour) has had, so `times` can run out. */
  const rateLimited = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
    res.end(text);
  };

  const respond = (req: http.IncomingMessage, res: http.ServerResponse, sha: string, behaviour: Behaviour, depth: string): void => {
    const b = normalise(behaviour);
    switch (b.kind) {
      case 'live':
        return json(res, 200, { success: true, data: [] });
      case 'revoked':
        return json(res, 401, { success: false, error: 'Unauthorized' });
      case 'forbidden':
        return json(res, 403, { success: false, error: 'Forbidden' });
      case 'server-error':
        return json(res, b.status ?? 500, { success: false, error: 'Internal Server Error' });
      case 'status':
        return json(res, b.status, { success: false }, b.headers);
      case 'redirect':
        res.writeHead(b.status ?? 302, { location: b.location, 'content-length': '0' });
        return void res.end();
      case 'drop':
        return void req.socket.destroy();
      case 'drop-mid-response':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
        res.write('{"success":true,"data":[');
        return later(20, () => req.socket.destroy());
      case 'slow':
        return later(b.delayMs, () => {
          if (!res.destroyed) respond(req, res, sha, b.then ?? 'live', depth + '/slow');
        });
      case 'rate-limited': {
        const counter = `${sha}${depth}`;
        const seen = rateLimited.get(counter) ?? 0;
        if (seen < (b.times ?? 1)) {
          rateLimited.set(counter, seen + 1);
          return json(res, 429, { success: false, error: 'Too Many Requests' }, b.retryAfter === undefined ? {} : { 'retry-after': b.retryAfter });
        }
        return respond(req, res, sha, b.then ?? 'live', depth + '/then');
      }
    }
  };

  const server = http.createServer((req, res) => {
    const header = req.headers['x-api-key'];
    const key = Array.isArray(header) ? header[0] : header;
    const sha = key ? sha256(key) : null;
    const path = (req.url ?? '/').split('?')[0];
    log.push({ method: req.method ?? '', path, keySha256: sha, hadAuthorization: req.headers.authorization !== undefined });
    if (path !== RESOURCES_PATH) return json(res, 404, { success: false, error: 'Not Found' });
    if (req.method !== 'GET') return json(res, 405, { success: false, error: 'Method Not Allowed' });
    if (!sha) return json(res, 401, { success: false, error: 'Unauthorized' });
    respond(req, res, sha, behaviours.get(sha) ?? defaultBehaviour, '');
  });
  // A dropped connection is the point of some behaviours; do not let it surface as an error.
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests: (key) => (key === undefined ? log.length : log.filter((r) => r.keySha256 === sha256(key)).length),
    requestLog: () => log.map((r) => ({ ...r })),
    setBehaviour: (key, b) => void behaviours.set(sha256(key), b),
    resetCounts: () => {
      log.length = 0;
      rateLimited.clear();
    },
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port nothing listens on (for "connection refused"): bound, then released. */
export async function unusedLoopbackPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
