import { createHash, randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxMails, passwordTokens, staff } from '../../engine/db/schema.js';
import { createLogger } from '../../engine/log/logger.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { WebClient } from '../browserless-client.js';
import { startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

let system: System;
let admin: WebClient;
const NEW_PASSWORD = 'Ein-neues-Passwort-2026';
/** Every line the system logs, at debug level: no set-password token and no password may be among them. */
const logLines: string[] = [];

beforeAll(async () => {
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => logLines.push(line) } });
  system = await startTestSystem({ PUBLIC_URL }, logger);
  admin = new WebClient(system.url);
  await admin.login(DEMO_ACCOUNTS.administrator.email, DEMO_PASSWORD, true);
});

afterAll(async () => {
  await system?.stop();
});

/** An address no other test file uses. */
/** Mailed links point here, whatever Host header the administrator's request carried. */
const PUBLIC_URL = 'https://service.kreis.example/';

const freshEmail = (who: string) => `${who}.${randomUUID().slice(0, 8)}@amt.example`;

/** The latest set-password link mailed to `email`, read from the outbox (the mail catcher of the test system). */
async function latestLink(email: string): Promise<string> {
  const [mail] = await system.db
    .select()
    .from(outboxMails)
    .where(eq(outboxMails.recipient, email))
    .orderBy(desc(outboxMails.createdAt))
    .limit(1);
  const link = /https:\/\/service\.kreis\.example\/staff\/password\?token=(\S+)/.exec(mail?.body ?? '');
  if (!link?.[1]) throw new Error(`no set-password link mailed to ${email}`);
  return `/staff/password?token=${link[1]}`;
}

const tokenOf = (link: string) => new URL(link, 'http://x').searchParams.get('token') ?? '';

async function staffIdOf(email: string): Promise<string> {
  const [row] = await system.db.select({ id: staff.id }).from(staff).where(eq(staff.email, email));
  if (!row) throw new Error(`no account ${email}`);
  return row.id;
}

/** Creates an account through the page as the administrator (checkboxes may repeat a field); answers its id. */
async function createAccount(email: string, fields: { roles?: string[]; groups?: string[] } = {}) {
  await admin.get('/staff/admin/staff/new');
  const body = new URLSearchParams({ _csrf: admin.hidden('_csrf') ?? '', name: 'Eva Stein', email });
  for (const role of fields.roles ?? ['caseworker']) body.append('roles', role);
  for (const group of fields.groups ?? ['bauamt']) body.append('groups', group);
  const created = await fetch(new URL('/staff/admin/staff', system.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: admin.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  expect(created.status).toBe(303);
  return staffIdOf(email);
}

/** A person who set their password through their mailed link and is logged in. */
async function activatedPerson(email: string) {
  await createAccount(email);
  const person = new WebClient(system.url);
  await person.get(await latestLink(email));
  const set = await person.submit('/staff/password', {
    token: person.hidden('token') ?? '',
    password: NEW_PASSWORD,
    repeat: NEW_PASSWORD,
  });
  expect(set.status).toBe(200);
  await person.login(email, NEW_PASSWORD, true);
  return person;
}

describe('staff administration is for administrators only', () => {
  it('a caseworker gets 404 on every admin page and action; a visitor is sent to the login', async () => {
    const caseworker = new WebClient(system.url);
    await caseworker.login(DEMO_ACCOUNTS.caseworker.email, DEMO_PASSWORD, true);
    const someone = await staffIdOf(DEMO_ACCOUNTS.buildingAuthority.email);
    for (const path of [
      '/staff/admin',
      '/staff/admin/staff/new',
      `/staff/admin/staff/${someone}`,
      '/staff/admin/groups',
      '/staff/admin/groups/bauamt',
    ])
      expect((await caseworker.get(path)).status, path).toBe(404);
    await caseworker.get('/staff/profile');
    for (const path of [`/staff/admin/staff/${someone}/disable`, `/staff/admin/staff/${someone}/reset-password`])
      expect((await caseworker.submit(path, {})).status, path).toBe(404);
    const visitor = await new WebClient(system.url).get('/staff/admin');
    expect(visitor.status).toBe(303);
    expect(visitor.headers.get('location')).toBe('/staff/login?next=%2Fstaff%2Fadmin');
  });

  it('unknown or malformed ids are 404', async () => {
    for (const path of [
      `/staff/admin/staff/${randomUUID()}`,
      '/staff/admin/staff/not-a-uuid',
      '/staff/admin/groups/no-such-group',
      '/staff/admin/groups/NOT%20A%20SLUG',
    ])
      expect((await admin.get(path)).status, path).toBe(404);
    await admin.get('/staff/admin');
    expect((await admin.submit(`/staff/admin/staff/${randomUUID()}/disable`, {})).status).toBe(404);
    expect((await admin.submit('/staff/admin/groups/no-such-group', { name: 'X' })).status).toBe(404);
  });

  it('a POST without the CSRF token changes nothing (403)', async () => {
    const target = await createAccount(freshEmail('csrf'));
    const refused = await admin.post(`/staff/admin/staff/${target}/disable`, {});
    expect(refused.status).toBe(403);
    const [row] = await system.db.select().from(staff).where(eq(staff.id, target));
    expect(row?.disabledAt).toBeNull();
  });
});

describe('the staff list', () => {
  it('shows name, e-mail, groups, roles, status and absence of each account', async () => {
    const page = await admin.get('/staff/admin');
    expect(page.status).toBe(200);
    expect(page.html).toContain('<caption>');
    expect(page.html).toContain(DEMO_ACCOUNTS.caseworker.email);
    expect(page.html).toContain('Bauamt');
    expect(page.html).toContain('Sachbearbeitung');
    expect(page.html).toContain('Aktiv');
  });
});

describe('creating an account', () => {
  it('shows each problem next to its field and keeps what was typed', async () => {
    await admin.get('/staff/admin/staff/new');
    const refused = await admin.submit('/staff/admin/staff', { name: '', email: 'kein-at-zeichen' });
    expect(refused.status).toBe(422);
    expect(refused.html).toMatch(/id="name-error">Bitte geben Sie einen Namen an\./);
    expect(refused.html).toMatch(/id="email-error">Bitte geben Sie eine gültige E-Mail-Adresse an\./);
    expect(refused.html).toContain('Bitte wählen Sie mindestens eine Rolle.');
    expect(refused.html).toContain('value="kein-at-zeichen"');
    const taken = await admin.submit('/staff/admin/staff', {
      name: 'Doppelt',
      email: DEMO_ACCOUNTS.caseworker.email,
      roles: 'caseworker',
    });
    expect(taken.status).toBe(422);
    expect(taken.html).toContain('Diese E-Mail-Adresse gehört schon zu einem anderen Konto.');
    expect(taken.html).toContain('value="Doppelt"');
  });

  it('mails a single-use link (stored hashed) that sets the password; the person then logs in', async () => {
    const email = freshEmail('eva');
    const id = await createAccount(email, { roles: ['caseworker', 'team_lead'], groups: ['bauamt', 'umweltamt'] });
    const [account] = await system.db.select().from(staff).where(eq(staff.id, id));
    expect(account?.roles).toEqual(['caseworker', 'team_lead']);
    // No password was typed: until the link is used, none works.
    await expect(new WebClient(system.url).login(email, 'irgendein-Passwort', true)).rejects.toThrow(/401/);

    const link = await latestLink(email);
    const [stored] = await system.db
      .select()
      .from(passwordTokens)
      .where(and(eq(passwordTokens.principalKind, 'staff'), eq(passwordTokens.principalId, id)));
    const secret = tokenOf(link).split('.')[1] ?? '';
    expect(stored?.secretHash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(stored?.secretHash).not.toContain(secret);
    const hoursValid = ((stored?.expiresAt.getTime() ?? 0) - (stored?.createdAt.getTime() ?? 0)) / 3_600_000;
    expect(hoursValid).toBeGreaterThan(23.9);
    expect(hoursValid).toBeLessThan(24.1);

    const person = new WebClient(system.url);
    const page = await person.get(link);
    expect(page.status).toBe(200);
    expect(page.html).toContain(email);
    const mismatch = await person.submit('/staff/password', {
      token: person.hidden('token') ?? '',
      password: NEW_PASSWORD,
      repeat: 'etwas anderes',
    });
    expect(mismatch.status).toBe(422);
    expect(mismatch.html).toContain('Die beiden Eingaben stimmen nicht überein.');
    const tooShort = await person.submit('/staff/password', {
      token: person.hidden('token') ?? '',
      password: 'kurz',
      repeat: 'kurz',
    });
    expect(tooShort.status).toBe(422);
    const set = await person.submit('/staff/password', {
      token: person.hidden('token') ?? '',
      password: NEW_PASSWORD,
      repeat: NEW_PASSWORD,
    });
    expect(set.status).toBe(200);
    expect(set.html).toContain('Ihr Passwort ist festgelegt.');

    // Once only.
    expect((await new WebClient(system.url).get(link)).status).toBe(404);
    const again = new WebClient(system.url);
    await again.get('/staff/login');
    const reused = await again.submit('/staff/password', {
      token: tokenOf(link),
      password: 'Noch-ein-Passwort-2026',
      repeat: 'Noch-ein-Passwort-2026',
    });
    expect(reused.status).toBe(404);

    const login = await new WebClient(system.url).login(email, NEW_PASSWORD, true);
    expect(login.status).toBe(303);

    // Neither the link's secret nor the password reached a log line.
    expect(logLines.filter((line) => line.includes(secret) || line.includes(NEW_PASSWORD))).toEqual([]);
  });

  it('refuses an expired link, a forged secret and a malformed token', async () => {
    const email = freshEmail('abgelaufen');
    const id = await createAccount(email);
    const link = await latestLink(email);
    const [tokenId, secret] = tokenOf(link).split('.');
    const forged = `/staff/password?token=${tokenId}.${secret?.startsWith('A') ? 'B' : 'A'}${secret?.slice(1)}`;
    expect((await new WebClient(system.url).get(forged)).status).toBe(404);
    expect((await new WebClient(system.url).get('/staff/password?token=nonsense')).status).toBe(404);
    expect((await new WebClient(system.url).get(link)).status).toBe(200);
    await system.db
      .update(passwordTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(passwordTokens.principalId, id));
    const expired = await new WebClient(system.url).get(link);
    expect(expired.status).toBe(404);
    expect(expired.html).toContain('abgelaufen');
  });
});

describe('the outbox page and set-password mails', () => {
  it('shows the link while the outbox is where mail ends, and masks it once the mail was delivered', async () => {
    const email = freshEmail('postausgang');
    await createAccount(email);
    const secret = tokenOf(await latestLink(email)).split('.')[1] ?? '';
    expect((await admin.get('/staff/outbox')).html).toContain(secret);
    // As the mailer does after an SMTP delivery.
    await system.db.update(outboxMails).set({ sentAt: new Date() }).where(eq(outboxMails.recipient, email));
    const page = await admin.get('/staff/outbox');
    expect(page.html).toContain(email);
    expect(page.html).not.toContain(secret);
  });
});

describe('disabling, enabling, resetting', () => {
  it('disabling ends the person’s session at once; they cannot log in until enabled again', async () => {
    const email = freshEmail('deaktiviert');
    const person = await activatedPerson(email);
    const id = await staffIdOf(email);
    expect((await person.get('/staff/profile')).status).toBe(200);

    await admin.get(`/staff/admin/staff/${id}`);
    const disabled = await admin.submit(`/staff/admin/staff/${id}/disable`, {});
    expect(disabled.status).toBe(303);
    const next = await person.get('/staff/profile');
    expect(next.status).toBe(303);
    expect(next.headers.get('location')).toContain('/staff/login');
    await expect(new WebClient(system.url).login(email, NEW_PASSWORD, true)).rejects.toThrow(/401/);
    expect((await admin.get(`/staff/admin/staff/${id}`)).html).toContain('Deaktiviert');

    await admin.submit(`/staff/admin/staff/${id}/enable`, {});
    expect((await new WebClient(system.url).login(email, NEW_PASSWORD, true)).status).toBe(303);
  });

  it('a reset ends the sessions, stops the old password and mails a new link', async () => {
    const email = freshEmail('reset');
    const person = await activatedPerson(email);
    const id = await staffIdOf(email);
    const firstLink = await latestLink(email);

    await admin.get(`/staff/admin/staff/${id}`);
    expect((await admin.submit(`/staff/admin/staff/${id}/reset-password`, {})).status).toBe(303);
    expect((await person.get('/staff/profile')).status).toBe(303);
    await expect(new WebClient(system.url).login(email, NEW_PASSWORD, true)).rejects.toThrow(/401/);

    const newLink = await latestLink(email);
    expect(newLink).not.toBe(firstLink);
    const again = new WebClient(system.url);
    await again.get(newLink);
    const changed = 'Nach-dem-Reset-2026';
    expect(
      (
        await again.submit('/staff/password', {
          token: again.hidden('token') ?? '',
          password: changed,
          repeat: changed,
        })
      ).status,
    ).toBe(200);
    expect((await new WebClient(system.url).login(email, changed, true)).status).toBe(303);
  });

  it('changing someone’s roles ends their sessions (a session carries the roles as at login)', async () => {
    const email = freshEmail('rollen');
    const person = await activatedPerson(email);
    const id = await staffIdOf(email);
    await admin.get(`/staff/admin/staff/${id}`);
    const saved = await admin.submit(`/staff/admin/staff/${id}`, {
      name: 'Eva Stein',
      email,
      roles: 'service_designer',
      groups: 'bauamt',
    });
    expect(saved.status).toBe(303);
    expect((await person.get('/staff/profile')).status).toBe(303);
    const [row] = await system.db.select().from(staff).where(eq(staff.id, id));
    expect(row?.roles).toEqual(['service_designer']);
  });

  it('an administrator cannot disable themselves or remove their own administrator role', async () => {
    const selfAdmin = new WebClient(system.url);
    await selfAdmin.login(DEMO_ACCOUNTS.administrator.email, DEMO_PASSWORD, true);
    const ownId = await staffIdOf(DEMO_ACCOUNTS.administrator.email);
    const page = await selfAdmin.get(`/staff/admin/staff/${ownId}`);
    expect(page.html).not.toContain(`/staff/admin/staff/${ownId}/disable`);

    const disable = await selfAdmin.submit(`/staff/admin/staff/${ownId}/disable`, {});
    expect(disable.status).toBe(422);
    expect(disable.html).toContain('Sie können Ihr eigenes Konto nicht deaktivieren.');

    const demote = await selfAdmin.submit(`/staff/admin/staff/${ownId}`, {
      name: DEMO_ACCOUNTS.administrator.name,
      email: DEMO_ACCOUNTS.administrator.email,
      roles: 'caseworker',
      groups: 'wirtschaftsfoerderung',
    });
    expect(demote.status).toBe(422);
    expect(demote.html).toContain('Sie können sich die Rolle Administration nicht selbst entziehen.');
    const [row] = await system.db.select().from(staff).where(eq(staff.id, ownId));
    expect(row?.disabledAt).toBeNull();
    expect(row?.roles).toContain('administrator');
    // Still logged in, still an administrator.
    expect((await selfAdmin.get('/staff/admin')).status).toBe(200);
  });
});

describe('groups', () => {
  it('are created with a slug and a name, renamed, and given members', async () => {
    const groupId = `test-${randomUUID().slice(0, 8)}`;
    await admin.get('/staff/admin/groups');
    const invalid = await admin.submit('/staff/admin/groups', { id: 'Mit Leerzeichen', name: '' });
    expect(invalid.status).toBe(422);
    expect(invalid.html).toContain('Die Kennung besteht aus');
    expect(invalid.html).toContain('value="Mit Leerzeichen"');
    const taken = await admin.submit('/staff/admin/groups', { id: 'bauamt', name: 'Noch ein Bauamt' });
    expect(taken.status).toBe(422);
    expect(taken.html).toContain('Diese Kennung ist schon vergeben.');

    const created = await admin.submit('/staff/admin/groups', { id: groupId, name: 'Testgruppe' });
    expect(created.status).toBe(303);
    expect(created.headers.get('location')).toBe(`/staff/admin/groups/${groupId}?done=groupCreated`);

    await admin.get(`/staff/admin/groups/${groupId}`);
    expect((await admin.submit(`/staff/admin/groups/${groupId}`, { name: '' })).status).toBe(422);
    expect((await admin.submit(`/staff/admin/groups/${groupId}`, { name: 'Umbenannt' })).status).toBe(303);

    const email = freshEmail('mitglied');
    const person = await activatedPerson(email);
    const memberId = await staffIdOf(email);
    await admin.get(`/staff/admin/groups/${groupId}`);
    expect((await admin.submit(`/staff/admin/groups/${groupId}/members`, { members: randomUUID() })).status).toBe(422);
    expect((await admin.submit(`/staff/admin/groups/${groupId}/members`, { members: memberId })).status).toBe(303);
    const page = await admin.get(`/staff/admin/groups/${groupId}`);
    expect(page.html).toContain('Umbenannt');
    expect(page.html).toMatch(new RegExp(`id="member-${memberId}" name="members" value="${memberId}" checked`));
    // Joining a group changes what the person sees: they log in again to get it.
    expect((await person.get('/staff/profile')).status).toBe(303);
    const relogged = new WebClient(system.url);
    await relogged.login(email, NEW_PASSWORD, true);
    expect((await relogged.get('/staff/profile')).html).toContain('Umbenannt');
  });
});

describe('the profile', () => {
  it('shows the own account, changes the own password (ending other sessions) after checking the current one', async () => {
    const email = freshEmail('profil');
    const person = await activatedPerson(email);
    const otherBrowser = new WebClient(system.url);
    await otherBrowser.login(email, NEW_PASSWORD, true);

    const page = await person.get('/staff/profile');
    expect(page.html).toContain(email);
    expect(page.html).toContain('Bauamt');
    expect(page.html).toContain('Sachbearbeitung');

    const wrong = await person.submit('/staff/profile/password', {
      current: 'falsch',
      password: 'Ganz-neu-2026-xyz',
      repeat: 'Ganz-neu-2026-xyz',
    });
    expect(wrong.status).toBe(422);
    expect(wrong.html).toContain('Das aktuelle Passwort ist falsch.');
    const changed = await person.submit('/staff/profile/password', {
      current: NEW_PASSWORD,
      password: 'Ganz-neu-2026-xyz',
      repeat: 'Ganz-neu-2026-xyz',
    });
    expect(changed.status).toBe(303);
    expect((await person.get('/staff/profile')).status).toBe(200);
    expect((await otherBrowser.get('/staff/profile')).status).toBe(303);
    expect((await new WebClient(system.url).login(email, 'Ganz-neu-2026-xyz', true)).status).toBe(303);
  });

  it('stores an out-of-office period with a substitute from a shared group, and clears it', async () => {
    const email = freshEmail('urlaub');
    const person = await activatedPerson(email);
    const id = await staffIdOf(email);
    const colleague = await staffIdOf(DEMO_ACCOUNTS.buildingAuthority.email);
    const stranger = await staffIdOf(DEMO_ACCOUNTS.environmentAgency.email);

    const page = await person.get('/staff/profile');
    expect(page.html).toContain(`value="${colleague}"`);
    expect(page.html).not.toContain(`value="${stranger}"`);

    const refused = await person.submit('/staff/profile/away', {
      awayFrom: '2099-01-10',
      awayUntil: '2099-01-05',
      substituteId: stranger,
    });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('Das Ende liegt vor dem Beginn.');
    expect(refused.html).toContain('Bitte wählen Sie eine Vertretung aus Ihren Gruppen.');
    expect(refused.html).toContain('value="2099-01-10"');

    const saved = await person.submit('/staff/profile/away', {
      awayFrom: '2099-01-05',
      awayUntil: '2099-01-10',
      substituteId: colleague,
    });
    expect(saved.status).toBe(303);
    const [row] = await system.db.select().from(staff).where(eq(staff.id, id));
    expect(row).toMatchObject({ awayFrom: '2099-01-05', awayUntil: '2099-01-10', substituteId: colleague });
    expect((await admin.get('/staff/admin')).html).toMatch(
      /Geplant\s+05\.01\.2099 – 10\.01\.2099, Vertretung: Lena Koch/,
    );

    await person.get('/staff/profile');
    expect((await person.submit('/staff/profile/away/clear', {})).status).toBe(303);
    const [cleared] = await system.db.select().from(staff).where(eq(staff.id, id));
    expect(cleared).toMatchObject({ awayFrom: null, awayUntil: null, substituteId: null });
  });
});
