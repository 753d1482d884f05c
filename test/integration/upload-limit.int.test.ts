import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documents } from '../../engine/db/schema.js';
import { createCompanyWithUser } from '../../engine/services/seed.js';
import { WebClient } from '../browserless-client.js';
import { startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

// Small, and not a multiple of any chunk size busboy or fetch might use, so the boundary is really tested.
const MAX_BYTES = 50_001;
const PDF_HEAD = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n');
const PDF_TAIL = Buffer.from('\n%%EOF\n');

/** A PDF the sniffer accepts, padded with spaces to exactly `size` bytes. */
function pdfOfSize(size: number): Buffer {
  const file = Buffer.concat([PDF_HEAD, Buffer.alloc(size - PDF_HEAD.length - PDF_TAIL.length, 0x20), PDF_TAIL]);
  expect(file.length).toBe(size);
  return file;
}

let system: System;

beforeAll(async () => {
  system = await startTestSystem({
    DATA_DIR: `/tmp/lotse-test-data-${randomUUID()}`,
    UPLOAD_MAX_BYTES: String(MAX_BYTES),
  });
});

afterAll(async () => {
  await system?.stop();
});

/** A logged-in user of a new company, on step 3 (the upload step) of a new permit-guidance draft. */
async function onUploadStep() {
  const email = `upload-${randomUUID()}@example.com`;
  await createCompanyWithUser(system.db, {
    company: `Upload ${randomUUID().slice(0, 8)} GmbH`,
    email,
    name: 'Ulla Upload',
    password: 'Test-Password-1',
  });
  const client = new WebClient(system.url);
  await client.login(email, 'Test-Password-1');
  const started = await client.get('/services/permit-guidance/start');
  const draftId = /^\/drafts\/([0-9a-f-]{36})\/steps\/1/.exec(started.headers.get('location') ?? '')?.[1];
  if (!draftId) throw new Error('no draft');
  await client.get(`/drafts/${draftId}/steps/1`);
  const first = await client.submitMultipart(`/drafts/${draftId}/steps/1`, {
    companyName: 'Upload GmbH',
    contactEmail: 'ulla@example.com',
    subject: 'Neubau einer Halle',
    projectDescription: 'Wir möchten eine Halle mit 400 m² errichten.',
    permitType: 'building',
    plannedStart: '06/2027',
    _action: 'next',
  });
  expect(first.headers.get('location')).toBe(`/drafts/${draftId}/steps/2`);
  await client.get(`/drafts/${draftId}/steps/2`);
  const second = await client.submit(`/drafts/${draftId}/steps/2`, {
    siteStreet: 'Industriestraße 9',
    sitePostalCode: '12345',
    siteCity: 'Musterstadt',
    siteParcel: '',
    _action: 'next',
  });
  expect(second.headers.get('location')).toBe(`/drafts/${draftId}/steps/3`);
  await client.get(`/drafts/${draftId}/steps/3`);
  return { client, draftId };
}

function upload(client: WebClient, draftId: string, name: string, content: Buffer) {
  return client.submitMultipart(`/drafts/${draftId}/steps/3`, { _action: 'next' }, [
    { field: 'sitePlan', name, content, type: 'application/pdf' },
  ]);
}

describe('the upload size limit over HTTP (UPLOAD_MAX_BYTES is the largest accepted size)', () => {
  it('accepts a file of exactly UPLOAD_MAX_BYTES and stores all of its bytes', async () => {
    const { client, draftId } = await onUploadStep();
    const response = await upload(client, draftId, 'genau.pdf', pdfOfSize(MAX_BYTES));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/drafts/${draftId}/review`);
    const stored = await system.db.select().from(documents).where(eq(documents.draftId, draftId));
    expect(stored.map((document) => [document.fileName, document.size])).toEqual([['genau.pdf', MAX_BYTES]]);
  });

  it('refuses a file one byte larger, with the message in the field, and stores nothing', async () => {
    const { client, draftId } = await onUploadStep();
    const response = await upload(client, draftId, 'zu-gross.pdf', pdfOfSize(MAX_BYTES + 1));
    expect(response.status).toBe(422);
    const fieldError = /<p class="field__error" id="field-Field_SitePlan-error">(.*?)<\/p>/s.exec(response.html)?.[1];
    expect(fieldError).toContain('„zu-gross.pdf“ ist zu groß');
    expect(response.html).toContain('href="#field-Field_SitePlan"');
    expect(await system.db.select().from(documents).where(eq(documents.draftId, draftId))).toEqual([]);
  });
});
