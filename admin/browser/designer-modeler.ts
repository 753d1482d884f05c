/**
 * The designer's BPMN modeler (`/static/designer-modeler.{js,css}`, bundled by engine/web/browser-assets.ts) on the
 * editor page of a `.bpmn` file. Progressive enhancement: without it the page is a textarea and a save button.
 *
 * bpmn-js's Modeler with the properties panel for the Zeebe extensions Lotse reads, the element templates of
 * Lotse's job types (engine/designer/element-templates.ts) with a chooser of our own, palette, context pad and menus
 * restricted to what engine/model/compile*.ts accepts, and the server's problems as markers on their elements.
 */
import Modeler from 'bpmn-js/lib/Modeler.js';
import {
  BpmnPropertiesPanelModule,
  BpmnPropertiesProviderModule,
  ZeebePropertiesProviderModule,
} from 'bpmn-js-properties-panel';
import { CloudElementTemplatesPropertiesProviderModule } from 'bpmn-js-element-templates';
import ZeebeBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-cloud/index.js';
import zeebeModdle from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import 'bpmn-js-element-templates/dist/assets/element-templates.css';
import { elementTemplates } from '../../engine/designer/element-templates.js';
import { GermanTranslateModule } from './designer-modeler-de.js';
import {
  editorPage,
  initialProblems,
  type ProblemView,
  renderProblems,
  saveOnSubmit,
  textMode,
} from './designer-save.js';

/**
 * Entries of palette, context pad and the replace/create/append menus for what Lotse does not run (see the
 * compiler's "not supported" errors): complex gateways, transactions, ad-hoc sub-processes, conditional,
 * compensation and cancel events. Signal events stay (ADR 0031); a signal start on the process level, which the
 * same menu entry as an event sub-process's makes, gets the compiler's error naming the alternative. Pools, lanes, message flows, groups, data objects and stores stay: Zeebe deploys
 * them and runs the executable pool, and so does Lotse (the compiler warns that they are documentation).
 */
const UNSUPPORTED_ENTRY =
  /complex|transaction|ad-hoc|condition(al)?-(start|intermediate|boundary|event)|compensat|cancel|escalation/;

function withoutUnsupported<Entry>(entries: Record<string, Entry>): Record<string, Entry> {
  return Object.fromEntries(Object.entries(entries).filter(([id]) => !UNSUPPORTED_ENTRY.test(id)));
}

/** A diagram-js module that filters the other providers' entries (providers registered late see theirs). */
function SupportedSubset(
  this: unknown,
  palette: ProviderHost,
  contextPad: ProviderHost,
  popupMenu: PopupMenuHost,
): void {
  const filter = { getPaletteEntries: () => withoutUnsupported, getContextPadEntries: () => withoutUnsupported };
  palette.registerProvider(100, filter);
  contextPad.registerProvider(100, filter);
  const menuFilter = { getPopupMenuEntries: () => withoutUnsupported };
  for (const menu of ['bpmn-replace', 'bpmn-create', 'bpmn-append']) popupMenu.registerProvider(menu, 100, menuFilter);
}
SupportedSubset.$inject = ['palette', 'contextPad', 'popupMenu'];

interface ProviderHost {
  registerProvider(priority: number, provider: object): void;
}
interface PopupMenuHost {
  registerProvider(id: string, priority: number, provider: object): void;
}

const SupportedSubsetModule = { __init__: ['lotseSupportedSubset'], lotseSupportedSubset: ['type', SupportedSubset] };

async function start(root: HTMLElement): Promise<void> {
  const page = editorPage(root);
  const view = root.querySelector<HTMLElement>('.designer-modeler');
  const canvasBox = root.querySelector<HTMLElement>('.designer-modeler__canvas');
  const panelBox = root.querySelector<HTMLElement>('.designer-modeler__panel');
  const dialog = root.querySelector<HTMLDialogElement>('dialog.designer-templates');
  if (!page || !view || !canvasBox || !panelBox || !dialog) return;
  const locale = document.documentElement.lang === 'en' ? 'en' : 'de';

  view.hidden = false;
  const modeler = new Modeler({
    container: canvasBox,
    propertiesPanel: { parent: panelBox },
    elementTemplates: elementTemplates(locale),
    additionalModules: [
      BpmnPropertiesPanelModule,
      BpmnPropertiesProviderModule,
      ZeebePropertiesProviderModule,
      CloudElementTemplatesPropertiesProviderModule,
      ZeebeBehaviorsModule,
      SupportedSubsetModule,
      ...(locale === 'de' ? [GermanTranslateModule] : []),
    ],
    moddleExtensions: { zeebe: zeebeModdle },
  });
  try {
    await modeler.importXML(page.textarea.value);
  } catch (error) {
    // A file the modeler cannot read stays editable as text; the problem list says what is wrong with it.
    view.hidden = true;
    page.status.textContent = page.texts.cannotOpen ?? '';
    console.warn('The BPMN file could not be opened in the modeler', error);
    return;
  }
  // The text field is the form's value: kept, but out of the way while the modeler edits it.
  root.querySelector<HTMLElement>('.designer-editor__source')?.setAttribute('hidden', '');
  const canvas = modeler.get('canvas');
  canvas.zoom('fit-viewport');
  const svg = canvasBox.querySelector('svg');
  svg?.setAttribute('role', 'img');
  svg?.setAttribute('aria-label', page.texts.canvasLabel ?? '');

  const markers = problemMarkers(modeler);
  const select = (problem: ProblemView) => {
    const element = problem.elementId ? modeler.get('elementRegistry').get(problem.elementId) : undefined;
    if (!element) return;
    modeler.get('selection').select(element);
    canvas.scrollToElement(element);
    view.scrollIntoView({ block: 'nearest' });
  };
  const show = (problems: ProblemView[]) => {
    markers.show(problems);
    renderProblems(page, problems, select);
  };
  show(initialProblems());
  // Arrived from a problem on the service page: that element, selected and in view.
  const wanted = new URLSearchParams(window.location.search).get('element');
  if (wanted) select({ severity: 'error', file: '', elementId: wanted, message: '' });

  templateChooser(modeler, dialog);

  let lastProblems = initialProblems();
  const mode = textMode(root, page, view, {
    read: async () => (await modeler.saveXML({ format: true })).xml ?? page.textarea.value,
    write: async (text) => {
      try {
        await modeler.importXML(text);
      } catch {
        return false;
      }
      canvas.zoom('fit-viewport');
      markers.show(lastProblems);
      return true;
    },
  });

  saveOnSubmit(page, mode, (problems) => show((lastProblems = problems)));
}

/** The server's problems on the diagram: a marker class (red outline) and a word badge, never colour alone. */
function problemMarkers(modeler: Modeler) {
  const canvas = modeler.get('canvas');
  const overlays = modeler.get('overlays');
  const registry = modeler.get('elementRegistry');
  let marked: { id: string; marker: string }[] = [];
  return {
    show(problems: ProblemView[]) {
      for (const { id, marker } of marked) canvas.removeMarker(id, marker);
      overlays.remove({ type: 'lotse-problem' });
      marked = [];
      const byElement = new Map<string, ProblemView[]>();
      for (const problem of problems) {
        if (!problem.elementId || !registry.get(problem.elementId)) continue;
        byElement.set(problem.elementId, [...(byElement.get(problem.elementId) ?? []), problem]);
      }
      for (const [id, list] of byElement) {
        const severity = list.some((problem) => problem.severity === 'error') ? 'error' : 'warning';
        const marker = `lotse-problem--${severity}`;
        canvas.addMarker(id, marker);
        marked.push({ id, marker });
        const badge = document.createElement('span');
        badge.className = `lotse-problem-badge lotse-problem-badge--${severity}`;
        badge.textContent = severity === 'error' ? '!' : '?';
        badge.title = list.map((problem) => problem.message).join('\n');
        badge.dataset.elementId = id;
        overlays.add(id, 'lotse-problem', { position: { top: -10, right: 10 }, html: badge });
      }
    },
  };
}

/**
 * The properties panel asks the host to choose a template ("Select" / "Change" in its Template group): a native
 * dialog lists Lotse's job types with their descriptions; choosing one applies it to the selected task.
 */
function templateChooser(modeler: Modeler, dialog: HTMLDialogElement): void {
  const list = dialog.querySelector<HTMLElement>('.designer-templates__list');
  if (!list) return;
  const templates = modeler.get('elementTemplates').getAll();
  let target: object | undefined;
  list.replaceChildren(
    ...templates.map((template) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'button button--secondary';
      button.textContent = template.name;
      const description = document.createElement('p');
      description.textContent = template.description ?? '';
      button.addEventListener('click', () => {
        if (target) modeler.get('elementTemplates').applyTemplate(target, template);
        dialog.close();
      });
      item.append(button, description);
      return item;
    }),
  );
  modeler.get('eventBus').on('elementTemplates.select', (event) => {
    target = event.element;
    dialog.showModal();
  });
}

const root = document.querySelector<HTMLElement>('[data-designer-editor="bpmn"]');
if (root) void start(root);
