/**
 * Uploads on a task's form (the company's and staff's, a Rückfrage's too): like a draft step's files
 * (draft-files.ts), but held by the task until its completion goes through — then they are the case's
 * documents, linked to the task, and the form's value names their ids.
 */
import { fieldId } from '../../forms/paths.js';
import type { FormSchema } from '../../forms/schema.js';
import { REMOVE_FILE_FIELD, type FieldError } from '../../forms/validate.js';
import type { Uploads } from '../files/multipart.js';
import type { DocumentRow } from '../repositories/document.repository.js';
import type { DocumentService } from './document.service.js';
import { MAX_FILES_PER_FIELD } from './draft-files.js';
import { fileFieldsOf } from './start-steps.js';

export interface TaskFiles {
  /** The input with each file field's value: the ids this task holds for it (kept ones and new uploads). */
  data: Record<string, unknown>;
  /** Refused files, as the error of their field. */
  errors: FieldError[];
  /** The task's uploads per field, for showing the form again. */
  shown: Record<string, { id: string; name: string; size: number }[]>;
  /** Hands the named uploads to the case: call once the completion went through. */
  attach(caseId: string): Promise<void>;
}

export async function receiveTaskFiles(
  documents: Pick<DocumentService, 'store' | 'listPendingForTask' | 'attachTaskDocuments'>,
  owner: { companyId: string; taskId: string; uploadedBy: string },
  form: FormSchema | undefined,
  input: Record<string, unknown>,
  uploads: Uploads,
): Promise<TaskFiles> {
  const fields = form ? fileFieldsOf(form) : [];
  if (fields.length === 0) return { data: input, errors: [], shown: {}, attach: async () => {} };
  const pending = await documents.listPendingForTask(owner.taskId);
  const removed = new Set(strings(input[REMOVE_FILE_FIELD]));
  const data: Record<string, unknown> = { ...input };
  const errors: FieldError[] = [];
  const shown: TaskFiles['shown'] = {};
  const byId = new Map<string, DocumentRow>(pending.map((document) => [document.id, document]));
  for (const field of fields) {
    // Only ids this task holds for this field count: an id typed into the page names nothing else.
    let ids = strings(input[field.name]).filter((id) => byId.get(id)?.fieldKey === field.name && !removed.has(id));
    const incoming = uploads.files.filter((file) => file.field === field.name);
    if (!field.multiple && incoming.length > 0) ids = [];
    const limit = field.multiple ? MAX_FILES_PER_FIELD : 1;
    let refused = uploads.overfull.has(field.name);
    for (const file of incoming) {
      if (ids.length >= limit) {
        refused = true;
        continue;
      }
      const stored = await documents.store(file, { ...owner, fieldKey: field.name }, field.accept);
      if (stored.ok) {
        ids.push(stored.document.id);
        byId.set(stored.document.id, stored.document);
      } else refused = true;
    }
    if (refused) {
      errors.push({ componentId: field.id, key: field.name, fieldId: fieldId(field.id), code: 'invalidFile' });
    }
    data[field.name] = ids;
    shown[field.name] = ids.flatMap((id) => {
      const document = byId.get(id);
      return document ? [{ id, name: document.fileName, size: document.size }] : [];
    });
  }
  const named = fields.flatMap((field) => strings(data[field.name]));
  return {
    data,
    errors,
    shown,
    attach: (caseId) => documents.attachTaskDocuments(owner.taskId, named, caseId),
  };
}

function strings(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((item): item is string => typeof item === 'string');
}
