import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import { AGENCY_SENDER, renderLetterPdf, type Letter } from '../documents/letter-pdf.js';
import type { BlobStore } from '../files/blob-store.js';
import { FILE_TYPES, safeFileName } from '../files/sniff.js';
import type { Variables } from '../interpreter/types.js';
import type { AccountRepository } from '../repositories/account.repository.js';
import type { CaseRepository } from '../repositories/case.repository.js';
import type { DocumentRepository } from '../repositories/document.repository.js';
import type { JobHandler } from './jobs.activities.js';
import { fillTemplate } from './template.js';
import type { JobRequest } from './types.js';

export const DEFAULT_CLOSING = ['Mit freundlichen Grüßen', 'Ihre Wirtschaftsförderung'];
/** The actor of generated documents, where uploads name `applicant:<user id>`. */
export const SYSTEM_UPLOADER = 'system';

export interface DocumentJobDeps {
  cases: Pick<CaseRepository, 'findById'>;
  companies: Pick<AccountRepository, 'findCompany'>;
  documents: Pick<DocumentRepository, 'listForCase' | 'insert'>;
  blobs: BlobStore;
  /** Today's date in the letter; activities may read the clock, tests fix it. */
  clock?: () => Date;
  /** Where the PDF is written before it moves into the blob store (best on the store's file system). */
  tempDir?: string;
}

/**
 * Task type `document`: renders a DIN 5008 letter as PDF and files it as a document of the case, which the
 * company downloads from its case page. Headers: `title` (default "Bescheid"; also names the file
 * `<title>-<case number>.pdf`), `subject` and `body` (text with `{{variable}}` placeholders; blank lines
 * separate paragraphs, paragraphs left empty by the placeholders are dropped), optional `sender`, `closing`
 * (lines separated by newlines) and `resultVariable` (default `decisionDocumentId`), which receives the
 * document's id. Addressed to the case's company with its registered address.
 *
 * Idempotent by the job's idempotency key: a retried job finds the document its earlier attempt filed.
 */
export function documentJob(deps: DocumentJobDeps): JobHandler {
  const clock = deps.clock ?? (() => new Date());
  return async (job) => {
    const resultVariable = job.headers.resultVariable ?? 'decisionDocumentId';
    const caseRow = await deps.cases.findById(job.caseId);
    if (!caseRow) throw ApplicationFailure.nonRetryable(`Element ${job.elementId}: case ${job.caseId} does not exist`);

    const fieldKey = generatedFieldKey(job);
    const filed = (await deps.documents.listForCase(job.caseId)).find((document) => document.fieldKey === fieldKey);
    if (filed) return { variables: { [resultVariable]: filed.id } };

    const company = await deps.companies.findCompany(caseRow.companyId);
    const title = job.headers.title?.trim() || 'Bescheid';
    const pdf = await renderLetterPdf(
      letterOf(job, title, clock(), {
        name: company?.name,
        street: company?.street ?? undefined,
        postalCode: company?.postalCode ?? undefined,
        city: company?.city ?? undefined,
      }),
    );
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    await putBlob(deps, pdf, sha256);
    const document = await deps.documents.insert({
      companyId: caseRow.companyId,
      caseId: job.caseId,
      fieldKey,
      fileName: safeFileName(`${title}-${job.caseNumber}`.replace(/\s+/g, '-'), FILE_TYPES.pdf),
      mediaType: FILE_TYPES.pdf.mediaType,
      size: pdf.length,
      sha256,
      scanStatus: 'clean',
      uploadedBy: SYSTEM_UPLOADER,
    });
    return { variables: { [resultVariable]: document.id } };
  };
}

/**
 * `generated:<element id>:<seq>`: names the element that filed the document and, through the step, the one job
 * that did — an element entered again later (a loop) files a new document, a retry finds its own.
 */
export function generatedFieldKey(job: Pick<JobRequest, 'caseId' | 'elementId' | 'idempotencyKey'>): string {
  const prefix = `${job.caseId}:`;
  const withinCase = job.idempotencyKey.startsWith(prefix)
    ? job.idempotencyKey.slice(prefix.length)
    : job.idempotencyKey;
  return `generated:${withinCase}`;
}

interface Recipient {
  name?: string;
  street?: string;
  postalCode?: string;
  city?: string;
}

export function letterOf(job: JobRequest, title: string, today: Date, company: Recipient): Letter {
  const context: Variables = { ...job.variables, caseNumber: job.caseNumber };
  const date = new Intl.DateTimeFormat('de-DE', {
    timeZone: 'Europe/Berlin',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }).format(today);
  const closing = job.headers.closing?.split('\n').map((line) => fillTemplate(line, context).trim());
  return {
    language: 'de',
    title: `${title} ${job.caseNumber}`,
    sender: job.headers.sender ?? AGENCY_SENDER,
    recipient: recipientLines(job.variables, company),
    references: [
      ['Vorgang', job.caseNumber],
      ['Datum', date],
    ],
    subject: fillTemplate(job.headers.subject ?? title, context),
    body: paragraphs(fillTemplate(job.headers.body ?? '', context)),
    closing: closing ?? DEFAULT_CLOSING,
  };
}

/** The company as registered; the name from the case's variables if the company row has none. */
function recipientLines(variables: Variables, company: Recipient): string[] {
  const fromCase = variables.company;
  const caseCompanyName =
    typeof fromCase === 'object' && fromCase !== null && 'name' in fromCase && typeof fromCase.name === 'string'
      ? fromCase.name
      : undefined;
  const applicant = variables.applicant;
  const applicantName =
    typeof applicant === 'object' && applicant !== null && 'name' in applicant && typeof applicant.name === 'string'
      ? applicant.name
      : undefined;
  const town = [company.postalCode, company.city].filter(Boolean).join(' ');
  const lines = [
    company.name ?? caseCompanyName ?? (typeof variables.companyName === 'string' ? variables.companyName : ''),
    applicantName ? `z. Hd. ${applicantName}` : '',
    company.street ?? '',
    town,
  ];
  return lines.map((line) => line.trim()).filter((line) => line !== '');
}

/** Paragraphs that placeholders left empty would show as gaps in the letter. */
function paragraphs(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
    .join('\n\n');
}

async function putBlob(deps: DocumentJobDeps, pdf: Buffer, sha256: string): Promise<void> {
  const dir = await mkdtemp(path.join(deps.tempDir ?? tmpdir(), 'lotse-document-'));
  try {
    const file = path.join(dir, 'letter.pdf');
    await writeFile(file, pdf);
    await deps.blobs.putFile(file, sha256);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
