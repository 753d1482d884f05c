import { randomUUID } from 'node:crypto';
import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../engine/case/information-request.js';
import { agencyToday } from '../../engine/case/today.js';
import { memberships, outboxMails, users } from '../../engine/db/schema.js';
import { hashPassword } from '../../engine/services/auth.service.js';
import { NOTIFICATION_SWEEP_WORKFLOW } from '../../engine/temporal/notification-schedule.js';
import { WebClient } from '../browserless-client.js';
import { completedCase, demoCaseworker, newApplicant, openTaskOf, submitGeneralInquiry } from '../journeys.js';
import { eventually, startTestSystem } from '../system.js';
import { startMailCatcher } from '../mail-catcher.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

const PUBLIC_URL = 'https://portal.kreis.example';
const PASSWORD = 'Ein-sicheres-Passwort-2026';

let catcher: Awaited<ReturnType<typeof startMailCatcher>>;
let system: System;
/** Paula, the owner: German, no mails about messages. */
let owner: { client: WebClient; email: string; userId: string };
/** Erik, a colleague: English, every notification. */
let colleague: { client: WebClient; email: string; userId: string };

beforeAll(async () => {
  catcher = await startMailCatcher();
  system = await startTestSystem({ SMTP_URL: catcher.url, PUBLIC_URL: `${PUBLIC_URL}/` });
  const applicant = await newApplicant(system);
  const [ownerRow] = await system.db.select().from(users).where(eq(users.email, applicant.email));
  if (!ownerRow) throw new Error('no owner');
  owner = { client: applicant.client, email: applicant.email, userId: ownerRow.id };
  const email = `colleague-${randomUUID()}@example.com`;
  const [row] = await system.db
    .insert(users)
    .values({ email, name: 'Erik Engel', passwordHash: await hashPassword(PASSWORD) })
    .returning();
  if (!row) throw new Error('no colleague');
  await system.db.insert(memberships).values({ userId: row.id, companyId: applicant.companyId, role: 'member' });
  const client = new WebClient(system.url);
  await client.login(email, PASSWORD);
  colleague = { client, email, userId: row.id };
});

afterAll(async () => {
  await system?.stop();
  await catcher?.stop();
});

/** Posts the settings form as a browser does: `receive` once per ticked box. */
async function saveSettings(client: WebClient, fields: [string, string][], csrf = true) {
  await client.get('/account/notifications');
  const body = new URLSearchParams(fields);
  const token = client.hidden('_csrf');
  if (csrf && token) body.append('_csrf', token);
  const response = await fetch(`${system.url}/account/notifications`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: client.cookieHeader() },
    body: body.toString(),
    redirect: 'manual',
  });
  return { status: response.status, location: response.headers.get('location'), html: await response.text() };
}

/** The notification mails of a kind about a case, from the outbox, once `count` are there. */
const notificationsOf = (caseId: string, kind: string, count: number) =>
  eventually(
    async () => {
      const rows = await system.db
        .select()
        .from(outboxMails)
        .where(and(eq(outboxMails.caseId, caseId), like(outboxMails.idempotencyKey, `notification:${kind}:%`)));
      return rows.length >= count ? rows : undefined;
    },
    15_000,
    `${count} ${kind} notification(s) on ${caseId}`,
  );

/** The SMTP delivery to `email` whose raw message contains `marker`. */
const deliveredTo = (email: string, marker: string) =>
  eventually(
    async () => catcher.received.find((message) => message.to.includes(email) && message.raw.includes(marker)),
    15_000,
    `a delivery to ${email}`,
  );

describe('the notification settings page', () => {
  it('asks for a login first', async () => {
    const anonymous = new WebClient(system.url);
    const page = await anonymous.get('/account/notifications');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Faccount%2Fnotifications');
  });

  it('refuses a POST without the CSRF token and changes nothing', async () => {
    const refused = await saveSettings(owner.client, [['language', 'en']], false);
    expect(refused.status).toBe(403);
    const [row] = await system.db.select().from(users).where(eq(users.id, owner.userId));
    expect(row?.language).toBe('de');
  });

  it('answers an unknown language with 422, the error at the field and the boxes as ticked', async () => {
    const refused = await saveSettings(owner.client, [
      ['language', 'fr'],
      ['receive', 'deadline'],
    ]);
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('id="language-error"');
    expect(refused.html).toContain('Bitte wählen Sie Deutsch oder Englisch.');
    expect(refused.html).toMatch(/id="receive-deadline"[^>]*checked/);
    expect(refused.html).not.toMatch(/id="receive-message"[^>]*checked/);
  });

  it('saves the language and the optional kinds; the essential ones cannot be switched off', async () => {
    const saved = await saveSettings(owner.client, [
      ['language', 'de'],
      ['receive', 'deadline'],
      // Not a kind one can switch off: ignored.
      ['receive', 'submitted'],
    ]);
    expect(saved.status).toBe(303);
    expect(saved.location).toBe('/account/notifications?saved=1');
    const english = await saveSettings(colleague.client, [
      ['language', 'en'],
      ['receive', 'message'],
      ['receive', 'deadline'],
    ]);
    expect(english.status).toBe(303);
    const rows = await system.db.select().from(users).where(eq(users.id, owner.userId));
    expect(rows[0]).toMatchObject({ language: 'de', notificationOptOuts: ['message'] });
    const [erik] = await system.db.select().from(users).where(eq(users.id, colleague.userId));
    expect(erik).toMatchObject({ language: 'en', notificationOptOuts: [] });
    const page = await owner.client.get('/account/notifications?saved=1');
    expect(page.html).toContain('Ihre Einstellungen sind gespeichert.');
    expect(page.html).toMatch(/id="receive-deadline"[^>]*checked/);
    expect(page.html).not.toMatch(/id="receive-message"[^>]*checked/);
  });
});

describe('the language of a new account', () => {
  it('is the language of the registration page', async () => {
    const visitor = new WebClient(system.url);
    const email = `register-${randomUUID()}@example.com`;
    await visitor.get('/register?lang=en');
    const sent = await visitor.submit('/register?lang=en', {
      companyName: 'English Speaking Ltd',
      name: 'Emma English',
      email,
      password: PASSWORD,
      repeat: PASSWORD,
    });
    // (the page says a link was mailed, the same for every address)
    expect(sent.status).toBe(200);
    const [row] = await system.db.select().from(users).where(eq(users.email, email));
    expect(row?.language).toBe('en');
  });
});

describe('notifications to a company with two members', () => {
  let caseId: string;

  it('tells both of the submission, each in their language, multipart, with the receipt attached', async () => {
    caseId = await submitGeneralInquiry(owner.client, 'Hallenerweiterung <script>alert(1)</script>');
    const mails = await notificationsOf(caseId, 'submitted', 2);
    const german = mails.find((mail) => mail.recipient === owner.email);
    const english = mails.find((mail) => mail.recipient === colleague.email);
    expect(german?.subject).toMatch(/^Ihr Vorgang WF-\d{4}-\d+ ist eingegangen: Allgemeine Anfrage$/);
    expect(german?.body).toContain(`${PUBLIC_URL}/cases/${caseId}`);
    expect(german?.htmlBody).toContain('<html lang="de">');
    expect(german?.htmlBody).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(german?.htmlBody).not.toContain('<script>');
    expect(english?.subject).toMatch(/^Your case WF-\d{4}-\d+ has been received: General inquiry$/);
    expect(english?.body).toContain(`${PUBLIC_URL}/cases/${caseId}?lang=en`);
    expect(english?.htmlBody).toContain('<html lang="en">');

    // Delivered by SMTP as text + HTML with the receipt PDF in the recipient's language.
    const number = /WF-\d{4}-\d+/.exec(german?.subject ?? '')?.[0] ?? 'none';
    const toOwner = await deliveredTo(owner.email, `Eingangsbestaetigung-${number}.pdf`);
    expect(toOwner.raw).toMatch(/Content-Type: multipart\/mixed/i);
    expect(toOwner.raw).toMatch(/Content-Type: multipart\/alternative/i);
    expect(toOwner.raw).toMatch(/Content-Type: text\/plain/i);
    expect(toOwner.raw).toMatch(/Content-Type: text\/html/i);
    expect(toOwner.raw).toMatch(/Content-Type: application\/pdf/i);
    const toColleague = await deliveredTo(colleague.email, `Receipt-${number}.pdf`);
    expect(toColleague.raw).toMatch(/Content-Type: application\/pdf/i);
    await eventually(async () => {
      const rows = await notificationsOf(caseId, 'submitted', 2);
      return rows.every((row) => row.sentAt !== null) ? rows : undefined;
    });
  });

  it('tells of a message from the agency only the member who did not switch it off, without its text', async () => {
    await openTaskOf(system, caseId);
    const caseworker = await demoCaseworker(system);
    await caseworker.get(`/staff/cases/${caseId}`);
    const sent = await caseworker.submitMultipart(`/staff/cases/${caseId}/messages`, {
      _token: caseworker.hidden('_token') ?? '',
      body: 'Vertraulich: Ihre Förderquote beträgt 40 %.',
    });
    expect(sent.status).toBe(303);
    const [mail] = await notificationsOf(caseId, 'message', 1);
    expect(mail?.recipient).toBe(colleague.email);
    expect(mail?.subject).toMatch(/^New message on case WF-/);
    expect(mail?.body).toContain(`${PUBLIC_URL}/cases/${caseId}?lang=en#messages`);
    expect(`${mail?.body}${mail?.htmlBody}`).not.toContain('Förderquote');
    // The owner switched message mails off: after the colleague's, none came for her.
    const all = await notificationsOf(caseId, 'message', 1);
    expect(all.map((row) => row.recipient)).toEqual([colleague.email]);
  });

  it('tells both when the case ended, with the link and without the answer', async () => {
    const task = await openTaskOf(system, caseId);
    const caseworker = await demoCaseworker(system);
    await caseworker.get(`/staff/tasks/${task.id}`);
    const answered = await caseworker.submit(`/staff/tasks/${task.id}`, {
      answer: 'Geheime Antwort: Halle 7 ist frei.',
    });
    expect(answered.status).toBe(303);
    await completedCase(system, caseId);
    const mails = await notificationsOf(caseId, 'ended', 2);
    expect(mails.map((mail) => mail.recipient).sort()).toEqual([owner.email, colleague.email].sort());
    for (const mail of mails) {
      expect(mail.body).toContain(`${PUBLIC_URL}/cases/${caseId}`);
      expect(`${mail.subject}${mail.body}${mail.htmlBody}`).not.toContain('Halle 7');
    }
    expect(mails.find((mail) => mail.recipient === owner.email)?.subject).toMatch(/ist abgeschlossen$/);
    expect(mails.find((mail) => mail.recipient === colleague.email)?.subject).toMatch(/is complete$/);
  });

  it('confirms a withdrawal to both instead of the end, without the reason given', async () => {
    const third = await submitGeneralInquiry(owner.client, 'Dritte Anfrage');
    await openTaskOf(system, third);
    await owner.client.get(`/cases/${third}/withdraw`);
    const withdrawn = await owner.client.submit(`/cases/${third}/withdraw`, { reason: 'Vertraulicher Grund XYZ' });
    expect(withdrawn.status).toBe(303);
    const mails = await notificationsOf(third, 'ended', 2);
    expect(mails.map((mail) => mail.recipient).sort()).toEqual([owner.email, colleague.email].sort());
    expect(mails.find((mail) => mail.recipient === owner.email)?.subject).toMatch(/wurde zurückgezogen$/);
    expect(mails.find((mail) => mail.recipient === colleague.email)?.subject).toMatch(/has been withdrawn$/);
    expect(mails.map((mail) => `${mail.body}${mail.htmlBody}`).join('')).not.toContain('XYZ');
  });

  it('reminds of a company task due tomorrow once, however often the sweep runs', async () => {
    // Given a Rückfrage to the company, due by the end of tomorrow
    const second = await submitGeneralInquiry(owner.client, 'Zweite Anfrage');
    const staffTask = await openTaskOf(system, second);
    const caseworker = await demoCaseworker(system);
    await caseworker.get(`/staff/tasks/${staffTask.id}`);
    const token = /action="\/staff\/tasks\/[^"]+\/rueckfrage"[\s\S]*?name="_token" value="([^"]+)"/.exec(
      caseworker.lastHtml,
    )?.[1];
    const asked = await caseworker.submit(
      `/staff/tasks/${staffTask.id}/rueckfrage`,
      {
        questions: 'Wie viele Stellplätze brauchen Sie?',
        documents: '',
        message: '',
        deadline: addDays(agencyToday(), 1),
      },
      { token },
    );
    expect(asked.status).toBe(303);
    // The task's mail went to both: it is essential.
    const opened = await notificationsOf(second, 'taskOpened', 2);
    expect(opened.map((mail) => mail.recipient).sort()).toEqual([owner.email, colleague.email].sort());
    expect(opened.map((mail) => mail.body).join('')).not.toContain('Stellplätze');

    // When the sweep runs twice
    const sweep = () =>
      system.temporalClient.workflow.execute(NOTIFICATION_SWEEP_WORKFLOW, {
        taskQueue: system.taskQueue,
        workflowId: `notification-sweep-${randomUUID()}`,
        args: [],
      });
    await sweep();
    await sweep();

    // Then each member got one reminder (the owner kept deadline reminders on)
    const reminders = await system.db
      .select()
      .from(outboxMails)
      .where(and(eq(outboxMails.caseId, second), like(outboxMails.idempotencyKey, 'notification:deadline:%')));
    expect(reminders.map((mail) => mail.recipient).sort()).toEqual([owner.email, colleague.email].sort());
    const german = reminders.find((mail) => mail.recipient === owner.email);
    expect(german?.subject).toMatch(/: Frist läuft bald ab$/);
    expect(german?.body).toContain('„Rückfrage“');
  });
});
