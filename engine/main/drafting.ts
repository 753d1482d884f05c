import path from 'node:path';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../log/logger.js';
import { createLocalBlobStore } from '../files/blob-store.js';
import { multipartForms } from '../files/multipart.js';
import { createClamdScanner, noVirusScanner } from '../files/virus-scan.js';
import { createAccountRepository } from '../repositories/account.repository.js';
import { createDocumentRepository } from '../repositories/document.repository.js';
import { createDraftRepository } from '../repositories/draft.repository.js';
import type { CaseStartService } from '../services/case-start.service.js';
import type { CatalogService } from '../services/catalog.service.js';
import { createDocumentService } from '../services/document.service.js';
import { MAX_FILES_PER_FIELD } from '../services/draft-files.js';
import { createDraftAnswersService } from '../services/draft-answers.service.js';
import { createDraftService } from '../services/draft.service.js';

/**
 * Part of the composition root (`system.ts`): drafts of stepped starts, documents with their blob
 * store and virus scan, and the multipart parser the web app runs before its CSRF check.
 */
export function createDrafting(deps: {
  db: Database;
  config: Config;
  dataDir: string;
  catalog: CatalogService;
  caseStarts: CaseStartService;
  logger: Logger;
}) {
  const { db, config, dataDir, logger } = deps;
  const blobsDir = path.join(dataDir, 'blobs');
  const documents = createDocumentService({
    documents: createDocumentRepository(db),
    blobs: createLocalBlobStore(blobsDir),
    scanner: config.CLAMD_HOST
      ? createClamdScanner({ host: config.CLAMD_HOST, port: config.CLAMD_PORT })
      : noVirusScanner,
    maxBytes: config.UPLOAD_MAX_BYTES,
    logger,
  });
  const draftRepository = createDraftRepository(db);
  const drafts = createDraftService({
    drafts: draftRepository,
    documents,
    catalog: deps.catalog,
    companies: createAccountRepository(db),
    ttlDays: config.DRAFT_TTL_DAYS,
    logger,
  });
  const draftAnswers = createDraftAnswersService({
    drafts: draftRepository,
    documents,
    caseStarts: deps.caseStarts,
    load: drafts.load,
    ttlDays: config.DRAFT_TTL_DAYS,
  });
  const multipartBody = multipartForms({
    // Next to the blobs, so keeping an upload is a rename on the same file system.
    tempDir: path.join(blobsDir, 'incoming'),
    maxFileBytes: config.UPLOAD_MAX_BYTES,
    maxFilesPerField: MAX_FILES_PER_FIELD,
    // Only signed-in people upload (company users: drafts and tasks; staff: task forms); for anyone else the body
    // stays unread and the CSRF check refuses it.
    admit: (req) => req.session.principal !== undefined,
  });
  return {
    drafts,
    draftAnswers,
    documents,
    multipartBody,
    maxUploadBytes: config.UPLOAD_MAX_BYTES,
    draftTtlDays: config.DRAFT_TTL_DAYS,
  };
}
