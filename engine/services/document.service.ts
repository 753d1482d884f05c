import type { Logger } from '../log/logger.js';
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { BlobStore } from '../files/blob-store.js';
import type { UploadedFile } from '../files/multipart.js';
import { accepts, sniffFileType, safeFileName } from '../files/sniff.js';
import type { VirusScanner } from '../files/virus-scan.js';
import type { DocumentRepository, DocumentRow } from '../repositories/document.repository.js';

/** Why an upload was refused; the portal turns it into a message next to the field. */
export type UploadProblem =
  | { code: 'fileTooLarge'; maxBytes: number }
  | { code: 'fileEmpty' }
  | { code: 'fileType'; accept: string | undefined }
  | { code: 'fileInfected' }
  | { code: 'fileScanFailed' }
  | { code: 'tooManyFiles'; max: number };

export type StoreResult = { ok: true; document: DocumentRow } | { ok: false; problem: UploadProblem };

/** Who holds a new upload until it is the case's: a draft (start form), or a task (a task's form). */
export interface DocumentOwner {
  companyId: string;
  draftId?: string;
  taskId?: string;
  fieldKey: string;
  /** `applicant:<user id>` or `staff:<id>`, like the actors of case events. */
  uploadedBy: string;
}

/** A stored document with its content, to send as a download. */
export interface OpenedDocument {
  document: DocumentRow;
  content: Readable;
}

/** Uploaded documents: checked on the way in, owned by a draft and then its case, opened only by their owner. */
export interface DocumentService {
  /** Largest accepted upload per file, in bytes. */
  maxBytes: number;
  /**
   * Checks an uploaded file (size, type by its bytes against `accept`, virus scan) and, if it passes,
   * stores it content-addressed and records it as a document of the draft.
   */
  store(file: UploadedFile, owner: DocumentOwner, accept: string | undefined): Promise<StoreResult>;
  listForDraft(draftId: string): Promise<DocumentRow[]>;
  listForCase(caseId: string): Promise<DocumentRow[]>;
  /** A task form's uploads that its completion has not yet handed to the case. */
  listPendingForTask(taskId: string): Promise<DocumentRow[]>;
  /** Hands the named uploads of a task over to its case (after the completion went through). */
  attachTaskDocuments(taskId: string, documentIds: string[], caseId: string): Promise<void>;
  /** Hands the named documents of the draft over to its case. */
  attachToCase(draftId: string, documentIds: string[], caseId: string): Promise<void>;
  /** The draft keeps only the documents its values still name. */
  keepOnlyInDraft(draftId: string, documentIds: string[]): Promise<void>;
  /** A case document for its company; undefined (→ 404) for anyone else or any other case. */
  openForCase(companyId: string, caseId: string, documentId: string): Promise<OpenedDocument | undefined>;
  /** A case document for staff; the caller has checked that the staff member may see the case. */
  openForStaff(caseId: string, documentId: string): Promise<OpenedDocument | undefined>;
  /** A draft's document; the caller has checked that the draft is the user's. */
  openForDraft(draftId: string, documentId: string): Promise<OpenedDocument | undefined>;
}

export interface DocumentServiceDeps {
  documents: DocumentRepository;
  blobs: BlobStore;
  scanner: VirusScanner;
  maxBytes: number;
  logger: Logger;
}

export function createDocumentService(deps: DocumentServiceDeps): DocumentService {
  const { documents, blobs, scanner, maxBytes, logger } = deps;

  async function open(document: DocumentRow): Promise<OpenedDocument> {
    return { document, content: await blobs.open(document.sha256) };
  }

  return {
    maxBytes,

    async store(file, owner, accept) {
      if (file.tooLarge || file.size > maxBytes) return { ok: false, problem: { code: 'fileTooLarge', maxBytes } };
      if (file.size === 0) return { ok: false, problem: { code: 'fileEmpty' } };
      const fileType = sniffFileType(await readFile(file.tempPath), file.fileName);
      if (!fileType || !accepts(accept, fileType)) return { ok: false, problem: { code: 'fileType', accept } };
      let scan;
      try {
        scan = await scanner.scan(file.tempPath);
      } catch (error) {
        logger.error({ err: error }, 'virus scan failed: the upload is refused');
        return { ok: false, problem: { code: 'fileScanFailed' } };
      }
      if (scan.status === 'infected') {
        logger.warn({ signature: scan.signature, uploadedBy: owner.uploadedBy }, 'refused an infected upload');
        return { ok: false, problem: { code: 'fileInfected' } };
      }
      await blobs.putFile(file.tempPath, file.sha256);
      const document = await documents.insert({
        ...owner,
        fileName: safeFileName(file.fileName, fileType),
        mediaType: fileType.mediaType,
        size: file.size,
        sha256: file.sha256,
        scanStatus: scan.status,
      });
      return { ok: true, document };
    },

    listForDraft: (draftId) => documents.listForDraft(draftId),
    listForCase: (caseId) => documents.listForCase(caseId),
    attachToCase: (draftId, documentIds, caseId) => documents.attachToCase(draftId, documentIds, caseId),
    listPendingForTask: (taskId) => documents.listPendingForTask(taskId),
    attachTaskDocuments: (taskId, documentIds, caseId) => documents.attachTaskDocuments(taskId, documentIds, caseId),
    keepOnlyInDraft: (draftId, documentIds) => documents.deleteDraftDocumentsExcept(draftId, documentIds),

    async openForCase(companyId, caseId, documentId) {
      const document = await documents.findById(documentId);
      if (!document || document.companyId !== companyId || document.caseId !== caseId) return undefined;
      return open(document);
    },

    async openForStaff(caseId, documentId) {
      const document = await documents.findById(documentId);
      if (!document || document.caseId !== caseId) return undefined;
      return open(document);
    },

    async openForDraft(draftId, documentId) {
      const document = await documents.findById(documentId);
      if (!document || document.draftId !== draftId || document.caseId !== null) return undefined;
      return open(document);
    },
  };
}
