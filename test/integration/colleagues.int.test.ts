import { createHash, randomUUID } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyInvites, outboxMails } from '../../engine/db/schema.js';
import { WebClient } from '../browserless-client.js';
import { newApplicant, submitGeneralInquiry } from '../journeys.js';
import { startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

/** Mailed links point here, whatever Host header the owner's request carried. */
const PUBLIC_URL = 'https://portal.kreis.example/';
const PASSWORD = 'Ein-gutes-Passwort-2026';

let system: System;

beforeAll(async () => {
  system = await startTestSystem({ DATA_DIR: `/tmp/lotse-test-colleagues-${randomUUID()}`, PUBLIC_URL });
});

afterAll(async () => {
  await system?.stop();
});

const freshEmail = (who: string) => `${who}.${randomUUID().slice(0, 8)}@firma.example`;

/** The latest invite mailed to `email`, from the outbox (the mail catcher of the test system). */
async function latestInvite(email: string) {
  const [mail] = await system.db
    .select()
    .from(outboxMails)
    .where(eq(outboxMails.recipient, email))
    .orderBy(desc(outboxMails.createdAt))
    .limit(1);
  const token = /https:\/\/portal\.kreis\.example\/invite\?token=(\S+)/.exec(mail?.body ?? '')?.[1];
  if (!mail || !token) throw new Error(`no invite mailed to ${email}`);
  return { mail, token };
}

/** The owner invites `email` and the invitee accepts with a name and password; answers the invitee's client. */
async function inviteAndAccept(owner: WebClient, email: string, name: string, role = 'member') {
  await owner.get('/account/colleagues');
  const invited = await owner.submit('/account/colleagues/invite', { email, role });
  expect(invited.status).toBe(303);
  const { token } = await latestInvite(email);
  const invitee = new WebClient(system.url);
  await invitee.get(`/invite?token=${token}`);
  const joined = await invitee.submit('/invite', { token, name, password: PASSWORD, repeat: PASSWORD });
  expect(joined.status).toBe(303);
  expect(joined.headers.get('location')).toBe('/cases');
  return invitee;
}

/** The member's user id, from their row of the colleagues table (owner's view). */
const userIdOf = (html: string, name: string) => {
  const row = html.split('<tr>').find((cells) => new RegExp(`<td[^>]*>${name}[ <]`).test(cells));
  return row && /\/account\/colleagues\/([0-9a-f-]{36})\/remove/.exec(row)?.[1];
};

describe('colleagues', () => {
  it('an owner invites by a single-use link mailed in their language with PUBLIC_URL; the invitee joins and sees the company’s cases', async () => {
    const owner = await newApplicant(system);
    const caseId = await submitGeneralInquiry(owner.client, 'Gemeinsamer Vorgang');
    const email = freshEmail('lena');

    await owner.client.get('/account/colleagues');
    expect((await owner.client.submit('/account/colleagues/invite', { email, role: 'member' })).status).toBe(303);
    const { mail, token } = await latestInvite(email);
    expect(mail.subject).toBe(`Einladung zu ${owner.companyName} bei Lotse`);
    expect(mail.body).toContain('Paula Planer lädt Sie ein');
    // Only the secret's hash is stored.
    const [stored] = await system.db.select().from(companyInvites).where(eq(companyInvites.email, email));
    const secret = token.split('.')[1] ?? '';
    expect(stored?.secretHash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(secret);

    const listed = await owner.client.get('/account/colleagues');
    expect(listed.html).toContain(email);

    const invitee = new WebClient(system.url);
    const page = await invitee.get(`/invite?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(owner.companyName);
    // Bad input: 422, the name kept, the error at the field.
    const short = await invitee.submit('/invite', { token, name: 'Lena Lang', password: 'kurz', repeat: 'kurz' });
    expect(short.status).toBe(422);
    expect(short.html).toContain('value="Lena Lang"');
    expect(short.html).toContain('id="password-error"');
    const joined = await invitee.submit('/invite', { token, name: 'Lena Lang', password: PASSWORD, repeat: PASSWORD });
    expect(joined.status).toBe(303);

    const cases = await invitee.get('/cases');
    expect(cases.html).toContain('Gemeinsamer Vorgang');
    expect((await invitee.get(`/cases/${caseId}`)).status).toBe(200);
    const team = await invitee.get('/account/colleagues');
    expect(team.html).toContain('Lena Lang');
    expect(team.html).toContain('Paula Planer');
    expect(team.html).not.toContain('action="/account/colleagues/invite"');

    // Single use: the link opens nothing any more, and cannot make a second account.
    expect((await new WebClient(system.url).get(`/invite?token=${token}`)).status).toBe(404);
    const again = new WebClient(system.url);
    await again.get('/login');
    const reused = await again.submit('/invite', { token, name: 'X', password: PASSWORD, repeat: PASSWORD });
    expect(reused.status).toBe(404);
    // The new colleague signs in with their password.
    const later = new WebClient(system.url);
    await later.login(email, PASSWORD);
    expect((await later.get('/cases')).html).toContain('Gemeinsamer Vorgang');
  });

  it('the invite mail is in the inviter’s language', async () => {
    const owner = await newApplicant(system);
    const email = freshEmail('john');
    await owner.client.get('/account/colleagues?lang=en');
    expect((await owner.client.submit('/account/colleagues/invite?lang=en', { email, role: 'member' })).status).toBe(
      303,
    );
    const { mail } = await latestInvite(email);
    expect(mail.subject).toBe(`Invitation to ${owner.companyName} on Lotse`);
    expect(mail.body).toContain('Paula Planer invites you');
  });

  it('bad invites answer 422 with the input kept; an e-mail that has an account is refused', async () => {
    const owner = await newApplicant(system);
    const other = await newApplicant(system);
    await owner.client.get('/account/colleagues');
    const invalid = await owner.client.submit('/account/colleagues/invite', {
      email: 'kein-at-zeichen',
      role: 'owner',
    });
    expect(invalid.status).toBe(422);
    expect(invalid.html).toContain('value="kein-at-zeichen"');
    expect(invalid.html).toContain('id="email-error"');
    expect(invalid.html).toMatch(/id="role-owner" name="role" value="owner" checked/);
    const taken = await owner.client.submit('/account/colleagues/invite', { email: other.email, role: 'member' });
    expect(taken.status).toBe(422);
    expect(taken.html).toContain('bereits ein Konto');
  });

  it('a wrong or tampered link opens nothing', async () => {
    const client = new WebClient(system.url);
    expect((await client.get('/invite?token=nonsense')).status).toBe(404);
    const owner = await newApplicant(system);
    const email = freshEmail('eve');
    await owner.client.get('/account/colleagues');
    await owner.client.submit('/account/colleagues/invite', { email, role: 'member' });
    const { token } = await latestInvite(email);
    const [id] = token.split('.');
    expect((await client.get(`/invite?token=${id}.${'A'.repeat(43)}`)).status).toBe(404);
  });

  it('owners change roles and remove members (ending their sessions), never the last owner; members manage nothing', async () => {
    const owner = await newApplicant(system);
    const member = await inviteAndAccept(owner.client, freshEmail('max'), 'Max Muster');
    let page = await owner.client.get('/account/colleagues');
    const memberId = userIdOf(page.html, 'Max Muster');
    const ownerId = userIdOf(page.html, 'Paula Planer');
    expect(memberId).toBeDefined();
    expect(ownerId).toBeDefined();

    // The only owner cannot step down or leave.
    const demote = await owner.client.submit(`/account/colleagues/${ownerId}/role`, { role: 'member' });
    expect(demote.status).toBe(422);
    expect(demote.html).toContain('mindestens eine Inhaberin');
    page = await owner.client.get('/account/colleagues');
    expect((await owner.client.submit(`/account/colleagues/${ownerId}/remove`, {})).status).toBe(422);

    // A member may not invite, change roles or remove others.
    await member.get('/account/colleagues');
    expect((await member.submit('/account/colleagues/invite', { email: freshEmail('x'), role: 'owner' })).status).toBe(
      403,
    );
    expect((await member.submit(`/account/colleagues/${ownerId}/role`, { role: 'member' })).status).toBe(403);
    expect((await member.submit(`/account/colleagues/${ownerId}/remove`, {})).status).toBe(403);

    // Promoted, the member is an owner; then the first owner may step down.
    await owner.client.get('/account/colleagues');
    expect((await owner.client.submit(`/account/colleagues/${memberId}/role`, { role: 'owner' })).status).toBe(303);
    page = await owner.client.get('/account/colleagues?done=role');
    expect(page.html).toContain('Die Rolle wurde geändert.');
    expect((await owner.client.submit(`/account/colleagues/${memberId}/role`, { role: 'member' })).status).toBe(303);

    // Removed: the member's session ends at once, and their login no longer works.
    expect((await owner.client.get('/account/colleagues')).status).toBe(200);
    expect((await owner.client.submit(`/account/colleagues/${memberId}/remove`, {})).status).toBe(303);
    const after = await member.get('/cases');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toMatch(/^\/login/);
    expect((await owner.client.get('/account/colleagues')).html).not.toContain('Max Muster');
  });

  it('another company’s member and invite ids answer 404 (IDOR)', async () => {
    const owner = await newApplicant(system);
    const stranger = await newApplicant(system);
    await inviteAndAccept(owner.client, freshEmail('ida'), 'Ida Intern');
    const email = freshEmail('open');
    await owner.client.get('/account/colleagues');
    await owner.client.submit('/account/colleagues/invite', { email, role: 'member' });
    const page = await owner.client.get('/account/colleagues');
    const memberId = userIdOf(page.html, 'Ida Intern');
    const inviteId = /\/account\/colleagues\/invites\/([0-9a-f-]{36})\/withdraw/.exec(page.html)?.[1];
    expect(memberId).toBeDefined();
    expect(inviteId).toBeDefined();

    await stranger.client.get('/account/colleagues');
    expect((await stranger.client.submit(`/account/colleagues/${memberId}/role`, { role: 'owner' })).status).toBe(404);
    expect((await stranger.client.submit(`/account/colleagues/${memberId}/remove`, {})).status).toBe(404);
    expect((await stranger.client.submit(`/account/colleagues/invites/${inviteId}/withdraw`, {})).status).toBe(404);
    expect((await stranger.client.submit('/account/colleagues/not-an-id/remove', {})).status).toBe(404);
    // Nothing changed for the owner's company.
    const still = await owner.client.get('/account/colleagues');
    expect(still.html).toContain('Ida Intern');
    expect(still.html).toContain(email);
    // The owner withdraws; the link then opens nothing.
    const { token } = await latestInvite(email);
    expect((await owner.client.submit(`/account/colleagues/invites/${inviteId}/withdraw`, {})).status).toBe(303);
    expect((await new WebClient(system.url).get(`/invite?token=${token}`)).status).toBe(404);
  });

  it('refuses an owner action without the CSRF token', async () => {
    const owner = await newApplicant(system);
    const email = freshEmail('csrf');
    const refused = await owner.client.post('/account/colleagues/invite', { email, role: 'member' });
    expect(refused.status).toBe(403);
    const mails = await system.db.select().from(outboxMails).where(eq(outboxMails.recipient, email));
    expect(mails).toHaveLength(0);
  });
});
