/**
 * What the designer's editor bundles share (designer-modeler.ts, designer-form.ts, designer-dmn.ts): saving the
 * edited file with fetch() and showing the server's problems. The page's form (admin/views/designer/file.hbs) does
 * the same without JavaScript; with it, the editor saves without leaving the page.
 */
import './designer.css';

/** A problem as the server words it for the page's language (admin/designer.routes.ts `problemView`). */
export interface ProblemView {
  severity: 'error' | 'warning';
  file: string;
  elementId?: string;
  fieldKey?: string;
  message: string;
}

export type SaveResult = { ok: true; problems: ProblemView[] } | { ok: false; message: string };

/** The editor page's form: action, CSRF token and the texts of the page's language. */
export interface EditorPage {
  form: HTMLFormElement;
  textarea: HTMLTextAreaElement;
  status: HTMLElement;
  problemList: HTMLElement;
  texts: DOMStringMap;
}

export function editorPage(root: HTMLElement): EditorPage | undefined {
  const form = root.querySelector<HTMLFormElement>('form.designer-editor__form');
  const textarea = root.querySelector<HTMLTextAreaElement>('textarea[name="content"]');
  const status = root.querySelector<HTMLElement>('.designer-editor__status');
  const problemList = root.querySelector<HTMLElement>('.designer-problems');
  if (!form || !textarea || !status || !problemList) return undefined;
  return { form, textarea, status, problemList, texts: root.dataset };
}

/**
 * Sends the file as the page's form would, as multipart with the CSRF token in the body; the content goes as a
 * file part, which is not held to the 200 KB limit of a form field.
 */
export async function saveFile(page: EditorPage, content: string): Promise<SaveResult> {
  const body = new FormData();
  const token = page.form.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value ?? '';
  body.append('_csrf', token);
  body.append('content', new Blob([content], { type: 'text/plain;charset=utf-8' }), 'content');
  try {
    const response = await fetch(page.form.action, {
      method: 'POST',
      body,
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
    });
    const answer: unknown = await response.json();
    if (isSaveResult(answer)) return answer;
  } catch {
    // Offline, a session that ended (the login page is HTML) or a server error: said below in the page's words.
  }
  return { ok: false, message: page.texts.saveFailed ?? '' };
}

function isSaveResult(value: unknown): value is SaveResult {
  if (typeof value !== 'object' || value === null) return false;
  const ok: unknown = Reflect.get(value, 'ok');
  return ok === true
    ? Array.isArray(Reflect.get(value, 'problems'))
    : typeof Reflect.get(value, 'message') === 'string';
}

/** Says how the save went in the page's live region (read out by screen readers). */
export function showSaved(page: EditorPage, result: SaveResult): void {
  if (!result.ok) {
    page.status.textContent = result.message;
    page.status.dataset.state = 'error';
    return;
  }
  const errors = result.problems.filter((problem) => problem.severity === 'error').length;
  page.status.textContent = errors === 0 ? (page.texts.savedClean ?? '') : (page.texts.savedWithErrors ?? '');
  page.status.dataset.state = errors === 0 ? 'ok' : 'error';
}

/**
 * Replaces the page's problem list (rendered by the server on load) with the latest one. An entry that names an
 * element or field gets a button to go there, handled by `onSelect`.
 */
export function renderProblems(
  page: EditorPage,
  problems: ProblemView[],
  onSelect?: (problem: ProblemView) => void,
): void {
  const list = page.problemList;
  const items = problems.map((problem) => {
    const item = document.createElement('li');
    item.className = `designer-problem designer-problem--${problem.severity}`;
    const severity = document.createElement('strong');
    severity.textContent = `${page.texts[problem.severity] ?? problem.severity}: `;
    item.append(severity);
    const target = problem.elementId ?? problem.fieldKey;
    if (target && onSelect) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'link-button';
      button.textContent = problem.message;
      button.dataset.elementId = problem.elementId ?? '';
      button.dataset.fieldKey = problem.fieldKey ?? '';
      button.addEventListener('click', () => onSelect(problem));
      item.append(button);
    } else {
      item.append(problem.message);
    }
    return item;
  });
  if (items.length === 0) {
    const none = document.createElement('li');
    none.textContent = page.texts.noProblems ?? '';
    items.push(none);
  }
  list.replaceChildren(...items);
}

/** The problems the server rendered into the page, as data (for markers before the first save). */
export function initialProblems(): ProblemView[] {
  const text = document.querySelector('script.designer-editor__problems')?.textContent;
  if (!text) return [];
  const data: unknown = JSON.parse(text);
  return Array.isArray(data) ? data.filter(isProblemView) : [];
}

function isProblemView(value: unknown): value is ProblemView {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof Reflect.get(value, 'message') === 'string' &&
    typeof Reflect.get(value, 'severity') === 'string'
  );
}

/** How an editor gives its content as text and takes text back (false: the text could not be opened). */
export interface TextSource {
  read(): Promise<string>;
  write(text: string): Promise<boolean>;
}

/**
 * A button that switches between the editor and the file's text field, for whom the editor's canvas does not work
 * (keyboard only, a screen reader, a quick paste). Saving sends what is shown; switching back opens the text in
 * the editor, or stays on the text and says so when the editor cannot read it.
 */
export function textMode(root: HTMLElement, page: EditorPage, view: HTMLElement, editor: TextSource) {
  const button = root.querySelector<HTMLButtonElement>('button.designer-editor__toggle');
  const source = root.querySelector<HTMLElement>('.designer-editor__source');
  let asText = false;
  const show = (text: boolean) => {
    asText = text;
    view.hidden = text;
    if (source) source.hidden = !text;
    if (!button) return;
    button.setAttribute('aria-pressed', String(text));
    button.textContent = (text ? page.texts.toEditor : page.texts.toText) ?? '';
  };
  if (button && source) {
    button.hidden = false;
    show(false);
    button.addEventListener('click', () => {
      void (async () => {
        if (!asText) {
          page.textarea.value = await editor.read();
          show(true);
          page.textarea.focus();
          return;
        }
        // Shown before the import: the editors measure their container to fit the drawing into it.
        view.hidden = false;
        if (await editor.write(page.textarea.value)) {
          show(false);
        } else {
          view.hidden = true;
          page.status.textContent = page.texts.cannotOpen ?? '';
        }
      })();
    });
  }
  return { content: () => (asText ? Promise.resolve(page.textarea.value) : editor.read()) };
}

/**
 * Saving without leaving the page: the form's submit sends what is shown (editor or text) with fetch(), says how
 * it went, and hands the server's problems to the editor to mark.
 */
export function saveOnSubmit(
  page: EditorPage,
  mode: { content(): Promise<string> },
  showProblems: (problems: ProblemView[]) => void,
): void {
  page.form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      const content = await mode.content();
      page.textarea.value = content;
      page.status.textContent = page.texts.saving ?? '';
      const result = await saveFile(page, content);
      showSaved(page, result);
      if (result.ok) showProblems(result.problems);
    })();
  });
}
