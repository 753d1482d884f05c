/**
 * The designer's form editor (`/static/designer-form.{js,css}`, bundled by engine/web/browser-assets.ts) on the
 * editor page of a `.form` file: the form-js editor, and beside it the preview as companies will see it, in German
 * and English, rendered by the server's own form renderer (forms/render.ts) from the editor's current schema and the
 * translation file's current text. Without it the page is a textarea, a save button and the saved form's preview.
 */
import { FormEditor } from '@bpmn-io/form-js-editor';
import '@bpmn-io/form-js-viewer/dist/assets/form-js.css';
import '@bpmn-io/form-js-editor/dist/assets/form-js-editor.css';
import '@bpmn-io/form-js-editor/dist/assets/properties-panel.css';
import { SUPPORTED_COMPONENT_TYPES } from '../../forms/registry.js';
import {
  editorPage,
  initialProblems,
  type ProblemView,
  renderProblems,
  saveOnSubmit,
  textMode,
} from './designer-save.js';

/** Typing pauses this long before the preview is asked for again: one request per pause, not per key. */
const PREVIEW_DELAY_MS = 600;

interface FormField {
  id: string;
  key?: string;
}

async function start(root: HTMLElement): Promise<void> {
  const page = editorPage(root);
  const view = root.querySelector<HTMLElement>('.designer-form');
  const container = root.querySelector<HTMLElement>('.designer-form__editor');
  const previews = [...root.querySelectorAll<HTMLElement>('[data-preview-locale]')];
  const translation = root.querySelector<HTMLTextAreaElement>('textarea[data-translation]');
  const previewUrl = root.dataset.previewUrl;
  if (!page || !view || !container || !previewUrl) return;

  let schema: unknown;
  try {
    schema = JSON.parse(page.textarea.value);
  } catch {
    // Not JSON: the text stays editable as it is; the problem list says what is wrong.
    page.status.textContent = page.texts.cannotOpen ?? '';
    return;
  }
  view.hidden = false;
  offerSupportedComponentsOnly();
  const editor = new FormEditor({ container });
  try {
    await editor.importSchema(schema);
  } catch (error) {
    view.hidden = true;
    page.status.textContent = page.texts.cannotOpen ?? '';
    console.warn('The form could not be opened in the editor', error);
    return;
  }
  root.querySelector<HTMLElement>('.designer-editor__source')?.setAttribute('hidden', '');
  const current = () => JSON.stringify(editor.saveSchema(), null, 2);

  let problems = initialProblems();
  const fieldsWithProblems = () => {
    const keys = new Set(problems.flatMap((problem) => (problem.fieldKey ? [problem.fieldKey] : [])));
    const fields: FormField[] = editor.get<{ getAll(): FormField[] }>('formFieldRegistry').getAll();
    for (const field of fields) {
      const element = container.querySelector(`[data-id="${CSS.escape(field.id)}"]`);
      element?.classList.toggle('lotse-field-problem', field.key !== undefined && keys.has(field.key));
    }
  };
  const select = (problem: ProblemView) => {
    const fields: FormField[] = editor.get<{ getAll(): FormField[] }>('formFieldRegistry').getAll();
    const field = fields.find((candidate) => candidate.key === problem.fieldKey);
    if (!field) return;
    editor.get<{ set(field: FormField): void }>('selection').set(field);
    container.querySelector(`[data-id="${CSS.escape(field.id)}"]`)?.scrollIntoView({ block: 'nearest' });
  };
  const show = (next: ProblemView[]) => {
    problems = next;
    renderProblems(page, problems, select);
    fieldsWithProblems();
  };
  show(problems);
  const wanted = new URLSearchParams(window.location.search).get('field');
  if (wanted) select({ severity: 'error', file: '', fieldKey: wanted, message: '' });

  let timer: ReturnType<typeof setTimeout> | undefined;
  const refreshPreview = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () => void preview(page.form, previewUrl, current(), translation?.value ?? '', previews),
      PREVIEW_DELAY_MS,
    );
  };
  editor.on('changed', () => {
    refreshPreview();
    fieldsWithProblems();
  });
  translation?.addEventListener('input', refreshPreview);

  const mode = textMode(root, page, view, {
    read: () => Promise.resolve(current()),
    write: async (text) => {
      try {
        await editor.importSchema(JSON.parse(text));
        return true;
      } catch {
        return false;
      }
    },
  });

  saveOnSubmit(page, mode, show);
}

/**
 * The palette offers only the components Lotse renders (forms/registry.ts); the others would be refused on save.
 * A style rule, not removed DOM nodes: the palette redraws itself (search, drag), a rule holds through that.
 */
function offerSupportedComponentsOnly(): void {
  const supported = SUPPORTED_COMPONENT_TYPES.map((type) => `:not([data-field-type="${type}"])`).join('');
  const style = document.createElement('style');
  style.textContent = `.fjs-palette-field${supported} { display: none; }`;
  document.head.append(style);
}

/** Asks the server to render the form as companies see it; each language's box shows its answer. */
async function preview(
  form: HTMLFormElement,
  url: string,
  schema: string,
  translation: string,
  boxes: HTMLElement[],
): Promise<void> {
  const body = new FormData();
  body.append('_csrf', form.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value ?? '');
  body.append('content', new Blob([schema], { type: 'application/json' }), 'form.json');
  body.append('translation', new Blob([translation], { type: 'application/json' }), 'translation.json');
  for (const box of boxes) {
    const locale = box.dataset.previewLocale ?? 'de';
    const response = await fetch(`${url}?preview=${encodeURIComponent(locale)}`, {
      method: 'POST',
      body,
      headers: { Accept: 'text/html' },
      credentials: 'same-origin',
    }).catch(() => undefined);
    if (!response?.ok) continue;
    // The server's renderer escapes every value (forms/render.ts); parsed, not executed (no script runs from it).
    const fragment = new DOMParser().parseFromString(await response.text(), 'text/html');
    box.replaceChildren(...fragment.body.childNodes);
  }
}

const root = document.querySelector<HTMLElement>('[data-designer-editor="form"]');
if (root) void start(root);
