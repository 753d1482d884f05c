/**
 * The files of a draft's step: which documents a file field keeps, which new uploads it takes, and
 * why a file was refused. A file field's value is the ids of its documents.
 */
import { readPath, splitKey } from '../../forms/paths.js';
import type { FormSchema } from '../../forms/schema.js';
import { REMOVE_FILE_FIELD } from '../../forms/validate.js';
import type { Uploads } from '../files/multipart.js';
import type { DocumentService, UploadProblem } from './document.service.js';
import { fileFieldsOf, type FileField } from './start-steps.js';

/** At most this many files in one file field. */
export const MAX_FILES_PER_FIELD = 10;

export interface FileProblem {
  componentId: string;
  /** The file field's name (data path). */
  name: string;
  fileName: string;
  problem: UploadProblem;
}

/**
 * The step's file fields after this request: the ids the page sent back (hidden inputs) that this
 * draft really owns for that field and were not removed, plus the files that arrive now and pass the
 * checks (they are stored as the draft's documents). A refused file is a problem, never an error.
 */
export async function receiveStepFiles(
  documents: Pick<DocumentService, 'listForDraft' | 'store'>,
  owner: { companyId: string; userId: string; draftId: string },
  form: FormSchema,
  input: Record<string, unknown>,
  uploads: Uploads,
): Promise<{ fileValues: Record<string, string[]>; fileProblems: FileProblem[] }> {
  const fileValues: Record<string, string[]> = {};
  const fileProblems: FileProblem[] = [];
  const owned = await documents.listForDraft(owner.draftId);
  const removed = new Set(stringList(arrayOf(input[REMOVE_FILE_FIELD])));
  for (const field of fileFieldsOf(form)) {
    const mine = new Set(owned.filter((document) => document.fieldKey === field.name).map((document) => document.id));
    let ids = stringList(arrayOf(input[field.name])).filter((id) => mine.has(id) && !removed.has(id));
    const incoming = uploads.files.filter((file) => file.field === field.name);
    // One file only: a new one takes the place of the old.
    if (!field.multiple && incoming.length > 0) ids = [];
    const limit = field.multiple ? MAX_FILES_PER_FIELD : 1;
    for (const file of incoming) {
      if (ids.length >= limit) {
        fileProblems.push({ ...problemAt(field, file.fileName), problem: { code: 'tooManyFiles', max: limit } });
        continue;
      }
      const stored = await documents.store(
        file,
        {
          companyId: owner.companyId,
          draftId: owner.draftId,
          fieldKey: field.name,
          uploadedBy: `applicant:${owner.userId}`,
        },
        field.accept,
      );
      if (stored.ok) ids.push(stored.document.id);
      else fileProblems.push({ ...problemAt(field, file.fileName), problem: stored.problem });
    }
    if (uploads.overfull.has(field.name)) {
      fileProblems.push({ ...problemAt(field, ''), problem: { code: 'tooManyFiles', max: limit } });
    }
    fileValues[field.name] = ids;
  }
  return { fileValues, fileProblems };
}

/** The document ids the draft's file fields name. */
export function documentIdsIn(values: Record<string, unknown>, forms: Pick<FormSchema, 'components'>[]): string[] {
  return forms.flatMap((form) =>
    fileFieldsOf(form).flatMap((field) => stringList(readPath(values, splitKey(field.name)))),
  );
}

function problemAt(field: FileField, fileName: string) {
  return { componentId: field.id, name: field.name, fileName };
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
