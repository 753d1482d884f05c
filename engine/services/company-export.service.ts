import type { Readable } from 'node:stream';
import { summarizeAnswers } from '../../forms/summary.js';
import type { Locale } from '../../forms/validate.js';
import { zip, type ZipEntry } from '../files/zip.js';
import type { AccountRepository } from '../repositories/account.repository.js';
import type { CompanyUserSession } from './auth.service.js';
import type { CaseService } from './case.service.js';
import type { DocumentService } from './document.service.js';

export interface CompanyExport {
  fileName: string;
  archive: Buffer;
}

export interface CompanyExportService {
  /**
   * Everything the agency holds about the user's company as the company itself may see it (GDPR
   * art. 15 and 20): the profile, every case with its answers, status timeline, tasks and documents,
   * as JSON plus the original files, in one ZIP.
   */
  exportFor(user: CompanyUserSession, locale: Locale): Promise<CompanyExport>;
}

export interface CompanyExportServiceDeps {
  cases: CaseService;
  documents: DocumentService;
  accounts: AccountRepository;
  clock?: () => Date;
}

export function createCompanyExportService(deps: CompanyExportServiceDeps): CompanyExportService {
  const { cases, documents, accounts } = deps;
  const clock = deps.clock ?? (() => new Date());

  async function caseEntries(user: CompanyUserSession, caseId: string, locale: Locale): Promise<ZipEntry[]> {
    // The company's own view of the case: the same authorization as its case page.
    const found = await cases.detailForCompany(caseId, user);
    if (!found) return [];
    const { detail, timeline, tasks, startForm } = found;
    const folder = `${detail.number}`;
    const files: ZipEntry[] = [];
    const documentLines = [];
    for (const document of await documents.listForCase(caseId)) {
      const opened = await documents.openForCase(user.companyId, caseId, document.id);
      if (!opened) continue;
      const path = `${folder}/${uniqueName(document.fileName, files)}`;
      files.push({ name: path, content: await readAll(opened.content) });
      documentLines.push({ name: document.fileName, file: path, size: document.size, sha256: document.sha256 });
    }
    const record = {
      number: detail.number,
      service: locale === 'en' ? detail.serviceTitleEn : detail.serviceTitleDe,
      subject: detail.subject,
      status: found.publicStatusLabel?.[locale] ?? null,
      createdAt: detail.createdAt,
      updatedAt: detail.updatedAt,
      answers: startForm ? summarizeAnswers(startForm, detail.variables, locale) : [],
      timeline,
      tasks: tasks.map((task) => ({
        name: task.name,
        status: task.status,
        createdAt: task.createdAt,
        completedAt: task.completedAt,
      })),
      documents: documentLines,
      data: detail.variables,
    };
    return [{ name: `${folder}/case.json`, content: json(record) }, ...files];
  }

  return {
    async exportFor(user, locale) {
      const now = clock();
      const company = await accounts.findCompany(user.companyId);
      const entries: ZipEntry[] = [
        { name: 'README.txt', content: Buffer.from(README, 'utf8') },
        { name: 'company.json', content: json(company ?? { id: user.companyId, name: user.companyName }) },
      ];
      for (const summary of await cases.listForCompany(user.companyId)) {
        entries.push(...(await caseEntries(user, summary.id, locale)));
      }
      const day = now.toISOString().slice(0, 10);
      const named = user.companyName.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '') || 'Unternehmen';
      return { fileName: `Datenexport-${named}-${day}.zip`, archive: zip(entries, now) };
    },
  };
}

const README = `Datenexport der Wirtschaftsförderung / Data export of the economic development agency

company.json                 Ihr Unternehmensprofil / your company profile
<Vorgangsnummer>/case.json   je Vorgang: Angaben, Statusverlauf, Aufgaben, Unterlagen, Daten /
                             per case: answers, status timeline, tasks, documents, data
<Vorgangsnummer>/<Datei>     die eingereichten und erzeugten Unterlagen / the documents submitted and generated
`;

function json(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}

/** Two documents of one case may share a file name: the second becomes `name (2).ext`. */
function uniqueName(fileName: string, taken: ZipEntry[]): string {
  // Stored names are already safe for downloads (engine/files/sniff.ts); inside an archive a slash would be a folder.
  const safe = fileName.replace(/[/\\]/g, '_') || 'Dokument';
  const names = new Set(taken.map((entry) => entry.name.split('/').at(-1)));
  if (!names.has(safe)) return safe;
  const dot = safe.lastIndexOf('.');
  const [stem, extension] = dot > 0 ? [safe.slice(0, dot), safe.slice(dot)] : [safe, ''];
  for (let n = 2; ; n++) if (!names.has(`${stem} (${n})${extension}`)) return `${stem} (${n})${extension}`;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}
