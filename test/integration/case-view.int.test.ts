import { createHash, randomUUID } from 'node:crypto';
import { and, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseNotes, cases, documents, incidents, tasks } from '../../engine/db/schema.js';
import { compileProcess } from '../../engine/model/compile.js';
import { addDays } from '../../engine/case/information-request.js';
import { agencyToday } from '../../engine/case/today.js';

import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { WebClient } from '../browserless-client.js';
import { generalInquiryWithMail } from '../service-versions.js';
import {
  answeredInquiry,
  demoCaseworker,
  demoCompany,
  newApplicant,
  openTaskAt,
  openTaskOf,
  staffSessionOf,
  submitGeneralInquiry,
  submitPermitGuidance,
} from '../journeys.js';
import { eventually, startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

let system: System;

beforeAll(async () => {
  system = await startTestSystem({ DATA_DIR: `/tmp/lotse-test-data-${randomUUID()}` });
}, 60_000);

afterAll(async () => {
  await system?.stop();
});

const SITE_PLAN = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n');
const PHOTO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

async function staffClient(email: string) {
  const client = new WebClient(system.url);
  await client.login(email, DEMO_PASSWORD, true);
  return client;
}

/** A permit application in three steps by a new company, with a site plan (PDF) and a photo (PNG). */
async function submitPermit() {
  const applicant = await newApplicant(system);
  const caseId = await submitPermitGuidance(applicant.client, applicant, {
    sitePlan: [
      { field: 'sitePlan', name: 'Lageplan.pdf', content: SITE_PLAN, type: 'application/pdf' },
      { field: 'sitePlan', name: 'Foto.png', content: PHOTO, type: 'image/png' },
    ],
  });
  return { caseId, client: applicant.client, companyName: applicant.companyName, email: applicant.email };
}

describe('the staff case page of a general inquiry', () => {
  it('speaks the caseworker’s language: company with contact, service and version, status, data, timeline', async () => {
    const subject = `Frage zur Gewerbeanmeldung ${randomUUID().slice(0, 8)}`;
    const finished = await answeredInquiry(system, subject);
    const caseworker = await demoCaseworker(system);
    const page = await caseworker.get(`/staff/cases/${finished.id}`);
    expect(page.status).toBe(200);
    const html = page.html;
    expect(html).toContain(`<h1>${finished.number}: ${subject}</h1>`);
    expect(html).toContain('<dd>Schmidt Metallbau GmbH</dd>');
    expect(html).toContain('Industriestraße 7, 12345 Musterstadt');
    expect(html).toContain(
      'Anna Schmidt, <a href="mailto:anna.schmidt@schmidt-metallbau.example">anna.schmidt@schmidt-metallbau.example</a>',
    );
    expect(html).toMatch(/Allgemeine Anfrage \(Version \d+\)/);
    expect(html).toContain('abgeschlossen');
    expect(html).toContain('Keine offenen Aufgaben.');
    // All submitted data, and the completed task's form data
    expect(html).toContain('Bitte um eine kurze Antwort per E-Mail.');
    expect(html).toContain('Angaben aus erledigten Aufgaben');
    expect(html).toContain('Hier ist unsere Antwort an Sie.');
    // The timeline, written for people
    expect(html).toContain('Anna Schmidt (Schmidt Metallbau GmbH) hat den Antrag gestellt');
    expect(html).toMatch(/Jonas Weber hat die Aufgabe „[^“]+“ erledigt/);
    expect(html).toMatch(/E-Mail „[^“]+“ an anna\.schmidt@schmidt-metallbau\.example versandt/);
    expect(html).toContain('Der Vorgang ist abgeschlossen');
    // No engine internals for a caseworker
    expect(html).not.toContain('elementEntered');
    expect(html).not.toMatch(/staff:[0-9a-f-]{36}/);
    expect(html).not.toContain('Technische Details');
  });

  it('administrators keep the raw audit trail behind "Technische Details"', async () => {
    const caseId = await submitGeneralInquiry(await demoCompany(system), 'Audit für Administratoren');
    await openTaskOf(system, caseId);
    const administrator = await staffClient(DEMO_ACCOUNTS.administrator.email);
    const html = (await administrator.get(`/staff/cases/${caseId}`)).html;
    expect(html).toContain('<summary>Technische Details</summary>');
    expect(html).toContain('elementEntered');
    expect(html).toMatch(/applicant:[0-9a-f-]{36}/);
  });

  it('shows the open task with its assignee state and due date, linked to the task page', async () => {
    const caseId = await submitGeneralInquiry(await demoCompany(system), 'Offene Aufgabe mit Frist');
    const task = await openTaskOf(system, caseId);
    const caseworker = await demoCaseworker(system);
    const html = (await caseworker.get(`/staff/cases/${caseId}`)).html;
    expect(html).toContain(`<a href="/staff/tasks/${task.id}">`);
    expect(html).toContain('noch niemand (wirtschaftsfoerderung)');
  });
});

describe('internal notes', () => {
  it('are written with CSRF, shown in the timeline with their author, and never to the company', async () => {
    const company = await demoCompany(system);
    const caseId = await submitGeneralInquiry(company, 'Anfrage mit interner Notiz');
    await openTaskOf(system, caseId);
    const caseworker = await demoCaseworker(system);
    await caseworker.get(`/staff/cases/${caseId}`);
    const secret = `Rückruf am Dienstag vereinbart ${randomUUID().slice(0, 8)}`;

    // Without the CSRF token: refused
    expect((await caseworker.post(`/staff/cases/${caseId}/notes`, { body: secret })).status).toBe(403);
    await caseworker.get(`/staff/cases/${caseId}`);
    const saved = await caseworker.submit(`/staff/cases/${caseId}/notes`, { body: `  ${secret}  ` });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`/staff/cases/${caseId}?noted=1#notes`);
    const page = await caseworker.get(`/staff/cases/${caseId}?noted=1`);
    expect(page.html).toContain('Die Notiz ist gespeichert.');
    expect(page.html).toContain('Jonas Weber hat eine interne Notiz geschrieben');
    expect(page.html).toContain(`<blockquote class="case-note">${secret}</blockquote>`);
    const [stored] = await system.db.select().from(caseNotes).where(eq(caseNotes.caseId, caseId));
    expect(stored).toMatchObject({ body: secret, authorName: 'Jonas Weber' });

    // The company sees its case, never the note
    const portalPage = await company.get(`/cases/${caseId}`);
    expect(portalPage.status).toBe(200);
    expect(portalPage.html).not.toContain(secret);
    expect(portalPage.html).not.toContain('interne Notiz');
  });

  it('an empty or too long note is an error next to the field, with the text kept', async () => {
    const caseId = await submitGeneralInquiry(await demoCompany(system), 'Notiz zu lang');
    await openTaskOf(system, caseId);
    const caseworker = await demoCaseworker(system);
    await caseworker.get(`/staff/cases/${caseId}`);
    const long = 'x'.repeat(4001);
    const tooLong = await caseworker.submit(`/staff/cases/${caseId}/notes`, { body: long });
    expect(tooLong.status).toBe(422);
    expect(tooLong.html).toContain(
      '<p class="field__error" id="note-body-error">Die Notiz ist zu lang: höchstens 4000 Zeichen.</p>',
    );
    expect(tooLong.html).toContain('aria-invalid="true"');
    expect(tooLong.html).toContain(`>${long}</textarea>`);
    await caseworker.get(`/staff/cases/${caseId}`);
    const empty = await caseworker.submit(`/staff/cases/${caseId}/notes`, { body: '   ' });
    expect(empty.status).toBe(422);
    expect(empty.html).toContain('Bitte schreiben Sie eine Notiz.');
    expect(await system.db.select().from(caseNotes).where(eq(caseNotes.caseId, caseId))).toEqual([]);
  });

  it('staff who may not see the case get 404, and write nothing', async () => {
    const caseId = await submitGeneralInquiry(await demoCompany(system), 'Notiz von außen');
    await openTaskOf(system, caseId);
    const building = await staffClient(DEMO_ACCOUNTS.buildingAuthority.email);
    await building.get('/staff/cases');
    expect((await building.submit(`/staff/cases/${caseId}/notes`, { body: 'Darf ich nicht' })).status).toBe(404);
    expect(await system.db.select().from(caseNotes).where(eq(caseNotes.caseId, caseId))).toEqual([]);
  });
});

describe('a permit case: every start step, every document, previews', () => {
  it('shows all three steps and every upload with a preview; the task page shows the same record', async () => {
    const { caseId, companyName } = await submitPermit();
    const check = await openTaskAt(system, caseId, 'Task_CheckCompleteness');
    const caseworker = await demoCaseworker(system);
    const html = (await caseworker.get(`/staff/cases/${caseId}`)).html;
    expect(html).toContain(companyName);
    expect(html).toContain('Paula Planer');
    // Step 1, step 2 and step 3 (each under its step title)
    expect(html).toContain('Wir möchten auf unserem Grundstück eine Lagerhalle mit 800 m² errichten.');
    expect(html).toContain('Industriestraße 9');
    expect(html).toContain('Musterstadt');
    const uploads = await system.db.select().from(documents).where(eq(documents.caseId, caseId));
    const pdf = uploads.find((document) => document.fileName === 'Lageplan.pdf');
    const png = uploads.find((document) => document.fileName === 'Foto.png');
    if (!pdf || !png) throw new Error('uploads missing');
    expect(html).toContain(
      `<iframe class="case-document__pdf" src="/staff/cases/${caseId}/documents/${pdf.id}/preview"`,
    );
    expect(html).toContain(
      `<img class="case-document__image" src="/staff/cases/${caseId}/documents/${png.id}/preview"`,
    );
    expect(html).toContain(`hochgeladen von Paula Planer (${companyName})`);
    expect(html).toContain('Lageplan ·');

    const taskPage = await caseworker.get(`/staff/tasks/${check.id}`);
    expect(taskPage.html).toContain('Industriestraße 9');
    expect(taskPage.html).toContain(`/staff/cases/${caseId}/documents/${pdf.id}/preview`);
  });

  it('previews PDFs and images inline, downloads stay attachments; nosniff and a CSP on both', async () => {
    const { caseId } = await submitPermit();
    await openTaskAt(system, caseId, 'Task_CheckCompleteness');
    const caseworker = await demoCaseworker(system);
    const uploads = await system.db.select().from(documents).where(eq(documents.caseId, caseId));
    for (const document of uploads) {
      const base = `/staff/cases/${caseId}/documents/${document.id}`;
      const preview = await caseworker.get(`${base}/preview`);
      expect(preview.status).toBe(200);
      expect(preview.headers.get('content-disposition')).toMatch(/^inline; filename=/);
      expect(preview.headers.get('x-content-type-options')).toBe('nosniff');
      expect(preview.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
      const download = await caseworker.get(base);
      expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename=/);
      expect(download.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    }
    // Someone who may not see the case gets 404 for its documents, preview or not
    const environment = await staffClient(DEMO_ACCOUNTS.environmentAgency.email);
    const [first] = uploads;
    expect((await environment.get(`/staff/cases/${caseId}/documents/${first?.id}/preview`)).status).toBe(404);
  });

  it('a department sees the case once it has a task in it; the completed steps appear with who did them', async () => {
    const { caseId } = await submitPermit();
    const check = await openTaskAt(system, caseId, 'Task_CheckCompleteness');
    const building = await staffClient(DEMO_ACCOUNTS.buildingAuthority.email);
    expect((await building.get(`/staff/cases/${caseId}`)).status).toBe(404);
    const jonas = await staffSessionOf(system, DEMO_ACCOUNTS.caseworker.email);
    const done = await system.services.tasks.complete(jonas, check.id, randomUUID(), { documentsComplete: 'yes' });
    expect(done).toMatchObject({ ok: true });
    await openTaskAt(system, caseId, 'Task_StatementBuilding');
    const page = await building.get(`/staff/cases/${caseId}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Jonas Weber hat die Aufgabe „Vollständigkeit prüfen“ erledigt');
    expect(page.html).toContain('Stellungnahme Bauamt');
    const [row] = await system.db.select().from(cases).where(eq(cases.id, caseId));
    expect(page.html).toContain(`<h1>${row?.number}: Neubau einer Lagerhalle</h1>`);

    // Once decided, the generated decision letter is a document of the case, previewed like an upload
    const buildingTask = await openTaskAt(system, caseId, 'Task_StatementBuilding');
    const environmentTask = await openTaskAt(system, caseId, 'Task_StatementEnvironment');
    const statement = { recommendation: 'approve', statement: 'Keine Bedenken.' };
    const lena = await staffSessionOf(system, DEMO_ACCOUNTS.buildingAuthority.email);
    const max = await staffSessionOf(system, DEMO_ACCOUNTS.environmentAgency.email);
    expect(await system.services.tasks.complete(lena, buildingTask.id, randomUUID(), statement)).toMatchObject({
      ok: true,
    });
    expect(await system.services.tasks.complete(max, environmentTask.id, randomUUID(), statement)).toMatchObject({
      ok: true,
    });
    const decide = await openTaskAt(system, caseId, 'Task_Decide');
    const decision = { decision: 'approve', decisionText: 'Das Vorhaben fügt sich in die Umgebung ein.' };
    expect(await system.services.tasks.complete(jonas, decide.id, randomUUID(), decision)).toMatchObject({ ok: true });
    const letter = await eventually(
      async () => {
        const rows = await system.db.select().from(documents).where(eq(documents.caseId, caseId));
        return rows.find((document) => document.fieldKey.startsWith('generated:'));
      },
      15_000,
      'the decision letter',
    );
    const decided = await (await demoCaseworker(system)).get(`/staff/cases/${caseId}`);
    expect(decided.html).toContain(`/staff/cases/${caseId}/documents/${letter.id}/preview`);
    expect(decided.html).toContain('Von Lotse erstelltes Schreiben');
    expect(decided.html).toContain('Das Vorhaben fügt sich in die Umgebung ein.');
  });
});

describe('a Rückfrage on the case page', () => {
  it('is told in the timeline; its answers and its document are in the case record', async () => {
    const company = await demoCompany(system);
    const caseId = await submitGeneralInquiry(company, 'Rückfrage auf der Vorgangsseite');
    const staffTask = await openTaskOf(system, caseId);
    const caseworker = await demoCaseworker(system);
    await caseworker.get(`/staff/tasks/${staffTask.id}`);
    const askToken = /action="\/staff\/tasks\/[^"]+\/rueckfrage"[\s\S]*?name="_token" value="([^"]+)"/.exec(
      caseworker.lastHtml,
    )?.[1];
    const deadline = addDays(agencyToday(), 14);
    const asked = await caseworker.submit(
      `/staff/tasks/${staffTask.id}/rueckfrage`,
      { questions: 'Wie groß ist die Halle (m²)?', documents: 'Lageplan', message: 'Bitte ergänzen.', deadline },
      { token: askToken },
    );
    expect(asked.status).toBe(303);
    const requestTask = await eventually(
      async () => {
        const [row] = await system.db
          .select()
          .from(tasks)
          .where(and(eq(tasks.caseId, caseId), eq(tasks.status, 'open'), isNotNull(tasks.informationRequest)));
        return row;
      },
      15_000,
      'the Rückfrage task',
    );
    await company.get(`/tasks/${requestTask.id}`);
    const answered = await company.submitMultipart(
      `/tasks/${requestTask.id}`,
      { _token: company.hidden('_token') ?? '', answer1: '1.200 m²' },
      [{ field: 'document1', name: 'lageplan-rueckfrage.pdf', content: SITE_PLAN, type: 'application/pdf' }],
    );
    expect(answered.status).toBe(303);

    const html = (await caseworker.get(`/staff/cases/${caseId}`)).html;
    const [day, month, year] = [deadline.slice(8, 10), deadline.slice(5, 7), deadline.slice(0, 4)];
    expect(html).toContain(
      `Jonas Weber hat zur Aufgabe „${staffTask.name}“ eine Rückfrage an das Unternehmen gestellt (Antwort bis ${day}.${month}.${year})`,
    );
    expect(html).toContain('Anna Schmidt (Schmidt Metallbau GmbH) hat die Rückfrage beantwortet');
    // The company task is told once, by the Rückfrage's own entry
    expect(html).not.toContain('hat die Aufgabe „Rückfrage“ erledigt');
    expect(html).toContain(`<h3>Rückfrage 1: ${staffTask.name}</h3>`);
    expect(html).toContain('<dt>Wie groß ist die Halle (m²)?</dt><dd>1.200 m²</dd>');
    expect(html).toContain('lageplan-rueckfrage.pdf');
    expect(html).toContain('aus der Aufgabe „Rückfrage“ · hochgeladen von Anna Schmidt (Schmidt Metallbau GmbH)');
  });
});

describe('an incident on the case page', () => {
  it('is named by its step, in the timeline too; only administrators get the retry button', async () => {
    // Given a general inquiry whose answer mail names a job type nobody implements
    // (the general inquiry as it shipped with its own answer mail: the shipped one has no job in the path now)
    const shipped = await generalInquiryWithMail();
    const bpmnXml = shipped.bpmnXml.replace('type="email"', 'type="fax"');
    const compiled = await compileProcess(bpmnXml);
    if (!compiled.ok) throw new Error('did not compile');
    const slug = `case-view-incident-${Date.now()}`;
    await system.services.catalog.publish({
      ...shipped,
      slug,
      bpmnXml,
      model: compiled.model,
      contentHash: createHash('sha256').update(bpmnXml).digest('hex'),
    });
    const company = await demoCompany(system);
    await company.get(`/services/${slug}/start`);
    const sent = await company.submit(`/services/${slug}/start`, {
      subject: 'Störung auf der Vorgangsseite',
      message: 'Dieser Vorgang läuft in eine Störung.',
      contactChannel: 'email',
    });
    const caseId = /\/cases\/([0-9a-f-]{36})/.exec(sent.headers.get('location') ?? '')?.[1] ?? '';
    const task = await openTaskOf(system, caseId);
    const jonas = await staffSessionOf(system, DEMO_ACCOUNTS.caseworker.email);
    await system.services.tasks.complete(jonas, task.id, randomUUID(), { answer: 'Antwort per Fax, bitte.' });
    await eventually(
      async () => (await system.db.select().from(incidents).where(eq(incidents.caseId, caseId)))[0],
      15_000,
      'the incident',
    );

    const caseworker = await demoCaseworker(system);
    const page = (await caseworker.get(`/staff/cases/${caseId}`)).html;
    expect(page).toContain('Störung im Schritt „Antwort senden“');
    expect(page).toMatch(/<li>\s*Antwort senden: /);
    expect(page).not.toContain('/retry"');
    const administrator = await staffClient(DEMO_ACCOUNTS.administrator.email);
    expect((await administrator.get(`/staff/cases/${caseId}`)).html).toContain(`/staff/cases/${caseId}/incidents/`);
  });
});
