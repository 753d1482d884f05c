import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { sameOrigin, sessionLifetime } from './http.js';

/** A request as `sameOrigin` reads it: its headers, protocol and host. */
function request(headers: Record<string, string>): Request {
  const all: Record<string, string> = { host: 'lotse.local:3000', ...headers };
  return { protocol: 'http', get: (name: string) => all[name.toLowerCase()] } as unknown as Request;
}

describe('sameOrigin', () => {
  it('lets through the own origin, PUBLIC_URL, and requests without Origin and Referer (programs)', () => {
    expect(sameOrigin(request({ origin: 'http://lotse.local:3000' }))).toBe(true);
    expect(sameOrigin(request({ referer: 'http://lotse.local:3000/account' }))).toBe(true);
    expect(sameOrigin(request({ origin: 'https://service.kreis.example' }), 'https://service.kreis.example/')).toBe(
      true,
    );
    expect(sameOrigin(request({}))).toBe(true);
  });

  it('refuses another origin, another port or scheme, null and garbage; Origin wins over Referer', () => {
    expect(sameOrigin(request({ origin: 'https://evil.example' }))).toBe(false);
    expect(sameOrigin(request({ origin: 'http://lotse.local:3001' }))).toBe(false);
    expect(sameOrigin(request({ origin: 'https://lotse.local:3000' }))).toBe(false);
    expect(sameOrigin(request({ origin: 'null' }))).toBe(false);
    expect(sameOrigin(request({ referer: 'not a url' }))).toBe(false);
    expect(sameOrigin(request({ origin: 'https://evil.example', referer: 'http://lotse.local:3000/account' }))).toBe(
      false,
    );
  });
});

describe('sessionLifetime', () => {
  const limits = { idleMinutes: 30, absoluteHours: 12 };
  const NOW = Date.UTC(2026, 11, 8, 12);

  /** Runs the middleware on a session; answers whether it was regenerated (the login ended). */
  function run(session: Record<string, unknown>) {
    let regenerated = false;
    const req = {
      session: { ...session, regenerate: (done: (error?: unknown) => void) => ((regenerated = true), done()) },
    } as unknown as Request;
    sessionLifetime(limits, () => NOW)(req, {} as Response, () => {});
    return { regenerated, session: req.session as unknown as Record<string, unknown> };
  }
  const principal = { kind: 'applicant' };

  it('keeps a login within both limits and notes this request', () => {
    const { regenerated, session } = run({
      principal,
      signedInAt: NOW - 11 * 3_600_000,
      lastSeenAt: NOW - 29 * 60_000,
    });
    expect(regenerated).toBe(false);
    expect(session.lastSeenAt).toBe(NOW);
  });

  it('ends a login idle for longer than the idle limit, and one older than the absolute limit', () => {
    expect(run({ principal, signedInAt: NOW - 60_000, lastSeenAt: NOW - 31 * 60_000 }).regenerated).toBe(true);
    expect(run({ principal, signedInAt: NOW - 12 * 3_600_000 - 1, lastSeenAt: NOW }).regenerated).toBe(true);
  });

  it('leaves sessions without a login alone', () => {
    expect(run({ lastSeenAt: 0 }).regenerated).toBe(false);
  });
});
