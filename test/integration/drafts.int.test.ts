import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, documents, drafts, memberships, users } from '../../engine/db/schema.js';
import { hashPassword } from '../../engine/services/auth.service.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, createCompanyWithUser } from '../../engine/services/seed.js';
import { WebClient } from '../browserless-client.js';
import { startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

const DATA_DIR = `/tmp/lotse-test-data-${randomUUID()}`;
const MAX_BYTES = 64 * 1024;
// The EICAR test string, split so that this file itself is no test virus.
const EICAR = ['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'].join('');

let system: System;
let clamd: Server;

/** clamd is the outside world: a stand-in speaking INSTREAM that flags EICAR and passes the rest. */
function startFakeClamd(): Promise<number> {
  clamd = createServer((socket) => {
    let buffer = Buffer.alloc(0);
    let commandRead = false;
    const content: Buffer[] = [];
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!commandRead) {
        const end = buffer.indexOf(0);
        if (end < 0) return;
        commandRead = true;
        buffer = buffer.subarray(end + 1);
      }
      while (buffer.length >= 4) {
        const length = buffer.readUInt32BE(0);
        if (length === 0) {
          const infected = Buffer.concat(content).toString('latin1').includes(EICAR);
          socket.end(infected ? 'stream: Eicar-Test-Signature FOUND\0' : 'stream: OK\0');
          return;
        }
        if (buffer.length < 4 + length) return;
        content.push(buffer.subarray(4, 4 + length));
        buffer = buffer.subarray(4 + length);
      }
    });
  });
  return new Promise((resolve) => clamd.listen(0, '127.0.0.1', () => resolve((clamd.address() as AddressInfo).port)));
}

beforeAll(async () => {
  const clamdPort = await startFakeClamd();
  system = await startTestSystem({
    DATA_DIR,
    UPLOAD_MAX_BYTES: String(MAX_BYTES),
    CLAMD_HOST: '127.0.0.1',
    CLAMD_PORT: String(clamdPort),
  });
});

afterAll(async () => {
  await system?.stop();
  clamd?.close();
});

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n');
/** A Windows program under a PDF's name: the bytes say what it is. */
const EXE_AS_PDF = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);

const project = {
  companyName: 'Planer Bau GmbH',
  contactEmail: 'paula.planer@example.com',
  subject: 'Neubau einer Lagerhalle',
  projectDescription: 'Wir möchten auf unserem Grundstück eine Lagerhalle mit 800 m² errichten.',
  permitType: 'building',
  plannedStart: '06/2027',
};
const site = { siteStreet: 'Industriestraße 9', sitePostalCode: '12345', siteCity: 'Musterstadt', siteParcel: '' };

/** A company user of their own company (so their drafts are theirs alone), logged in. */
async function newApplicant(companyName = `Testfirma ${randomUUID().slice(0, 8)} GmbH`) {
  const email = `applicant-${randomUUID()}@example.com`;
  const { companyId, userId } = await createCompanyWithUser(system.db, {
    company: companyName,
    email,
    name: 'Paula Planer',
    password: 'Test-Password-1',
  });
  const client = new WebClient(system.url);
  await client.login(email, 'Test-Password-1');
  return { client, email, companyId, userId, companyName };
}

/** A second user in an existing company. */
async function colleagueOf(companyId: string) {
  const email = `colleague-${randomUUID()}@example.com`;
  const [user] = await system.db
    .insert(users)
    .values({ email, name: 'Kalle Kollege', passwordHash: await hashPassword('Test-Password-2') })
    .returning();
  if (!user) throw new Error('no user');
  await system.db.insert(memberships).values({ userId: user.id, companyId, role: 'member' });
  const client = new WebClient(system.url);
  await client.login(email, 'Test-Password-2');
  return client;
}

/** Starts the permit guidance and returns the draft id from the redirect to step 1. */
async function startDraft(client: WebClient) {
  const response = await client.get('/services/permit-guidance/start');
  expect(response.status).toBe(303);
  const location = response.headers.get('location') ?? '';
  const draftId = /^\/drafts\/([0-9a-f-]{36})\/steps\/1/.exec(location)?.[1];
  if (!draftId) throw new Error(`no draft in ${location}`);
  return draftId;
}

async function draftRow(draftId: string) {
  const [row] = await system.db.select().from(drafts).where(eq(drafts.id, draftId));
  if (!row) throw new Error(`draft ${draftId} is gone`);
  return row;
}

/** Fills steps 1 and 2 with valid answers and lands on step 3. */
async function throughSite(client: WebClient, draftId: string) {
  await client.get(`/drafts/${draftId}/steps/1`);
  const first = await client.submitMultipart(`/drafts/${draftId}/steps/1`, { ...project, _action: 'next' });
  expect(first.headers.get('location')).toBe(`/drafts/${draftId}/steps/2`);
  await client.get(`/drafts/${draftId}/steps/2`);
  const second = await client.submit(`/drafts/${draftId}/steps/2`, { ...site, _action: 'next' });
  expect(second.headers.get('location')).toBe(`/drafts/${draftId}/steps/3`);
  return client.get(`/drafts/${draftId}/steps/3`);
}

async function uploadSitePlan(client: WebClient, draftId: string, name: string, content: Uint8Array, fields = {}) {
  return client.submitMultipart(`/drafts/${draftId}/steps/3`, { _action: 'next', ...fields }, [
    { field: 'sitePlan', name, content, type: 'application/pdf' },
  ]);
}

describe('a start in steps, kept as a draft', () => {
  it('starts a prefilled draft, and starting again resumes it', async () => {
    const { client, email, companyName } = await newApplicant();
    const draftId = await startDraft(client);

    const step = await client.get(`/drafts/${draftId}/steps/1`);
    expect(step.status).toBe(200);
    expect(step.html).toContain('Schritt 1 von 3');
    expect(step.html).toContain('aria-current="step"');
    // Once-only: the company profile and the account fill in what they already know; the user may change it.
    expect(step.html).toContain(`value="${companyName}"`);
    expect(step.html).toContain(`value="${email}"`);
    expect((await draftRow(draftId)).values).toMatchObject({ companyName, contactEmail: email });

    const again = await client.get('/services/permit-guidance/start');
    expect(again.headers.get('location')).toBe(`/drafts/${draftId}/steps/1?resumed=1`);
    expect((await client.get(`/drafts/${draftId}/steps/1?resumed=1`)).html).toContain(
      'Sie setzen Ihren gespeicherten Entwurf fort.',
    );
  });

  it('Next validates the step and keeps the input; Back saves without validating', async () => {
    const { client } = await newApplicant();
    const draftId = await startDraft(client);
    await client.get(`/drafts/${draftId}/steps/1`);

    // Next without a title: the errors are shown, next to the field and in the summary, and nothing is lost
    const invalid = await client.submitMultipart(`/drafts/${draftId}/steps/1`, {
      ...project,
      subject: '',
      _action: 'next',
    });
    expect(invalid.status).toBe(422);
    expect(invalid.html).toContain('id="error-summary"');
    expect(invalid.html).toContain('href="#field-Field_Subject"');
    expect(invalid.html).toContain('aria-invalid="true"');
    expect(invalid.html).toContain(project.projectDescription);
    expect(invalid.html).toContain('<title>Fehler: ');
    const saved = await draftRow(draftId);
    expect(saved.values).toMatchObject({ projectDescription: project.projectDescription, permitType: 'building' });
    expect(saved.step).toBe(0);

    // Fixed: on to step 2
    const valid = await client.submitMultipart(`/drafts/${draftId}/steps/1`, { ...project, _action: 'next' });
    expect(valid.status).toBe(303);
    expect(valid.headers.get('location')).toBe(`/drafts/${draftId}/steps/2`);
    expect((await draftRow(draftId)).step).toBe(1);

    // Back from step 2 with half an address and an invalid postal code: saved as typed, no errors
    await client.get(`/drafts/${draftId}/steps/2`);
    const back = await client.submit(`/drafts/${draftId}/steps/2`, {
      siteStreet: 'Industriestraße 9',
      sitePostalCode: '123',
      _action: 'back',
    });
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe(`/drafts/${draftId}/steps/1`);
    const afterBack = await draftRow(draftId);
    expect(afterBack.values).toMatchObject({
      subject: project.subject,
      siteStreet: 'Industriestraße 9',
      sitePostalCode: '123',
    });
    expect(afterBack.step).toBe(0);
    const stepOne = await client.get(`/drafts/${draftId}/steps/1`);
    expect(stepOne.html).toContain(`value="${project.subject}"`);
    const stepTwo = await client.get(`/drafts/${draftId}/steps/2`);
    expect(stepTwo.html).toContain('value="Industriestraße 9"');
    expect(stepTwo.html).toContain('Schritt 2 von 3');
    expect(stepTwo.html).not.toContain('error-summary');

    // The review is only for complete drafts: it sends the user to the first step that is not
    const early = await client.get(`/drafts/${draftId}/review`);
    expect(early.headers.get('location')).toBe(`/drafts/${draftId}/steps/2?check=1`);
    const checked = await client.get(`/drafts/${draftId}/steps/2?check=1`);
    expect(checked.html).toContain('href="#field-Field_SiteCity"');
    expect(checked.html).toContain('value="Industriestraße 9"');
  });

  it('refuses oversized, wrong and infected files with a message next to the field, keeping the rest', async () => {
    const { client } = await newApplicant();
    const draftId = await startDraft(client);
    const stepThree = await throughSite(client, draftId);
    expect(stepThree.html).toContain('enctype="multipart/form-data"');
    const note = 'Der Lageplan folgt in besserer Auflösung.';

    const refusals = [
      ['an oversized file', 'gross.pdf', Buffer.concat([PDF, Buffer.alloc(MAX_BYTES, 0x20)]), 'ist zu groß'],
      ['a program renamed .pdf', 'lageplan.pdf', EXE_AS_PDF, 'Erlaubt sind: PDF, PNG, JPG'],
      ['an infected file', 'eicar.pdf', Buffer.from(`%PDF-1.4\n${EICAR}\n`), 'enthält Schadsoftware'],
    ] as const;
    for (const [what, name, content, message] of refusals) {
      const response = await uploadSitePlan(client, draftId, name, content, { documentsNote: note });
      expect(response.status, what).toBe(422);
      expect(response.html, what).toContain(message);
      expect(response.html, what).toContain(`„${name}“`);
      // …in the field's own error paragraph, which the file input names in aria-describedby
      const fieldError = /<p class="field__error" id="field-Field_SitePlan-error">(.*?)<\/p>/s.exec(response.html)?.[1];
      expect(fieldError, what).toContain(message);
      expect(response.html, what).toMatch(
        /<input class="field__file-input" type="file"[^>]*aria-describedby="[^"]*field-Field_SitePlan-error/,
      );
      expect(response.html, what).toContain('href="#field-Field_SitePlan"');
      expect(response.html, what).toContain(note);
      expect((await draftRow(draftId)).values, what).toMatchObject({ documentsNote: note });
    }
    expect(await system.db.select().from(documents).where(eq(documents.draftId, draftId))).toEqual([]);

    // Back with a bad file also reports it, instead of dropping it silently
    const back = await client.submitMultipart(`/drafts/${draftId}/steps/3`, { _action: 'back', documentsNote: note }, [
      { field: 'sitePlan', name: 'lageplan.pdf', content: EXE_AS_PDF },
    ]);
    expect(back.status).toBe(422);
  });

  it('review, submit: one case with the values of every step and the documents attached; a double submit stays one case', async () => {
    const { client, companyId } = await newApplicant();
    const draftId = await startDraft(client);
    await throughSite(client, draftId);

    // A good PDF: stored content-addressed, checked, recorded with its SHA-256
    const uploaded = await uploadSitePlan(client, draftId, 'Lageplan Halle.pdf', PDF);
    expect(uploaded.status).toBe(303);
    expect(uploaded.headers.get('location')).toBe(`/drafts/${draftId}/review`);
    const [document] = await system.db.select().from(documents).where(eq(documents.draftId, draftId));
    expect(document).toMatchObject({
      companyId,
      caseId: null,
      fieldKey: 'sitePlan',
      fileName: 'Lageplan Halle.pdf',
      mediaType: 'application/pdf',
      size: PDF.length,
      scanStatus: 'clean',
    });
    const sha256 = document?.sha256 ?? '';
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await stat(path.join(DATA_DIR, 'blobs', sha256.slice(0, 2), sha256))).size).toBe(PDF.length);
    expect((await draftRow(draftId)).values.sitePlan).toEqual([document?.id]);

    // The review lists every step with a change link
    const review = await client.get(`/drafts/${draftId}/review`);
    expect(review.status).toBe(200);
    expect(review.html).toContain(project.subject);
    expect(review.html).toContain('Industriestraße 9');
    expect(review.html).toContain('Lageplan Halle.pdf');
    for (const n of [1, 2, 3]) expect(review.html).toContain(`href="/drafts/${draftId}/steps/${n}?from&#x3D;review"`);

    // A change from the review goes back to the review
    await client.get(`/drafts/${draftId}/steps/2?from=review`);
    const changed = await client.submit(`/drafts/${draftId}/steps/2`, {
      ...site,
      siteParcel: 'Flur 3, Flurstück 112/4',
      _return: 'review',
      _action: 'next',
    });
    expect(changed.headers.get('location')).toBe(`/drafts/${draftId}/review`);

    // Submitted twice at once: one case
    await client.get(`/drafts/${draftId}/review`);
    const csrf = client.hidden('_csrf');
    const [first, second] = await Promise.all([
      client.submit(`/drafts/${draftId}/submit`, {}, { csrf }),
      client.submit(`/drafts/${draftId}/submit`, {}, { csrf }),
    ]);
    expect(first.status).toBe(303);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    const caseId = /^\/cases\/([0-9a-f-]{36})\?submitted=1$/.exec(first.headers.get('location') ?? '')?.[1] ?? '';
    const draft = await draftRow(draftId);
    const made = await system.db.select().from(cases).where(eq(cases.submissionToken, draft.submissionToken));
    expect(made.map((row) => row.id)).toEqual([caseId]);
    expect(draft.submittedCaseId).toBe(caseId);
    expect(made[0]?.subject).toBe(project.subject);
    expect(made[0]?.variables).toMatchObject({
      ...project,
      siteStreet: site.siteStreet,
      sitePostalCode: site.sitePostalCode,
      siteParcel: 'Flur 3, Flurstück 112/4',
      sitePlan: [document?.id],
    });
    const [attached] = await system.db
      .select()
      .from(documents)
      .where(eq(documents.id, document?.id ?? ''));
    expect(attached?.caseId).toBe(caseId);

    // A third submit, and the draft's pages, lead to the case
    await client.get('/drafts');
    const third = await client.submit(`/drafts/${draftId}/submit`, {});
    expect(third.headers.get('location')).toBe(`/cases/${caseId}?submitted=1`);
    expect((await client.get(`/drafts/${draftId}/steps/1`)).headers.get('location')).toBe(`/cases/${caseId}`);
    expect((await client.get('/drafts')).html).not.toContain(draftId);

    // The case page lists the document; the download is an attachment with the recorded type
    const casePage = await client.get(`/cases/${caseId}`);
    expect(casePage.html).toContain(`/cases/${caseId}/documents/${document?.id}`);
    const download = await fetchAs(client, `/cases/${caseId}/documents/${document?.id}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="Lageplan Halle.pdf"');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(download.body)).toEqual(PDF);

    // Another company gets 404 for the document, also under its own case id
    const other = await newApplicant();
    expect((await other.client.get(`/cases/${caseId}/documents/${document?.id}`)).status).toBe(404);
    expect((await other.client.get(`/cases/${caseId}`)).status).toBe(404);
  });

  it("another user's draft and its documents answer 404, also for a colleague of the same company", async () => {
    const owner = await newApplicant();
    const draftId = await startDraft(owner.client);
    await throughSite(owner.client, draftId);
    await uploadSitePlan(owner.client, draftId, 'plan.pdf', PDF);
    const [document] = await system.db.select().from(documents).where(eq(documents.draftId, draftId));
    expect((await owner.client.get(`/drafts/${draftId}/documents/${document?.id}`)).status).toBe(200);

    const stranger = (await newApplicant()).client;
    const colleague = await colleagueOf(owner.companyId);
    for (const client of [stranger, colleague]) {
      await client.get('/drafts');
      expect((await client.get('/drafts')).html).not.toContain(draftId);
      for (const pathname of [
        `/drafts/${draftId}`,
        `/drafts/${draftId}/steps/1`,
        `/drafts/${draftId}/review`,
        `/drafts/${draftId}/delete`,
        `/drafts/${draftId}/documents/${document?.id}`,
      ]) {
        expect((await client.get(pathname)).status, pathname).toBe(404);
      }
      expect((await client.submit(`/drafts/${draftId}/steps/1`, { ...project, subject: 'Übernommen' })).status).toBe(
        404,
      );
      expect((await client.submit(`/drafts/${draftId}/submit`, {})).status).toBe(404);
      expect((await client.submit(`/drafts/${draftId}/delete`, {})).status).toBe(404);
    }
    expect((await draftRow(draftId)).values.subject).toBe(project.subject);
    expect((await draftRow(draftId)).submittedCaseId).toBeNull();
    expect((await owner.client.get('/drafts/not-a-uuid/steps/1')).status).toBe(404);
    expect((await owner.client.get(`/drafts/${randomUUID()}/steps/1`)).status).toBe(404);
    expect((await owner.client.get(`/drafts/${draftId}/steps/4`)).status).toBe(404);
  });

  it('a wrong CSRF token gets 403 and changes nothing, for multipart uploads as well', async () => {
    const { client } = await newApplicant();
    const draftId = await startDraft(client);
    await throughSite(client, draftId);
    const before = await draftRow(draftId);

    const forgedUpload = await client.submitMultipart(
      `/drafts/${draftId}/steps/3`,
      { _action: 'next', documentsNote: 'gefälscht' },
      [{ field: 'sitePlan', name: 'plan.pdf', content: PDF }],
      { csrf: 'forged-token' },
    );
    expect(forgedUpload.status).toBe(403);
    const withoutToken = await fetch(new URL(`/drafts/${draftId}/steps/3`, system.url), {
      method: 'POST',
      body: (() => {
        const form = new FormData();
        form.append('documentsNote', 'ohne Token');
        return form;
      })(),
      redirect: 'manual',
    });
    expect(withoutToken.status).toBe(403);
    const forgedStep = await client.submit(
      `/drafts/${draftId}/steps/1`,
      { ...project, subject: 'Gefälscht' },
      { csrf: 'x' },
    );
    expect(forgedStep.status).toBe(403);
    const forgedSubmit = await client.submit(`/drafts/${draftId}/submit`, {}, { csrf: 'x'.repeat(32) });
    expect(forgedSubmit.status).toBe(403);
    const forgedDelete = await client.submit(`/drafts/${draftId}/delete`, {}, { csrf: 'x'.repeat(32) });
    expect(forgedDelete.status).toBe(403);

    const after = await draftRow(draftId);
    expect(after.values).toEqual(before.values);
    expect(after.updatedAt).toEqual(before.updatedAt);
    expect(await system.db.select().from(documents).where(eq(documents.draftId, draftId))).toEqual([]);
    expect(await system.db.select().from(cases).where(eq(cases.submissionToken, after.submissionToken))).toEqual([]);
  });

  it('an expired draft explains itself, is not listed and cannot be continued; starting again makes a new one', async () => {
    const { client } = await newApplicant();
    const draftId = await startDraft(client);
    await client.get(`/drafts/${draftId}/steps/1`);
    const csrf = client.hidden('_csrf');
    const list = await client.get('/drafts');
    expect(list.html).toContain('Genehmigungslotse');
    expect(list.html).toContain(`href="/drafts/${draftId}"`);
    expect(list.html).toContain('Gültig bis');

    await system.db
      .update(drafts)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(drafts.id, draftId));
    const expired = await client.get(`/drafts/${draftId}/steps/1`);
    expect(expired.status).toBe(410);
    expect(expired.html).toContain('Dieser Entwurf ist abgelaufen');
    expect((await client.get(`/drafts/${draftId}/review`)).status).toBe(410);
    expect((await client.submit(`/drafts/${draftId}/steps/1`, project, { csrf })).status).toBe(410);
    expect((await client.submit(`/drafts/${draftId}/submit`, {}, { csrf })).status).toBe(410);
    expect((await client.get('/drafts')).html).not.toContain(draftId);
    expect((await draftRow(draftId)).values.subject).toBeUndefined();

    const fresh = await startDraft(client);
    expect(fresh).not.toBe(draftId);
  });

  it('"Meine Entwürfe" resumes where the user left and deletes a draft with its documents', async () => {
    const { client } = await newApplicant();
    const draftId = await startDraft(client);
    await throughSite(client, draftId);
    await uploadSitePlan(client, draftId, 'plan.pdf', PDF, { _action: 'save' });
    // Save: back to the list, on step 3 with the file kept
    const resume = await client.get(`/drafts/${draftId}`);
    expect(resume.headers.get('location')).toBe(`/drafts/${draftId}/steps/3`);
    const stepThree = await client.get(`/drafts/${draftId}/steps/3`);
    expect(stepThree.html).toContain('plan.pdf');

    const confirm = await client.get(`/drafts/${draftId}/delete`);
    expect(confirm.status).toBe(200);
    const deleted = await client.submit(`/drafts/${draftId}/delete`, {});
    expect(deleted.headers.get('location')).toBe('/drafts?deleted=1');
    expect(await system.db.select().from(drafts).where(eq(drafts.id, draftId))).toEqual([]);
    expect(await system.db.select().from(documents).where(eq(documents.draftId, draftId))).toEqual([]);
    expect((await client.get(`/drafts/${draftId}/steps/1`)).status).toBe(404);
  });

  it('a one-page service without files keeps its one-page start form', async () => {
    const client = new WebClient(system.url);
    await client.login(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
    const start = await client.get('/services/general-inquiry/start');
    expect(start.status).toBe(200);
    expect(start.html).toContain('action="/services/general-inquiry/start"');
    // …and a stepped service cannot be submitted through the one-page route
    await client.get('/services/general-inquiry/start');
    expect((await client.submit('/services/permit-guidance/start', project)).status).toBe(404);
  });
});

/** A GET with the client's cookies that keeps the body as bytes (downloads). */
async function fetchAs(client: WebClient, pathname: string) {
  const response = await client.get(pathname);
  return { status: response.status, headers: response.headers, body: new TextEncoder().encode(response.html) };
}
