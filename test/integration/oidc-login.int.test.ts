import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companies, memberships, users } from '../../engine/db/schema.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, createCompanyWithUser } from '../../engine/services/seed.js';
import { WebClient } from '../browserless-client.js';
import { signInAtProvider, startOidcProvider, type OidcTestProvider, type ProviderAccount } from '../oidc-provider.js';
import { startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

let system: System;
let provider: OidcTestProvider;

beforeAll(async () => {
  provider = await startOidcProvider();
  system = await startTestSystem(provider.env);
});

afterAll(async () => {
  await system?.stop();
  await provider?.close();
});

const fresh = () => randomUUID().slice(0, 8);

function account(org: { id: string; name: string }, who: string, changes: Partial<ProviderAccount> = {}) {
  const created: ProviderAccount = {
    sub: `sub-${who}-${fresh()}`,
    email: `${who}.${fresh()}@firma.example`,
    email_verified: true,
    name: `${who} Muster`,
    org_id: org.id,
    org_name: org.name,
    ...changes,
  };
  provider.addAccount(created);
  return created;
}

/** The browser's way from the button to the callback address, not yet opened. */
async function toCallback(client: WebClient, sub: string) {
  const start = await client.get('/login/oidc');
  expect(start.status).toBe(303);
  return signInAtProvider(client, start.headers.get('location') ?? '', sub);
}

async function membershipsOf(email: string) {
  return system.db
    .select({ role: memberships.role, companyName: companies.name, externalId: companies.externalId })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .innerJoin(companies, eq(companies.id, memberships.companyId))
    .where(eq(users.email, email));
}

describe('login with OpenID Connect', () => {
  // First, while the provider is down: Lotse started anyway, and discovery waits for the first use.
  it('keeps the password login working while the provider is down, and says so at the button', async () => {
    const client = new WebClient(system.url);
    const login = await client.get('/login');
    expect(login.status).toBe(200);
    expect(login.html).toContain('href="/login/oidc"');

    const start = await client.get('/login/oidc');
    expect(start.status).toBe(503);
    expect(start.html).toContain('zurzeit nicht erreichbar');
    expect(start.html).toContain('href="/login"');

    await client.login(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
    expect((await client.get('/cases')).status).toBe(200);
  });

  it('creates the company and its owner on the first login from an organisation, and signs in', async () => {
    provider.up(system.url);
    const org = { id: `DE${fresh()}`, name: `Nordlicht Solar ${fresh()} GmbH` };
    const owner = account(org, 'erika');
    const client = new WebClient(system.url);
    const back = await client.get(await toCallback(client, owner.sub));
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/cases');

    const cases = await client.get('/cases');
    expect(cases.status).toBe(200);
    expect(cases.html).toContain(org.name);
    expect(await membershipsOf(owner.email)).toEqual([{ role: 'owner', companyName: org.name, externalId: org.id }]);
    const [user] = await system.db.select().from(users).where(eq(users.email, owner.email));
    expect(user).toMatchObject({ oidcIssuer: provider.issuer, oidcSubject: owner.sub, passwordHash: '!oidc' });

    // The account has no password: a password login with anything fails as for a wrong password.
    const guess = new WebClient(system.url);
    await guess.get('/login');
    expect((await guess.submit('/login', { email: owner.email, password: '!oidc' })).status).toBe(401);

    // A colleague from the same organisation joins that company as a member; a second login changes nothing.
    const colleague = account(org, 'jonas');
    const other = new WebClient(system.url);
    expect((await other.get(await toCallback(other, colleague.sub))).status).toBe(303);
    expect(await membershipsOf(colleague.email)).toEqual([
      { role: 'member', companyName: org.name, externalId: org.id },
    ]);
    const again = new WebClient(system.url);
    expect((await again.get(await toCallback(again, colleague.sub))).status).toBe(303);
    expect(await membershipsOf(colleague.email)).toHaveLength(1);
    expect(await system.db.select().from(companies).where(eq(companies.externalId, org.id))).toHaveLength(1);
  });

  it('links a verified password account when the provider verified the same address, and refuses otherwise', async () => {
    provider.up(system.url);
    const org = { id: `DE${fresh()}`, name: 'Berger Holzbau GmbH' };
    const email = `lena.berger.${fresh()}@holzbau.example`;
    await createCompanyWithUser(system.db, { company: org.name, email, name: 'Lena Berger', password: DEMO_PASSWORD });
    const unverified = account(org, 'lena', { email, email_verified: false });
    const client = new WebClient(system.url);
    const refused = await client.get(await toCallback(client, unverified.sub));
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('schon ein Konto');
    expect(await system.db.select().from(companies).where(eq(companies.externalId, org.id))).toHaveLength(0);

    const verified = account(org, 'lena', { email });
    const linked = new WebClient(system.url);
    expect((await linked.get(await toCallback(linked, verified.sub))).status).toBe(303);
    const [user] = await system.db.select().from(users).where(eq(users.email, email));
    expect(user?.oidcSubject).toBe(verified.sub);
    // The password still works for the linked account.
    await new WebClient(system.url).login(email, DEMO_PASSWORD);
  });

  it('offers no password change to a user without password, and deletes the account after a fresh login at the provider', async () => {
    provider.up(system.url);
    const org = { id: `DE${fresh()}`, name: 'Kurzzeit GmbH' };
    const person = account(org, 'kurz');
    const client = new WebClient(system.url);
    expect((await client.get(await toCallback(client, person.sub))).status).toBe(303);
    const page = await client.get('/account');
    expect(page.html).not.toContain('action="/account/password"');
    expect(page.html).toContain('kein Passwort');

    // Ten minutes after the login the deletion asks to log in at the provider again, and a POST is refused.
    const sid = decodeURIComponent(/lotse\.sid=([^;]+)/.exec(client.cookieHeader())?.[1] ?? '')
      .slice(2)
      .split('.')[0];
    await system.pool.query(
      `update session set sess = jsonb_set(sess::jsonb, '{signedInAt}', to_jsonb($2::bigint))::json where sid = $1`,
      [sid, Date.now() - 10 * 60_000],
    );
    const stale = await client.get('/account/delete');
    expect(stale.html).toContain('href="/login/oidc?reauth=1&amp;next=%2Faccount%2Fdelete"');
    expect((await client.submit('/account/delete', {})).status).toBe(422);

    // The button asks the provider to log in again (prompt=login, max_age=0) and comes back to the deletion.
    const again = await client.get('/login/oidc?reauth=1&next=%2Faccount%2Fdelete');
    const asked = new URL(again.headers.get('location') ?? '');
    expect([asked.searchParams.get('prompt'), asked.searchParams.get('max_age')]).toEqual(['login', '0']);
    const back = await client.get(await signInAtProvider(client, asked.href, person.sub));
    expect(back.headers.get('location')).toBe('/account/delete');
    await client.get('/account/delete');
    const deleted = await client.submit('/account/delete', {});
    expect(deleted.status).toBe(303);
    expect(await system.db.select().from(users).where(eq(users.oidcSubject, person.sub))).toHaveLength(0);
  });

  it('refuses a callback with a state of another flow (400) and creates nothing', async () => {
    provider.up(system.url);
    const org = { id: `DE${fresh()}`, name: 'Falscher Zustand GmbH' };
    const person = account(org, 'mallory');
    const client = new WebClient(system.url);
    const callback = new URL(await toCallback(client, person.sub));
    callback.searchParams.set('state', 'a-state-of-someone-else');
    const refused = await client.get(callback.href);
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('erneut');
    // A callback in a browser that never started a login (a link sent to a victim) is refused the same way.
    const stranger = new WebClient(system.url);
    expect((await stranger.get(`/login/oidc/callback?code=x&state=y&lang=en`)).status).toBe(400);
    expect(await system.db.select().from(users).where(eq(users.email, person.email))).toHaveLength(0);
    expect(await system.db.select().from(companies).where(eq(companies.externalId, org.id))).toHaveLength(0);
  });

  it('refuses a replayed code even with the flow cookie of its browser', async () => {
    provider.up(system.url);
    const person = account({ id: `DE${fresh()}`, name: 'Wiederholung GmbH' }, 'replay');
    const client = new WebClient(system.url);
    const callback = await toCallback(client, person.sub);
    const flowCookie = client.cookieHeader();
    expect((await client.get(callback)).status).toBe(303);

    const replay = await fetch(callback, { redirect: 'manual', headers: { cookie: flowCookie } });
    expect(replay.status).toBe(400);
    expect(replay.headers.get('set-cookie') ?? '').not.toContain('lotse.sid');
  });

  it('never lets a cache keep an answer of the account routes, logged in or not', async () => {
    provider.up(system.url);
    const anonymous = new WebClient(system.url);
    const company = new WebClient(system.url);
    await company.login(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
    const answers = [
      await anonymous.get('/login'),
      await anonymous.get('/login/oidc'),
      await anonymous.get('/login/oidc/callback?code=x&state=y'),
      await anonymous.get('/register'),
      await anonymous.get('/register/verify?token=x.y'),
      await anonymous.get('/password/forgot'),
      await anonymous.get('/password/reset?token=x.y'),
      await anonymous.get('/invite?token=x.y'),
      // Refused before any route runs: a form without its CSRF token.
      await anonymous.post('/password/forgot', { email: 'niemand@firma.example' }),
      await anonymous.get('/password/forgot'),
      await anonymous.submit('/password/forgot', { email: 'niemand@firma.example' }),
      await company.get('/account'),
      await company.get('/account/company'),
      await company.get('/account/colleagues'),
      await company.get('/account/delete'),
      await company.get('/cases'),
    ];
    expect(answers.map((answer) => `${answer.url} ${answer.headers.get('cache-control')}`)).toEqual(
      answers.map((answer) => `${answer.url} no-store`),
    );
  });

  it('answers 503 at the callback when the provider went down meanwhile, and the password login still works', async () => {
    provider.up(system.url);
    const person = account({ id: `DE${fresh()}`, name: 'Ausfall GmbH' }, 'outage');
    const client = new WebClient(system.url);
    const callback = await toCallback(client, person.sub);
    provider.down();
    try {
      const answer = await client.get(callback);
      expect(answer.status).toBe(503);
      await new WebClient(system.url).login(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
    } finally {
      provider.up(system.url);
    }
    expect(
      await system.db
        .select()
        .from(users)
        .where(and(eq(users.email, person.email))),
    ).toHaveLength(0);
  });
});
