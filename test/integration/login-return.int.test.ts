import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { WebClient } from '../browserless-client.js';
import { startTestSystem } from '../system.js';

// Invariant: a page opened while logged out is the page shown after logging in (the README's
// administrator link is /staff/incidents), and the login never sends anyone to another site.

type System = Awaited<ReturnType<typeof startTestSystem>>;
let system: System;

beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  await system?.stop();
});

const administrator = DEMO_ACCOUNTS.administrator.email;
const companyUser = DEMO_ACCOUNTS.companyUser.email;

describe('staff login returns to the page asked for', () => {
  it('given a logged-out administrator opens /staff/incidents, the login leads back to the incidents', async () => {
    const client = new WebClient(system.url);
    const asked = await client.get('/staff/incidents');
    expect(asked.status).toBe(303);
    expect(asked.headers.get('location')).toBe('/staff/login?next=%2Fstaff%2Fincidents');

    await client.get(asked.headers.get('location')!);
    expect(client.hidden('next')).toBe('/staff/incidents');
    const loggedIn = await client.submit('/staff/login', {
      email: administrator,
      password: DEMO_PASSWORD,
      next: client.hidden('next')!,
    });
    expect(loggedIn.status).toBe(303);
    expect(loggedIn.headers.get('location')).toBe('/staff/incidents');

    const page = await client.get('/staff/incidents');
    expect(page.status).toBe(200);
    expect(page.html).toContain('<h1>Störungen</h1>');
  });

  it('keeps the page asked for across a failed attempt', async () => {
    const client = new WebClient(system.url);
    await client.get('/staff/login?next=%2Fstaff%2Fcases');
    const failed = await client.submit('/staff/login', {
      email: administrator,
      password: 'wrong',
      next: '/staff/cases',
    });
    expect(failed.status).toBe(401);
    expect(client.hidden('next')).toBe('/staff/cases');
    const loggedIn = await client.submit('/staff/login', {
      email: administrator,
      password: DEMO_PASSWORD,
      next: client.hidden('next')!,
    });
    expect(loggedIn.headers.get('location')).toBe('/staff/cases');
  });

  it('without a page asked for, the login leads to the inbox', async () => {
    const client = new WebClient(system.url);
    const loggedIn = await client.login(administrator, DEMO_PASSWORD, true);
    expect(loggedIn.headers.get('location')).toBe('/staff/tasks');
  });

  it('a form posted while logged out leads to the plain login (a POST cannot be replayed by a redirect)', async () => {
    const client = new WebClient(system.url);
    await client.get('/staff/login');
    const posted = await client.submit('/staff/cases/00000000-0000-4000-8000-000000000000/incidents/x/retry', {});
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe('/staff/login');
  });

  it.each([
    ['another host', '//evil.example/staff/inbox'],
    ['another host, backslash', '/\\evil.example'],
    ['an absolute URL', 'https://evil.example/staff/inbox'],
    ['a company page', '/cases'],
  ])('refuses to return to %s and leads to the inbox', async (_what, next) => {
    const client = new WebClient(system.url);
    const form = await client.get(`/staff/login?next=${encodeURIComponent(next)}`);
    expect(form.html).not.toContain('name="next"');
    const loggedIn = await client.submit('/staff/login', { email: administrator, password: DEMO_PASSWORD, next });
    expect(loggedIn.headers.get('location')).toBe('/staff/tasks');
  });
});

describe('company login returns to the page asked for', () => {
  it('given a logged-out company user opens /drafts, the login leads back there', async () => {
    const client = new WebClient(system.url);
    const asked = await client.get('/drafts');
    expect(asked.status).toBe(303);
    expect(asked.headers.get('location')).toBe('/login?next=%2Fdrafts');

    await client.get(asked.headers.get('location')!);
    const loggedIn = await client.submit('/login', {
      email: companyUser,
      password: DEMO_PASSWORD,
      next: client.hidden('next')!,
    });
    expect(loggedIn.headers.get('location')).toBe('/drafts');
    expect((await client.get('/drafts')).status).toBe(200);
  });

  it.each(['//evil.example/cases', 'https://evil.example/', '/\\evil.example'])(
    'refuses to return to %j and leads to the case list',
    async (next) => {
      const client = new WebClient(system.url);
      await client.get('/login');
      const loggedIn = await client.submit('/login', { email: companyUser, password: DEMO_PASSWORD, next });
      expect(loggedIn.headers.get('location')).toBe('/cases');
    },
  );
});
