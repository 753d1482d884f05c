import { randomUUID } from 'node:crypto';
import { and, eq, like, or } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseMessages, documents, outboxMails, staff } from '../../engine/db/schema.js';
import { hashPassword } from '../../engine/services/auth.service.js';
import { MESSAGE_FIELD_KEY } from '../../engine/services/case-message.service.js';
import { DEMO_ACCOUNTS } from '../../engine/services/seed.js';
import { WebClient } from '../browserless-client.js';
import { demoCaseworker, demoCompany, newApplicant, openTaskOf, submitGeneralInquiry } from '../journeys.js';
import { startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

let system: System;
let company: WebClient;
let caseworker: WebClient;
let caseId: string;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n');
const SECRET_TEXT = 'Unser Umsatz 2026: 4,2 Mio. <b>vertraulich</b>';

beforeAll(async () => {
  system = await startTestSystem();
  company = await demoCompany(system);
  caseworker = await demoCaseworker(system);
  caseId = await submitGeneralInquiry(company, `Nachrichten ${randomUUID().slice(0, 8)}`);
  // The caseworkers of the case are those of its open task (its candidate group).
  await openTaskOf(system, caseId);
});

afterAll(async () => {
  await system?.stop();
});

const mailsAbout = (id: string) =>
  system.db
    .select()
    .from(outboxMails)
    .where(
      and(
        eq(outboxMails.caseId, id),
        // To staff `message:…`; to the company the notification of ADR 0030, `notification:message:…`.
        or(like(outboxMails.idempotencyKey, 'message:%'), like(outboxMails.idempotencyKey, 'notification:message:%')),
      ),
    );

/** Posts the message form of the page last loaded (its `_csrf` and `_token`). */
async function send(
  client: WebClient,
  path: string,
  body: string,
  files: Parameters<WebClient['submitMultipart']>[2] = [],
) {
  const token = client.hidden('_token') ?? '';
  return client.submitMultipart(path, { _token: token, body }, files);
}

describe('messages between a company and its caseworkers', () => {
  it('the company writes with an attachment; staff read it, answer; the company sees answer and read marker', async () => {
    const page = await company.get(`/cases/${caseId}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('id="messages"');
    const sent = await send(company, `/cases/${caseId}/messages`, `Guten Tag,\r\n${SECRET_TEXT}\r\nZweite Zeile`, [
      { field: 'attachments', name: 'Bilanz.pdf', content: PDF, type: 'application/pdf' },
    ]);
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe(`/cases/${caseId}?message=sent#messages`);

    const [message] = await system.db.select().from(caseMessages).where(eq(caseMessages.caseId, caseId));
    expect(message?.side).toBe('company');
    expect(message?.body).toBe(`Guten Tag,\n${SECRET_TEXT}\nZweite Zeile`);
    expect(message?.attachmentIds).toHaveLength(1);
    const [attachment] = await system.db
      .select()
      .from(documents)
      .where(eq(documents.id, message?.attachmentIds[0] ?? ''));
    expect(attachment?.caseId).toBe(caseId);
    expect(attachment?.fileName).toBe('Bilanz.pdf');
    // No form field's label is taken for it on the staff's case record.
    expect(attachment?.fieldKey).toBe(MESSAGE_FIELD_KEY);

    // The company's own message: escaped, lines kept, not yet read by the agency.
    const own = await company.get(`/cases/${caseId}?message=sent`);
    expect(own.html).toContain('Ihre Nachricht wurde gesendet.');
    expect(own.html).toContain(
      'Guten Tag,<br>Unser Umsatz 2026: 4,2 Mio. &lt;b&gt;vertraulich&lt;/b&gt;<br>Zweite Zeile',
    );
    expect(own.html).toContain('noch nicht gelesen');

    // The caseworker is told by mail: a link to the case, never the text.
    const toStaff = await mailsAbout(caseId);
    expect(toStaff.map((mail) => mail.recipient)).toContain(DEMO_ACCOUNTS.caseworker.email);
    for (const mail of toStaff) {
      expect(mail.body).toContain(`/staff/cases/${caseId}#messages`);
      expect(mail.body).not.toContain('Umsatz');
      expect(mail.subject).not.toContain('Umsatz');
    }

    // Staff read it on the case page (new, with the attachment), which marks it read.
    const staffPage = await caseworker.get(`/staff/cases/${caseId}`);
    expect(staffPage.status).toBe(200);
    expect(staffPage.html).toContain('Neue Nachrichten: 1');
    expect(staffPage.html).toContain('Anna Schmidt (Schmidt Metallbau GmbH) hat eine Nachricht geschrieben');
    expect(staffPage.html).toContain(`/staff/cases/${caseId}/documents/${attachment?.id}`);
    const download = await caseworker.get(`/staff/cases/${caseId}/documents/${attachment?.id}`);
    expect(download.status).toBe(200);
    expect((await caseworker.get(`/staff/cases/${caseId}`)).html).not.toContain('Neue Nachrichten');

    const answered = await send(caseworker, `/staff/cases/${caseId}/messages`, 'Danke, wir melden uns.');
    expect(answered.status).toBe(303);
    expect(answered.headers.get('location')).toBe(`/staff/cases/${caseId}?message=sent#messages`);

    // The company's users are told by mail, with a link to the case and without the answer.
    const toCompany = (await mailsAbout(caseId)).filter((mail) => mail.recipient === DEMO_ACCOUNTS.companyUser.email);
    expect(toCompany).toHaveLength(1);
    expect(toCompany[0]?.body).toContain(`/cases/${caseId}`);
    expect(toCompany[0]?.body).not.toContain('melden');

    // "Meine Vorgänge" shows the unread answer; the case page shows it and that the agency read the question.
    const list = await company.get('/cases');
    expect(list.html).toContain('Aktion erforderlich: 1 neue Nachricht');
    const answerPage = await company.get(`/cases/${caseId}`);
    expect(answerPage.html).toContain('Jonas Weber (Wirtschaftsförderung) hat eine Nachricht geschrieben');
    expect(answerPage.html).toContain('Danke, wir melden uns.');
    // The agency read the company's question.
    expect(answerPage.html).toContain('<span class="message__read">gelesen</span>');
    expect(answerPage.html).not.toContain('noch nicht gelesen');
    expect(answerPage.html).toContain(`/cases/${caseId}/documents/${attachment?.id}`);
    // Read now: the list has no badge for it any more, and the agency's page says the company read the answer.
    expect((await company.get(`/cases/${caseId}`)).html).not.toContain('Neue Nachrichten');
    const after = await caseworker.get(`/staff/cases/${caseId}`);
    expect(after.html).toContain('<span class="message__read">gelesen</span>');
    // The timeline says who wrote, not what.
    const timeline = after.html.slice(after.html.indexOf('class="timeline case-timeline"'));
    expect(timeline).toContain('Anna Schmidt (Schmidt Metallbau GmbH) hat eine Nachricht geschrieben');
    expect(timeline).toContain('Jonas Weber hat eine Nachricht geschrieben');
    expect(after.html).not.toContain('noch nicht gelesen');

    // English: the same thread in English.
    const english = await company.get(`/cases/${caseId}?lang=en`);
    expect(english.html).toContain('Jonas Weber (Economic development agency) wrote a message');
  });

  it('a double submit makes one message and one mail', async () => {
    const id = await submitGeneralInquiry(company, `Doppelt ${randomUUID().slice(0, 8)}`);
    await openTaskOf(system, id);
    await company.get(`/cases/${id}`);
    const token = company.hidden('_token') ?? '';
    const csrf = company.hidden('_csrf') ?? '';
    const first = await company.submitMultipart(`/cases/${id}/messages`, { _token: token, body: 'Einmal' }, [], {
      csrf,
    });
    const second = await company.submitMultipart(`/cases/${id}/messages`, { _token: token, body: 'Einmal' }, [], {
      csrf,
    });
    expect([first.status, second.status]).toEqual([303, 303]);
    expect(await system.db.select().from(caseMessages).where(eq(caseMessages.caseId, id))).toHaveLength(1);
    const mails = await mailsAbout(id);
    expect(new Set(mails.map((mail) => mail.recipient)).size).toBe(mails.length);
  });

  it('refuses an empty or too long message with 422 and the error at the field, keeping the text', async () => {
    // The language is the session's: back to German after the English page above.
    await company.get(`/cases/${caseId}?lang=de`);
    const empty = await send(company, `/cases/${caseId}/messages`, '   ');
    expect(empty.status).toBe(422);
    expect(empty.html).toContain('id="message-body-error"');
    expect(empty.html).toContain('Bitte schreiben Sie eine Nachricht.');
    expect(empty.html).toContain('aria-invalid="true"');

    await company.get(`/cases/${caseId}`);
    const long = `${'x'.repeat(5000)}y`;
    const tooLong = await send(company, `/cases/${caseId}/messages`, long);
    expect(tooLong.status).toBe(422);
    expect(tooLong.html).toContain('höchstens 5000 Zeichen');
    expect(tooLong.html).toContain(long);

    await caseworker.get(`/staff/cases/${caseId}`);
    const staffEmpty = await send(caseworker, `/staff/cases/${caseId}/messages`, '');
    expect(staffEmpty.status).toBe(422);
    expect(staffEmpty.html).toContain('id="message-body-error"');

    // A file of a type that is no document: refused at its field; the text stays.
    await company.get(`/cases/${caseId}?lang=en`);
    const badFile = await send(company, `/cases/${caseId}/messages`, 'Mit Anhang', [
      {
        field: 'attachments',
        name: 'run.exe',
        content: Buffer.from('MZ\x90\x00binary'),
        type: 'application/octet-stream',
      },
    ]);
    expect(badFile.status).toBe(422);
    expect(badFile.html).toContain('id="message-attachments-error"');
    expect(badFile.html).toContain('Mit Anhang');
  });

  it('answers 404 to another company and to staff who may not see the case; refuses a send without CSRF', async () => {
    const other = await newApplicant(system);
    expect((await other.client.get(`/cases/${caseId}/messages`)).status).toBe(404);
    // Nor the attachments: they are the case's documents, for its company only.
    const [written] = await system.db.select().from(caseMessages).where(eq(caseMessages.caseId, caseId));
    const attachmentId = written?.attachmentIds[0] ?? '';
    expect(attachmentId).not.toBe('');
    expect((await other.client.get(`/cases/${caseId}/documents/${attachmentId}`)).status).toBe(404);
    await other.client.get('/cases');
    const foreign = await other.client.submitMultipart(`/cases/${caseId}/messages`, {
      _token: `t${randomUUID().replaceAll('-', '')}`,
      body: 'Fremd',
    });
    expect(foreign.status).toBe(404);

    const email = `outsider.${randomUUID().slice(0, 8)}@example.com`;
    await system.db.insert(staff).values({
      email,
      name: 'Ohne Gruppe',
      passwordHash: await hashPassword('Ohne-Gruppe-2026'),
      roles: ['caseworker'],
    });
    const outsider = new WebClient(system.url);
    await outsider.login(email, 'Ohne-Gruppe-2026', true);
    expect((await outsider.get(`/staff/cases/${caseId}/messages`)).status).toBe(404);
    await outsider.get('/staff/tasks');
    const sneaky = await outsider.submitMultipart(`/staff/cases/${caseId}/messages`, {
      _token: `t${randomUUID().replaceAll('-', '')}`,
      body: 'Heimlich',
    });
    expect(sneaky.status).toBe(404);

    await company.get(`/cases/${caseId}`);
    const token = company.hidden('_token') ?? '';
    const noCsrf = await company.submitMultipart(
      `/cases/${caseId}/messages`,
      { _token: token, body: 'Ohne CSRF' },
      [],
      {
        csrf: 'wrong',
      },
    );
    expect(noCsrf.status).toBe(403);
    const bodies = (await system.db.select().from(caseMessages).where(eq(caseMessages.caseId, caseId))).map(
      (row) => row.body,
    );
    expect(bodies).not.toContain('Fremd');
    expect(bodies).not.toContain('Heimlich');
    expect(bodies).not.toContain('Ohne CSRF');
  });
});
