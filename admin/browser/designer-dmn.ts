/**
 * The designer's decision editor (`/static/designer-dmn.{js,css}`, bundled by engine/web/browser-assets.ts) on the
 * editor page of a `.dmn` file: dmn-js's modeler (decision requirements diagram, decision tables, literal
 * expressions), opened on the first decision table. Without it the page is a textarea and a save button.
 */
import DmnModeler from 'dmn-js/lib/Modeler.js';
import 'dmn-js/dist/assets/diagram-js.css';
import 'dmn-js/dist/assets/dmn-js-shared.css';
import 'dmn-js/dist/assets/dmn-js-drd.css';
import 'dmn-js/dist/assets/dmn-js-decision-table.css';
import 'dmn-js/dist/assets/dmn-js-decision-table-controls.css';
import 'dmn-js/dist/assets/dmn-js-literal-expression.css';
import 'dmn-js/dist/assets/dmn-js-boxed-expression.css';
import 'dmn-js/dist/assets/dmn-js-boxed-expression-controls.css';
import 'dmn-js/dist/assets/dmn-font/css/dmn-embedded.css';
import {
  editorPage,
  initialProblems,
  type ProblemView,
  renderProblems,
  saveOnSubmit,
  textMode,
} from './designer-save.js';

async function start(root: HTMLElement): Promise<void> {
  const page = editorPage(root);
  const view = root.querySelector<HTMLElement>('.designer-dmn');
  const container = root.querySelector<HTMLElement>('.designer-dmn__canvas');
  if (!page || !view || !container) return;

  view.hidden = false;
  const modeler = new DmnModeler({ container });
  try {
    await modeler.importXML(page.textarea.value);
  } catch (error) {
    view.hidden = true;
    page.status.textContent = page.texts.cannotOpen ?? '';
    console.warn('The DMN file could not be opened in the editor', error);
    return;
  }
  root.querySelector<HTMLElement>('.designer-editor__source')?.setAttribute('hidden', '');
  // A decision table is what designers edit; the requirements diagram stays one click away (its tab bar).
  const table = modeler.getViews().find((candidate) => candidate.type === 'decisionTable');
  if (table) await modeler.open(table);

  // A problem names a decision by id: going there opens its table.
  const select = (problem: ProblemView) => {
    const target = modeler.getViews().find((candidate) => candidate.element.id === problem.elementId);
    if (target) void modeler.open(target).then(() => view.scrollIntoView({ block: 'nearest' }));
  };
  renderProblems(page, initialProblems(), select);

  const mode = textMode(root, page, view, {
    read: async () => (await modeler.saveXML({ format: true })).xml ?? page.textarea.value,
    write: async (text) => {
      try {
        await modeler.importXML(text);
        return true;
      } catch {
        return false;
      }
    },
  });

  saveOnSubmit(page, mode, (problems) => renderProblems(page, problems, select));
}

const root = document.querySelector<HTMLElement>('[data-designer-editor="dmn"]');
if (root) void start(root);
