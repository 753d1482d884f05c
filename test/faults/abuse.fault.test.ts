import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompanyWithUser, DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { WebClient } from '../browserless-client.js';
import { startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

const PASSWORD = 'Richtig-und-lang-2026';
let system: System;
let email: string;

beforeAll(async () => {
  system = await startTestSystem();
  // An account of this file's own: throttling it cannot slow down any other test's logins.
  email = `throttle-${randomUUID()}@example.org`;
  await createCompanyWithUser(system.db, { company: 'Throttle GmbH', email, name: 'Tina Test', password: PASSWORD });
});

afterAll(async () => {
  // Failure counts of the documentation addresses used here; nothing else of the shared database.
  await system?.db.execute(sql`delete from login_failures where key like '%203.0.113.%' or key like '%198.51.100.%'`);
  await system?.stop();
});

/**
 * A browser behind its own client address: the app trusts X-Forwarded-For from loopback (the reverse
 * proxy in production), so each instance counts as another address. Keeps cookies and the form token.
 */
class Browser {
  private cookies = new Map<string, string>();
  private csrf = '';
  constructor(private readonly address: string) {}

  async request(method: string, path: string, body?: string, contentType = 'application/x-www-form-urlencoded') {
    const response = await fetch(new URL(path, system.url), {
      method,
      redirect: 'manual',
      headers: {
        'x-forwarded-for': this.address,
        cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(body !== undefined ? { 'content-type': contentType } : {}),
      },
      body,
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair = ''] = header.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const html = await response.text();
    const token = /name="_csrf" value="([^"]*)"/.exec(html)?.[1];
    if (token) this.csrf = token;
    return { status: response.status, retryAfter: response.headers.get('retry-after'), html, response };
  }

  async login(path: string, fields: Record<string, string>) {
    if (!this.csrf) await this.request('GET', path);
    return this.request('POST', path, new URLSearchParams({ ...fields, _csrf: this.csrf }).toString());
  }

  hasSession() {
    return this.cookies.has('lotse.sid');
  }
}

describe('login throttling (issue 7, defect 4)', () => {
  it('30 wrong passwords in a burst: after 5 failures 429 with Retry-After, the right one is refused too; another address logs in at once; after the wait it works', async () => {
    const attacker = new Browser('203.0.113.10');
    const started = Date.now();
    const answers: { status: number; retryAfter: string | null }[] = [];
    for (let i = 0; i < 30; i++) answers.push(await attacker.login('/login', { email, password: `falsch-${i}` }));
    const burstMs = Date.now() - started;
    expect(burstMs).toBeLessThan(10_000);
    expect(answers.slice(0, 5).map((answer) => answer.status)).toEqual([401, 401, 401, 401, 401]);
    const throttled = answers.filter((answer) => answer.status === 429);
    expect(throttled.length).toBeGreaterThanOrEqual(20);
    for (const answer of throttled) expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);

    const right = await attacker.login('/login', { email, password: PASSWORD });
    expect(right.status).toBe(429);
    expect(right.html).toContain('Zu viele fehlgeschlagene Anmeldeversuche');
    expect(attacker.hasSession()).toBe(false);

    // The real user, elsewhere, is not locked out.
    const user = new Browser('198.51.100.20');
    expect((await user.login('/login', { email, password: PASSWORD })).status).toBe(303);

    // And from the throttled address, once the announced wait is over.
    const wait = Number((await attacker.login('/login', { email, password: PASSWORD })).retryAfter);
    expect(wait).toBeLessThanOrEqual(60);
    await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 200));
    expect((await attacker.login('/login', { email, password: PASSWORD })).status).toBe(303);
    console.log(`[throttle] 30 wrong logins in ${burstMs} ms: ${throttled.length} answered 429; waited ${wait} s`);
  });

  it('30 wrong passwords at once (in parallel) get no more guesses than 30 in a row', async () => {
    const attacker = new Browser('203.0.113.20');
    await attacker.request('GET', '/login');
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => attacker.login('/login', { email, password: `parallel-${i}` })),
    );
    const checked = answers.filter((answer) => answer.status === 401).length;
    // 5 free failures; one more only if the 1 s wait ran out while the burst was still being answered.
    expect(checked).toBeGreaterThanOrEqual(5);
    expect(checked).toBeLessThanOrEqual(6);
    expect(answers.filter((answer) => answer.status === 429).length).toBe(30 - checked);
    console.log(`[throttle] 30 parallel wrong logins: ${checked} checked, ${30 - checked} answered 429`);
    // Once the announced wait is over, the right password works (and clears the account's count for the next tests).
    const wait = Number((await attacker.login('/login', { email, password: PASSWORD })).retryAfter);
    await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 200));
    expect((await attacker.login('/login', { email, password: PASSWORD })).status).toBe(303);
  });

  it('an unknown e-mail gets exactly the answers a known one gets', async () => {
    const statuses = async (address: string, login: string) => {
      const browser = new Browser(address);
      const seen: (string | number)[] = [];
      for (let i = 0; i < 7; i++) {
        const answer = await browser.login('/login', { email: login, password: 'falsch' });
        seen.push(answer.status, answer.retryAfter === null ? 'no wait' : 'wait');
      }
      return seen;
    };
    const known = await statuses('203.0.113.30', email);
    const unknown = await statuses('203.0.113.31', `nobody-${randomUUID()}@example.org`);
    expect(unknown).toEqual(known);
    expect(known.filter((value) => value === 429)).toHaveLength(2);
  });

  it('the staff login is throttled the same way', async () => {
    const attacker = new Browser('203.0.113.40');
    const seen: number[] = [];
    for (let i = 0; i < 7; i++) {
      seen.push(
        (await attacker.login('/staff/login', { email: DEMO_ACCOUNTS.caseworker.email, password: 'x' })).status,
      );
    }
    expect(seen).toEqual([401, 401, 401, 401, 401, 429, 429]);
    // The caseworker at their own desk is not affected.
    const desk = new Browser('198.51.100.41');
    expect(
      (await desk.login('/staff/login', { email: DEMO_ACCOUNTS.caseworker.email, password: DEMO_PASSWORD })).status,
    ).toBe(303);
  });
});

describe('hostile input gets 413 / 400 with the error page, never 500 (issue 7, defect 8)', () => {
  const loginFields = (browser: Browser) => browser.login('/login', { email: 'a@example.org', password: 'x' });

  it('a 250 KB form answers 413 with a way back to the form', async () => {
    const browser = new Browser('203.0.113.50');
    await browser.request('GET', '/login');
    await loginFields(browser); // learns the token
    const big = new URLSearchParams({ email: 'a@example.org', password: 'x'.repeat(250 * 1024) }).toString();
    const answer = await browser.request('POST', '/login', big);
    expect(answer.status).toBe(413);
    expect(answer.html).toContain('Zu viele Daten gesendet');
    expect(answer.html).toContain('href="/login"');
  });

  it('a 20 MB form answers 413', async () => {
    const browser = new Browser('203.0.113.51');
    const answer = await browser.request('POST', '/login', `password=${'x'.repeat(20 * 1024 * 1024)}`);
    expect(answer.status).toBe(413);
  });

  it('more than 500 parameters answer 400', async () => {
    const browser = new Browser('203.0.113.52');
    const many = Array.from({ length: 600 }, (_, i) => `f${i}=v`).join('&');
    const answer = await browser.request('POST', '/login', many);
    expect(answer.status).toBe(400);
    expect(answer.html).toContain('Das Formular konnte nicht gelesen werden');
  });

  it('multipart without a boundary, or broken, answers 400 (for a logged-in applicant, whose uploads are parsed)', async () => {
    const applicant = new Browser('198.51.100.70');
    expect((await applicant.login('/login', { email, password: PASSWORD })).status).toBe(303);
    expect((await applicant.request('POST', '/drafts', 'x=1', 'multipart/form-data')).status).toBe(400);
    const broken = '--XYZ\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\nabc'; // no closing boundary
    const answer = await applicant.request('POST', '/drafts', broken, 'multipart/form-data; boundary=XYZ');
    expect(answer.status).toBe(400);
    expect(answer.html).toContain('Das Formular konnte nicht gelesen werden');
  });

  it('a NUL anywhere in a form answers 400; control characters in the login e-mail are a failed login; never a 500', async () => {
    const browser = new Browser('203.0.113.53');
    const nul = await browser.login('/login', { email: 'anna\u0000@example.org', password: 'x' });
    expect(nul.status).toBe(400);
    expect(nul.html).toContain('href="/login"');
    expect((await browser.login('/staff/login', { email: 'a\u001b[2J@example.org', password: 'x' })).status).toBe(401);
    // A start form too: PostgreSQL keeps no NUL in JSON, so it never reaches the database.
    const applicant = new Browser('198.51.100.71');
    expect((await applicant.login('/login', { email, password: PASSWORD })).status).toBe(303);
    await applicant.request('GET', '/services/general-inquiry/start');
    const start = await applicant.login('/services/general-inquiry/start', {
      subject: 'Null\u0000Byte',
      message: 'Text',
      contactChannel: 'email',
    });
    expect(start.status).toBe(400);
  });
});

describe('the outbox (issue 7, defect 7)', () => {
  it('is for administrators only: caseworkers and external authorities get 404', async () => {
    for (const account of [DEMO_ACCOUNTS.caseworker, DEMO_ACCOUNTS.buildingAuthority]) {
      const staff = new WebClient(system.url);
      await staff.login(account.email, DEMO_PASSWORD, true);
      expect((await staff.get('/staff/outbox')).status).toBe(404);
      expect((await staff.get('/staff/tasks')).html).not.toContain('href="/staff/outbox"');
    }
    const admin = new WebClient(system.url);
    await admin.login(DEMO_ACCOUNTS.administrator.email, DEMO_PASSWORD, true);
    expect((await admin.get('/staff/outbox')).status).toBe(200);
  });
});

describe('sessions (issue 7, defect 12)', () => {
  it('100 anonymous page views write no session row; a login writes one', async () => {
    const count = async () => {
      const result = await system.pool.query<{ n: string }>('select count(*) as n from session');
      return Number(result.rows[0]?.n);
    };
    const before = await count();
    const pages = ['/services', '/login', '/staff/login', '/services?lang=en', '/login?lang=de', '/nowhere'];
    for (let i = 0; i < 100; i++) {
      // A fresh visitor each time, as crawlers are.
      const visitor = new WebClient(system.url);
      await visitor.get(pages[i % pages.length] ?? '/services');
    }
    expect(await count()).toBe(before);
    const user = new WebClient(system.url);
    await user.login(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
    expect(await count()).toBe(before + 1);
  });

  it('an anonymous form still needs its token: a login post without it is refused (403)', async () => {
    const browser = new Browser('203.0.113.60');
    await browser.request('GET', '/login');
    const answer = await browser.request(
      'POST',
      '/login',
      new URLSearchParams({ email, password: PASSWORD }).toString(),
    );
    expect(answer.status).toBe(403);
    const forged = await browser.request(
      'POST',
      '/login',
      new URLSearchParams({ email, password: PASSWORD, _csrf: 'A'.repeat(32) }).toString(),
    );
    expect(forged.status).toBe(403);
  });
});
