/**
 * `filepicker`: an upload field. Its value is the list of document ids (UUIDs) the portal stored for the
 * uploaded files (the upload handling puts them into the input under the field's name); ids ticked in
 * `_removeFile` are left out. Whether an id belongs to this case and user, and whether the file type
 * matches `accept`, is the portal's check, not this one's.
 */
import {
  ownLabel,
  translateInput,
  type ComponentDefinition,
  type FieldOutcome,
  type FieldParts,
  type RenderRun,
} from '../component.js';
import type { FilePickerComponent } from '../model.js';

const DOCUMENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const FILES = {
  de: (count: number) => (count === 1 ? '1 Datei' : `${count} Dateien`),
  en: (count: number) => (count === 1 ? '1 file' : `${count} files`),
};

function checkFiles(component: FilePickerComponent, raw: unknown, removed: ReadonlySet<string>): FieldOutcome {
  const list = raw === undefined || raw === null || raw === '' ? [] : Array.isArray(raw) ? raw : [raw];
  const ids: string[] = [];
  for (const entry of list) {
    if (typeof entry !== 'string') return { error: { code: 'invalidFile' } };
    const id = entry.trim().toLowerCase();
    if (!DOCUMENT_ID.test(id)) return { error: { code: 'invalidFile' } };
    if (!removed.has(id) && !ids.includes(id)) ids.push(id);
  }
  if (ids.length === 0) {
    return component.validate?.required ? { error: { code: 'required', params: { expected: 'file' } } } : {};
  }
  if (!component.multiple && ids.length > 1) return { value: ids, error: { code: 'tooManyFiles', params: { max: 1 } } };
  return { value: ids };
}

function fileView(
  component: FilePickerComponent,
  id: string,
  name: string,
  stored: unknown,
  run: RenderRun,
): FieldParts {
  const ids = Array.isArray(stored) ? stored.filter((entry) => typeof entry === 'string') : [];
  const known = new Map((run.state.files?.[name] ?? []).map((file) => [file.id, file]));
  const bytes = new Intl.NumberFormat(run.state.locale === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 1 });
  return {
    accept: component.accept,
    multiple: component.multiple === true,
    files: ids.map((fileId, index) => {
      const file = known.get(fileId);
      const fileName = file?.name ?? fileId;
      return {
        id: fileId,
        name: fileName,
        size: file === undefined ? '' : formatSize(file.size, bytes),
        removeId: `${id}-remove-${index + 1}`,
        removeLabel: run.text.removeFile(fileName),
      };
    }),
  };
}

function formatSize(size: number, numbers: Intl.NumberFormat): string {
  if (!Number.isFinite(size) || size < 0) return '';
  if (size < 1024) return `${numbers.format(size)} B`;
  if (size < 1024 * 1024) return `${numbers.format(size / 1024)} KB`;
  return `${numbers.format(size / 1024 / 1024)} MB`;
}

export const filepicker: ComponentDefinition<FilePickerComponent> = {
  type: 'filepicker',
  kind: 'input',
  schema: (kit) =>
    kit.z.strictObject({
      ...kit.inputBase,
      type: kit.z.literal('filepicker'),
      accept: kit.z
        .string()
        .regex(/^\s*[\w.+*/-]+(\s*,\s*[\w.+*/-]+)*\s*$/, 'accept must list file types, e.g. ".pdf,image/*"')
        .optional(),
      multiple: kit.z.boolean({ error: 'must be true or false (FEEL expressions are not supported here)' }).optional(),
      validate: kit.choiceValidation.optional(),
    }),
  label: ownLabel,
  translatable: () => ['label', 'description'],
  translate: translateInput,
  input: {
    textual: false,
    initial: () => undefined,
    read: (component, raw, context) => checkFiles(component, raw, context.removedFiles),
    field: (component, { id, name, stored, run }) => fileView(component, id, name, stored, run),
  },
  answer: (_component, value, locale) => (Array.isArray(value) && value.length > 0 ? FILES[locale](value.length) : ''),
};
