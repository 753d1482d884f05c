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

export interface DocumentOwner {
  companyId: string;
  draftId: string;
  fieldKey: string;
  /** `applicant:<user id>`, like the actors of case events. */
  uploadedBy: string;
}

export function createDocumentService(deps: {
  documents: DocumentRepository;
  blobs: BlobStore;
  scanner: VirusScanner;
  maxBytes: number;
  logger: Logger;
}) {
  const { documents, blobs, scanner, maxBytes, logger } = deps;

  async function open(document: DocumentRow): Promise<{ document: DocumentRow; content: Readable }> {
    return { document, content: await blobs.open(document.sha256) };
  }

  return {
    maxBytes,

    /**
     * Checks an uploaded file (size, type by its bytes against `accept`, virus scan) and, if it passes,
     * stores it content-addressed and records it as a document of the draft.
     */
    async store(file: UploadedFile, owner: DocumentOwner, accept: string | undefined): Promise<StoreResult> {
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

    listForDraft: (draftId: string) => documents.listForDraft(draftId),
    listForCase: (caseId: string) => documents.listForCase(caseId),
    attachToCase: (draftId: string, documentIds: string[], caseId: string) =>
      documents.attachToCase(draftId, documentIds, caseId),
    /** The draft keeps only the documents its values still name. */
    keepOnlyInDraft: (draftId: string, documentIds: string[]) =>
      documents.deleteDraftDocumentsExcept(draftId, documentIds),

    /** A case document for its company; undefined (→ 404) for anyone else or any other case. */
    async openForCase(companyId: string, caseId: string, documentId: string) {
      const document = await documents.findById(documentId);
      if (!document || document.companyId !== companyId || document.caseId !== caseId) return undefined;
      return open(document);
    },

    /** A case document for staff; the caller has checked that the staff member may see the case. */
    async openForStaff(caseId: string, documentId: string) {
      const document = await documents.findById(documentId);
      if (!document || document.caseId !== caseId) return undefined;
      return open(document);
    },

    /** A draft's document; the caller has checked that the draft is the user's. */
    async openForDraft(draftId: string, documentId: string) {
      const document = await documents.findById(documentId);
      if (!document || document.draftId !== draftId || document.caseId !== null) return undefined;
      return open(document);
    },
  };
}

export type DocumentService = ReturnType<typeof createDocumentService>;
