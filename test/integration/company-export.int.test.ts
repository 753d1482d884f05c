import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompanyWithUser } from '../../engine/services/seed.js';
import { WebClient } from '../browserless-client.js';
import { startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

let system: System;

beforeAll(async () => {
  system = await startTestSystem({ DATA_DIR: `/tmp/lotse-test-export-${randomUUID()}` });
});

afterAll(async () => {
  await system?.stop();
});

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n');

async function applicant(companyName: string) {
  const email = `export-${randomUUID()}@example.com`;
  await createCompanyWithUser(system.db, {
    company: companyName,
    email,
    name: 'Erika Export',
    password: 'Test-Password-1',
  });
  const client = new WebClient(system.url);
  await client.login(email, 'Test-Password-1');
  return client;
}

/** A permit guidance case with a site plan, sent through the three steps of its draft. */
async function permitCaseWithSitePlan(client: WebClient): Promise<string> {
  const start = await client.get('/services/permit-guidance/start');
  const draftId = /^\/drafts\/([0-9a-f-]{36})\//.exec(start.headers.get('location') ?? '')?.[1];
  if (!draftId) throw new Error('no draft');
  await client.get(`/drafts/${draftId}/steps/1`);
  await client.submitMultipart(`/drafts/${draftId}/steps/1`, {
    companyName: 'Export Bau GmbH',
    contactEmail: 'bau@example.com',
    subject: 'Neubau Lagerhalle Nord',
    projectDescription: 'Eine Lagerhalle mit 800 m² auf unserem Grundstück.',
    permitType: 'building',
    plannedStart: '06/2027',
    _action: 'next',
  });
  await client.get(`/drafts/${draftId}/steps/2`);
  await client.submit(`/drafts/${draftId}/steps/2`, {
    siteStreet: 'Industriestraße 9',
    sitePostalCode: '12345',
    siteCity: 'Musterstadt',
    siteParcel: '',
    _action: 'next',
  });
  await client.get(`/drafts/${draftId}/steps/3`);
  await client.submitMultipart(`/drafts/${draftId}/steps/3`, { _action: 'next' }, [
    { field: 'sitePlan', name: 'Lageplan Nord.pdf', content: PDF, type: 'application/pdf' },
  ]);
  await client.get(`/drafts/${draftId}/review`);
  const sent = await client.submit(`/drafts/${draftId}/submit`, {});
  const caseId = /^\/cases\/([0-9a-f-]{36})/.exec(sent.headers.get('location') ?? '')?.[1];
  if (!caseId) throw new Error(`no case (${sent.status})`);
  return caseId;
}

/** The archive as an independent reader (Python's zipfile, checking every CRC) sees it. */
function unzip(archive: Buffer): Record<string, Buffer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lotse-export-'));
  try {
    const file = path.join(dir, 'export.zip');
    writeFileSync(file, archive);
    const script = [
      'import base64, json, sys, zipfile',
      'z = zipfile.ZipFile(sys.argv[1])',
      'assert z.testzip() is None',
      'print(json.dumps({i.filename: base64.b64encode(z.read(i)).decode() for i in z.infolist()}))',
    ].join('\n');
    const read: Record<string, string> = JSON.parse(
      execFileSync('python3', ['-c', script, file], { encoding: 'utf8' }),
    );
    return Object.fromEntries(Object.entries(read).map(([name, data]) => [name, Buffer.from(data, 'base64')]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('a company exports all its data from its account', () => {
  it('gets one ZIP with its profile, every case with answers and timeline, and the original files — and nothing of another company', async () => {
    // Given a company with a permit case and its site plan, and another company with a case of its own
    const company = await applicant(`Export Bau ${randomUUID().slice(0, 6)} GmbH`);
    const caseId = await permitCaseWithSitePlan(company);
    const other = await applicant(`Andere Firma ${randomUUID().slice(0, 6)} AG`);
    const otherCase = await permitCaseWithSitePlan(other);

    // When the company opens its account and downloads the export
    const account = await company.get('/account');
    expect(account.status).toBe(200);
    expect(account.html).toContain('href="/account/export.zip"');
    const response = await fetch(new URL('/account/export.zip', system.url), {
      headers: { cookie: company.cookieHeader() },
    });

    // Then it is a ZIP download named for the company
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toMatch(
      /attachment; filename="?Datenexport-Export-Bau-[^"]*\.zip"?/,
    );
    const files = unzip(Buffer.from(await response.arrayBuffer()));

    // …with the profile, the case's record and the site plan byte for byte
    expect(JSON.parse(files['company.json']?.toString() ?? '{}').name).toMatch(/^Export Bau /);
    const caseFolders = Object.keys(files).filter((name) => name.endsWith('/case.json'));
    expect(caseFolders).toHaveLength(1);
    const record = JSON.parse(files[caseFolders[0] ?? '']?.toString() ?? '{}');
    expect(record.subject).toBe('Neubau Lagerhalle Nord');
    expect(record.answers).toContainEqual({ key: 'siteStreet', label: expect.any(String), value: 'Industriestraße 9' });
    expect(record.timeline.length).toBeGreaterThan(0);
    expect(record.documents).toHaveLength(1);
    expect(files[record.documents[0].file]?.equals(PDF)).toBe(true);
    expect(files['README.txt']?.toString()).toContain('Datenexport');

    // Invariant: a company's export holds only its own cases
    expect(JSON.stringify(record)).not.toContain(otherCase);
    expect(Object.keys(files).join()).not.toContain(otherCase);
    expect(record.data).toBeDefined();
    expect(caseId).not.toBe(otherCase);

    // And without a login there is no export, only the way to the login
    const anonymous = await new WebClient(system.url).get('/account/export.zip');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toMatch(/^\/login\?next=/);
  });
});
