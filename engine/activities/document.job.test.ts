import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalBlobStore, type BlobStore } from '../files/blob-store.js';
import type { DocumentRow, NewDocument } from '../repositories/document.repository.js';
import { documentJob, generatedFieldKey, letterOf, type DocumentJobDeps } from './document.job.js';
import type { JobRequest } from './types.js';

const CASE_ID = '6f1d2c3b-0000-4000-8000-000000000001';
const COMPANY_ID = '6f1d2c3b-0000-4000-8000-0000000000c0';

let dir: string;
let blobs: BlobStore;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lotse-document-job-'));
  blobs = createLocalBlobStore(path.join(dir, 'blobs'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The database is the integration lane's; here the repositories are a list in memory. */
function memoryDocuments() {
  const rows: DocumentRow[] = [];
  return {
    rows,
    async listForCase(caseId: string) {
      return rows.filter((row) => row.caseId === caseId);
    },
    async insert(document: NewDocument) {
      const row = {
        id: randomUUID(),
        draftId: null,
        caseId: null,
        scanStatus: 'unscanned',
        createdAt: new Date(),
        ...document,
      } as DocumentRow;
      rows.push(row);
      return row;
    },
  };
}

function deps(documents = memoryDocuments()): DocumentJobDeps & { documents: ReturnType<typeof memoryDocuments> } {
  return {
    cases: {
      findById: async (caseId: string) =>
        (caseId === CASE_ID ? { id: CASE_ID, companyId: COMPANY_ID } : undefined) as never,
    },
    companies: {
      findCompany: async () =>
        ({
          id: COMPANY_ID,
          name: 'Schmidt Metallbau GmbH',
          street: 'Industriestraße 7',
          postalCode: '12345',
          city: 'Musterstadt',
        }) as never,
    },
    documents,
    blobs,
    clock: () => new Date('2026-11-26T23:30:00Z'),
    tempDir: dir,
  };
}

function job(overrides: Partial<JobRequest> = {}): JobRequest {
  return {
    caseId: CASE_ID,
    caseNumber: 'WF-2026-000001',
    elementId: 'Task_CreateDecisionLetter',
    tokenId: 't9',
    taskType: 'document',
    idempotencyKey: `${CASE_ID}:Task_CreateDecisionLetter:17`,
    headers: {
      title: 'Bescheid',
      subject: 'Ihr Vorhaben „{{subject}}“',
      body: 'Sehr geehrte Damen und Herren,\n\nIhr Vorhaben ist {{decisionLabel}}.\n\n{{conditionsText}}\n\nVorgang {{caseNumber}}.',
    },
    variables: {
      subject: 'Neubau einer Lagerhalle',
      decisionLabel: 'genehmigungsfähig',
      conditionsText: '',
      company: { id: COMPANY_ID, name: 'Schmidt Metallbau' },
      applicant: { name: 'Anna Schmidt', email: 'anna.schmidt@schmidt-metallbau.example' },
    },
    ...overrides,
  };
}

describe('document job', () => {
  it('renders the letter as PDF, stores the blob and files it as a document of the case', async () => {
    // Given a decision letter job
    const given = deps();

    // When it runs
    const result = await documentJob(given)(job());

    // Then the case has one clean PDF document, filed by the system under the element and step
    const [document] = given.documents.rows;
    expect(given.documents.rows).toHaveLength(1);
    expect(document).toMatchObject({
      companyId: COMPANY_ID,
      caseId: CASE_ID,
      fieldKey: 'generated:Task_CreateDecisionLetter:17',
      fileName: 'Bescheid-WF-2026-000001.pdf',
      mediaType: 'application/pdf',
      scanStatus: 'clean',
      uploadedBy: 'system',
    });
    expect(result).toEqual({ variables: { decisionDocumentId: document?.id } });

    // And the blob under its SHA-256 is that PDF
    const stored = await readFile(path.join(dir, 'blobs', document!.sha256.slice(0, 2), document!.sha256));
    expect(stored.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(stored.length).toBe(document?.size);
    expect(createHash('sha256').update(stored).digest('hex')).toBe(document?.sha256);
    // …and no temporary file is left behind
    expect((await readdir(dir)).filter((name) => name.startsWith('lotse-document-'))).toEqual([]);
  });

  it('a retry with the same idempotency key files no second document and returns the first', async () => {
    const given = deps();
    const first = await documentJob(given)(job());

    const retried = await documentJob(given)(job());

    expect(given.documents.rows).toHaveLength(1);
    expect(retried).toEqual(first);
  });

  it('the same element in a later step (a loop) files a new document', async () => {
    const given = deps();
    await documentJob(given)(job());

    await documentJob(given)(job({ idempotencyKey: `${CASE_ID}:Task_CreateDecisionLetter:31` }));

    expect(given.documents.rows.map((row) => row.fieldKey)).toEqual([
      'generated:Task_CreateDecisionLetter:17',
      'generated:Task_CreateDecisionLetter:31',
    ]);
  });

  it('writes the id to the header resultVariable', async () => {
    const given = deps();
    const result = await documentJob(given)(
      job({ headers: { ...job().headers, title: 'Eingangsbestätigung', resultVariable: 'receiptId' } }),
    );
    expect(Object.keys(result.variables)).toEqual(['receiptId']);
    expect(given.documents.rows[0]?.fileName).toBe('Eingangsbestätigung-WF-2026-000001.pdf');
  });

  it('fails for good when the case does not exist', async () => {
    await expect(documentJob(deps())(job({ caseId: randomUUID() }))).rejects.toThrow(/does not exist/);
  });
});

describe('the letter', () => {
  it('goes to the registered company, dated in German time, with the placeholders filled and empty paragraphs dropped', () => {
    const letter = letterOf(job(), 'Bescheid', new Date('2026-11-26T23:30:00Z'), {
      name: 'Schmidt Metallbau GmbH',
      street: 'Industriestraße 7',
      postalCode: '12345',
      city: 'Musterstadt',
    });
    expect(letter.recipient).toEqual([
      'Schmidt Metallbau GmbH',
      'z. Hd. Anna Schmidt',
      'Industriestraße 7',
      '12345 Musterstadt',
    ]);
    // 23:30 UTC is already the next day in Germany
    expect(letter.references).toEqual([
      ['Vorgang', 'WF-2026-000001'],
      ['Datum', '27.11.2026'],
    ]);
    expect(letter.subject).toBe('Ihr Vorhaben „Neubau einer Lagerhalle“');
    expect(letter.body).toBe(
      'Sehr geehrte Damen und Herren,\n\nIhr Vorhaben ist genehmigungsfähig.\n\nVorgang WF-2026-000001.',
    );
    expect(letter.title).toBe('Bescheid WF-2026-000001');
    expect(letter.closing).toEqual(['Mit freundlichen Grüßen', 'Ihre Wirtschaftsförderung']);
  });

  it('without a company row, the company name of the case', () => {
    const letter = letterOf(job(), 'Bescheid', new Date('2026-11-26T10:00:00Z'), {});
    expect(letter.recipient).toEqual(['Schmidt Metallbau', 'z. Hd. Anna Schmidt']);
  });

  it('names the element and step of the job in the field key', () => {
    expect(generatedFieldKey({ caseId: 'c1', elementId: 'Task_A', idempotencyKey: 'c1:Task_A:4' })).toBe(
      'generated:Task_A:4',
    );
  });
});
