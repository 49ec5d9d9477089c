// Where keys may go: https anywhere the user points, plain http only to loopback. A refused URL is
// refused before anything is sent: these tests inject a fetch that records calls, and never open a
// socket to anything but 127.0.0.1.

import { describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { DEFAULT_API_URL, assertSafeApiUrl, isLoopbackHost, verifyKeys } from '../../src/verify/index.js';
import { fakeKey } from '../support/fake-keys.js';

function recordingFetch() {
  const calls: string[] = [];
  const fetchImpl = (async (input: string | URL | Request) => {
    calls.push(String(input));
    throw new Error('recordingFetch: no request may be made in this test');
  }) as typeof fetch;
  return { calls, fetchImpl };
}

describe('assertSafeApiUrl', () => {
  it.each([
    DEFAULT_API_URL,
    'https://api.example.test/',
    'https://proxy.example.test/mirra/',
    'http://127.0.0.1:8080',
    'http://127.9.8.7',
    'http://localhost:3000',
    'http://[::1]:3000',
    'http://0x7f.1/', // the URL parser makes it 127.0.0.1
    'http://[::ffff:127.0.0.1]/',
  ])('accepts %s', (url) => {
    expect(assertSafeApiUrl(url)).toBeInstanceOf(URL);
  });

  it.each([
    ['http://api.fxn.world', /plain http:\/\/ to a non-loopback host/],
    ['http://10.0.0.1:8080', /non-loopback/],
    ['http://127.0.0.1.nip.io', /non-loopback/],
    ['http://[::2]/', /non-loopback/],
    ['http://128.0.0.1/', /non-loopback/],
    ['ftp://127.0.0.1/', /must use https/],
    ['file:///etc/passwd', /must use https/],
    ['https://user:pw@api.example.test', /user name or password/],
    ['https://api.example.test/?key=1', /query or fragment/],
    ['not a url', /not a valid URL/],
  ])('refuses %s with a one-line UsageError', (url, reason) => {
    let error: unknown;
    try {
      assertSafeApiUrl(url);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(reason);
    expect((error as Error).message).not.toContain('\n');
  });

  it('isLoopbackHost knows 127.0.0.0/8, ::1 and localhost only', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('LOCALHOST')).toBe(true);
    expect(isLoopbackHost('localhost.example.test')).toBe(false);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
    expect(isLoopbackHost('192.168.1.1')).toBe(false);
  });
});

describe('no request to a refused URL', () => {
  it('verifyKeys refuses plain http to a non-loopback host before calling fetch', async () => {
    const { calls, fetchImpl } = recordingFetch();
    await expect(verifyKeys([fakeKey('script')], { apiUrl: 'http://api.fxn.world', fetch: fetchImpl, cache: false })).rejects.toThrow(UsageError);
    expect(calls).toEqual([]);
  });

  it('nor does it fall back to the global fetch', async () => {
    const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async () => {
      throw new Error('global fetch must not be called');
    });
    try {
      await expect(verifyKeys([fakeKey()], { apiUrl: 'http://192.0.2.10', cache: false })).rejects.toThrow(/non-loopback/);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('the refusal names the URL but never the key', async () => {
    const key = fakeKey();
    const { fetchImpl } = recordingFetch();
    const error = await verifyKeys([key], { apiUrl: 'http://10.1.2.3', fetch: fetchImpl, cache: false }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain('http://10.1.2.3');
    expect((error as Error).message).not.toContain(key);
  });
});
