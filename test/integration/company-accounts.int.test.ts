import { createHash, randomUUID } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberships, outboxMails, passwordTokens, sessions, users } from '../../engine/db/schema.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { WebClient } from '../browserless-client.js';
import { startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

let system: System;
/** Mailed links point here, whatever Host header the request carried. */
const PUBLIC_URL = 'https://portal.kreis.example/';
const PASSWORD = 'Ein-sicheres-Passwort-2026';
const NEW_PASSWORD = 'Ein-neues-Passwort-2026';

beforeAll(async () => {
  system = await startTestSystem({ PUBLIC_URL });
});

afterAll(async () => {
  await system?.stop();
});

const freshEmail = (who: string) => `${who}.${randomUUID().slice(0, 8)}@firma.example`;

async function mailsTo(email: string) {
  return system.db
    .select()
    .from(outboxMails)
    .where(eq(outboxMails.recipient, email))
    .orderBy(desc(outboxMails.createdAt));
}

/** The path of the latest link to `path` mailed to `email`, as the mail catcher (the outbox) holds it. */
async function latestLink(email: string, path: string): Promise<string> {
  const [mail] = await mailsTo(email);
  const link = new RegExp(`https://portal\\.kreis\\.example${path}\\?token=(\\S+)`).exec(mail?.body ?? '');
  if (!link?.[1]) throw new Error(`no ${path} link mailed to ${email}`);
  return `${path}?token=${link[1]}`;
}

const tokenOf = (link: string) => new URL(link, 'http://x').searchParams.get('token') ?? '';

async function register(client: WebClient, fields: Record<string, string>) {
  await client.get('/register');
  return client.submit('/register', fields);
}

/** A registered and verified company user, logged in on a new client. */
async function verifiedUser(who: string) {
  const email = freshEmail(who);
  const client = new WebClient(system.url);
  await register(client, { companyName: `${who} GmbH`, name: who, email, password: PASSWORD, repeat: PASSWORD });
  const link = await latestLink(email, '/register/verify');
  await client.get(link);
  await client.submit('/register/verify', { token: tokenOf(link) });
  await client.login(email, PASSWORD);
  return { email, client };
}

async function loginStatus(email: string, password: string) {
  const client = new WebClient(system.url);
  await client.get('/login');
  return (await client.submit('/login', { email, password })).status;
}

const sessionId = (client: WebClient) => /lotse\.sid=([^;]+)/.exec(client.cookieHeader())?.[1];

describe('self-registration', () => {
  it('registers a company whose first user verifies the address with a single-use link, then logs in as owner', async () => {
    const email = freshEmail('anna');
    const client = new WebClient(system.url);
    const login = await client.get('/login');
    expect(login.html).toContain('href="/register"');
    expect(login.html).toContain('href="/password/forgot"');

    const sent = await register(client, {
      companyName: 'Muster Maschinenbau GmbH',
      name: 'Anna Muster',
      email,
      password: PASSWORD,
      repeat: PASSWORD,
    });
    expect(sent.status).toBe(200);
    expect(sent.html).toContain('Wir haben eine E-Mail an die angegebene Adresse geschickt');
    // Not verified yet: the right password is refused like a wrong one.
    expect(await loginStatus(email, PASSWORD)).toBe(401);

    const link = await latestLink(email, '/register/verify');
    // Only the hash of the link's secret is stored.
    const [id, secret] = tokenOf(link).split('.');
    const [stored] = await system.db
      .select()
      .from(passwordTokens)
      .where(eq(passwordTokens.id, id ?? ''));
    expect(stored?.purpose).toBe('verification');
    expect(stored?.secretHash).toBe(
      createHash('sha256')
        .update(secret ?? '')
        .digest('hex'),
    );
    expect(stored!.expiresAt.getTime() - stored!.createdAt.getTime()).toBeCloseTo(24 * 3_600_000, -4);

    // Opening the link asks; it does not use the link up (mail scanners open links too).
    expect((await client.get(link)).status).toBe(200);
    expect((await client.get(link)).status).toBe(200);
    const verified = await client.submit('/register/verify', { token: tokenOf(link) });
    expect(verified.status).toBe(200);
    expect(verified.html).toContain('Ihre E-Mail-Adresse ist bestätigt');
    expect((await client.submit('/register/verify', { token: tokenOf(link) })).status).toBe(404);

    const before = sessionId(client);
    await client.login(email, PASSWORD);
    // A new session id at login (no fixation).
    expect(sessionId(client)).toBeDefined();
    expect(sessionId(client)).not.toBe(before);
    const account = await client.get('/account');
    expect(account.html).toContain('Muster Maschinenbau GmbH');
    const [user] = await system.db.select().from(users).where(eq(users.email, email));
    const [membership] = await system.db.select().from(memberships).where(eq(memberships.userId, user!.id));
    expect(membership?.role).toBe('owner');
  });

  it('answers an address that has an account exactly like a new one, and mails it that it has an account', async () => {
    const email = DEMO_ACCOUNTS.companyUser.email;
    const before = (await mailsTo(email)).length;
    const client = new WebClient(system.url);
    const fields = { companyName: 'Fremd AG', name: 'Eve', email, password: PASSWORD, repeat: PASSWORD };
    const answer = await register(client, fields);
    const fresh = await register(new WebClient(system.url), { ...fields, email: freshEmail('neu') });
    expect(answer.status).toBe(fresh.status);
    expect(answer.html.replace(/name="_csrf" value="[^"]*"/, '')).toBe(
      fresh.html.replace(/name="_csrf" value="[^"]*"/, ''),
    );
    const mails = await mailsTo(email);
    expect(mails.length).toBe(before + 1);
    expect(mails[0]?.subject).toBe('Sie haben bereits ein Konto');
    expect(mails[0]?.body).not.toContain('token=');
    // The existing account is untouched: its password still works.
    expect(await loginStatus(email, DEMO_PASSWORD)).toBe(303);
  });

  it('refuses an incomplete form with 422, the errors next to the fields and the input kept', async () => {
    const client = new WebClient(system.url);
    const answer = await register(client, {
      companyName: '',
      name: 'Bert <b>Fett</b>',
      email: 'keine-adresse',
      password: 'kurz',
      repeat: 'kurz',
    });
    expect(answer.status).toBe(422);
    expect(answer.html).toContain('id="companyName-error"');
    expect(answer.html).toContain('id="email-error"');
    expect(answer.html).toContain('id="password-error"');
    expect(answer.html).toContain('value="Bert &lt;b&gt;Fett&lt;/b&gt;"');
    expect(answer.html).toContain('value="keine-adresse"');
    expect(answer.html).not.toContain('value="kurz"');
  });

  it('mails in English to a registration made in English', async () => {
    const email = freshEmail('john');
    const client = new WebClient(system.url);
    await client.get('/register?lang=en');
    await client.submit('/register', {
      companyName: 'Acme Ltd',
      name: 'John',
      email,
      password: PASSWORD,
      repeat: PASSWORD,
    });
    const [mail] = await mailsTo(email);
    expect(mail?.subject).toBe('Please confirm your e-mail address');
  });
});

describe('password reset', () => {
  it('mails a one-hour single-use link; the same answer for an unknown address; other sessions end', async () => {
    const { email, client: otherDevice } = await verifiedUser('reset');
    const client = new WebClient(system.url);
    await client.get('/password/forgot');
    const known = await client.submit('/password/forgot', { email });
    const unknownEmail = freshEmail('niemand');
    const unknown = await new WebClient(system.url)
      .get('/password/forgot')
      .then(() => client.submit('/password/forgot', { email: unknownEmail }));
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(known.html).toContain('Wenn zu dieser Adresse ein Konto besteht');
    expect(unknown.html).toContain('Wenn zu dieser Adresse ein Konto besteht');
    expect(await mailsTo(unknownEmail)).toEqual([]);

    const link = await latestLink(email, '/password/reset');
    const [stored] = await system.db
      .select()
      .from(passwordTokens)
      .where(eq(passwordTokens.id, tokenOf(link).split('.')[0] ?? ''));
    expect(stored!.expiresAt.getTime() - stored!.createdAt.getTime()).toBeCloseTo(3_600_000, -4);

    const form = await client.get(link);
    expect(form.status).toBe(200);
    const short = await client.submit('/password/reset', { token: tokenOf(link), password: 'kurz', repeat: 'kurz' });
    expect(short.status).toBe(422);
    expect(short.html).toContain('id="password-error"');
    const reset = await client.submit('/password/reset', {
      token: tokenOf(link),
      password: NEW_PASSWORD,
      repeat: NEW_PASSWORD,
    });
    expect(reset.status).toBe(200);
    expect((await client.get(link)).status).toBe(404);
    expect(await loginStatus(email, PASSWORD)).toBe(401);
    expect(await loginStatus(email, NEW_PASSWORD)).toBe(303);
    // The browser that was logged in meets the login page.
    expect((await otherDevice.get('/account')).headers.get('location')).toMatch(/^\/login/);
  });

  it('answers 404 to a made-up or tampered link', async () => {
    const client = new WebClient(system.url);
    expect((await client.get('/password/reset?token=nonsense')).status).toBe(404);
    expect((await client.get(`/password/reset?token=${randomUUID()}.${'a'.repeat(43)}`)).status).toBe(404);
    expect((await client.get(`/register/verify?token=${randomUUID()}.${'a'.repeat(43)}`)).status).toBe(404);
  });
});

describe('change password and delete account', () => {
  it('changes the password only with the current one, and ends the other sessions but not this one', async () => {
    const { email, client } = await verifiedUser('change');
    const otherDevice = new WebClient(system.url);
    await otherDevice.login(email, PASSWORD);
    await client.get('/account');
    const wrong = await client.submit('/account/password', {
      current: 'falsch',
      password: NEW_PASSWORD,
      repeat: NEW_PASSWORD,
    });
    expect(wrong.status).toBe(422);
    expect(wrong.html).toContain('id="current-error"');
    const changed = await client.submit('/account/password', {
      current: PASSWORD,
      password: NEW_PASSWORD,
      repeat: NEW_PASSWORD,
    });
    expect(changed.status).toBe(303);
    expect((await client.get('/account?changed=1')).status).toBe(200);
    expect((await otherDevice.get('/account')).status).toBe(303);
    expect(await loginStatus(email, NEW_PASSWORD)).toBe(303);
  });

  it('deletes the own account after the password; the company keeps its data; the last owner hands over first', async () => {
    const { email, client } = await verifiedUser('owner');
    const [owner] = await system.db.select().from(users).where(eq(users.email, email));
    const [ownership] = await system.db.select().from(memberships).where(eq(memberships.userId, owner!.id));
    // A colleague in the same company (invitations are another part of the portal).
    const colleagueEmail = freshEmail('kollege');
    const [colleague] = await system.db
      .insert(users)
      .values({ email: colleagueEmail, name: 'Kollege', passwordHash: '!none' })
      .returning();
    await system.db
      .insert(memberships)
      .values({ userId: colleague!.id, companyId: ownership!.companyId, role: 'member' });

    await client.get('/account/delete');
    const wrong = await client.submit('/account/delete', { password: 'falsch' });
    expect(wrong.status).toBe(422);
    const lastOwner = await client.submit('/account/delete', { password: PASSWORD });
    expect(lastOwner.status).toBe(422);
    expect(lastOwner.html).toContain('Machen Sie zuerst ein anderes Mitglied zum Inhaber');

    await system.db
      .update(memberships)
      .set({ role: 'owner' })
      .where(and(eq(memberships.userId, colleague!.id), eq(memberships.companyId, ownership!.companyId)));
    const deleted = await client.submit('/account/delete', { password: PASSWORD });
    expect(deleted.status).toBe(303);
    expect(deleted.headers.get('location')).toBe('/account/deleted');
    expect((await client.get('/account')).status).toBe(303);
    expect(await loginStatus(email, PASSWORD)).toBe(401);
    const [erased] = await system.db.select().from(users).where(eq(users.id, owner!.id));
    expect(erased?.email).not.toBe(email);
    expect(erased?.name).not.toBe('owner');
    const remaining = await system.db.select().from(memberships).where(eq(memberships.companyId, ownership!.companyId));
    expect(remaining.map((row) => row.userId)).toEqual([colleague!.id]);
  });
});

describe('session rules', () => {
  it('sends authenticated pages with Cache-Control: no-store', async () => {
    const { client } = await verifiedUser('cache');
    expect((await client.get('/account')).headers.get('cache-control')).toBe('no-store');
  });

  it('ends a session idle for longer than SESSION_IDLE_MINUTES, and one older than SESSION_ABSOLUTE_HOURS', async () => {
    for (const [field, ago] of [
      ['lastSeenAt', 31 * 60_000],
      ['signedInAt', 12 * 3_600_000 + 60_000],
    ] as const) {
      const { client } = await verifiedUser(field.toLowerCase());
      expect((await client.get('/account')).status).toBe(200);
      const sid =
        decodeURIComponent(sessionId(client) ?? '')
          .replace(/^s:/, '')
          .split('.')[0] ?? '';
      await system.db
        .update(sessions)
        .set({
          sess: sql`jsonb_set(${sessions.sess}::jsonb, ${`{${field}}`}, to_jsonb(${Date.now() - ago}::bigint))::json`,
        })
        .where(eq(sessions.sid, sid));
      const after = await client.get('/account');
      expect(after.status).toBe(303);
      expect(after.headers.get('location')).toMatch(/^\/login/);
    }
  });

  it('refuses a state-changing request from another origin even with a valid CSRF token', async () => {
    const { client } = await verifiedUser('origin');
    await client.get('/account');
    const csrf = client.hidden('_csrf') ?? '';
    const post = (headers: Record<string, string>) =>
      fetch(new URL('/account/password', system.url), {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: client.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams({ _csrf: csrf, current: 'falsch', password: NEW_PASSWORD, repeat: NEW_PASSWORD }),
      });
    expect((await post({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await post({ referer: 'https://evil.example/page' })).status).toBe(403);
    expect((await post({ origin: 'null' })).status).toBe(403);
    // Its own origin and PUBLIC_URL pass on to the route (which answers the wrong password with 422).
    expect((await post({ origin: new URL(system.url).origin })).status).toBe(422);
    expect((await post({ origin: 'https://portal.kreis.example' })).status).toBe(422);
    expect((await post({})).status).toBe(422);
  });
});
