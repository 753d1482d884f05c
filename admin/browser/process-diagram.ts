/**
 * The process diagram on the staff case page, bundled by engine/web/browser-assets.ts. Progressive enhancement:
 * the page's list of states (admin/views/partials/process-diagram.hbs) says everything without it.
 *
 * It draws the version's BPMN with the bpmn-js viewer from the page's JSON block (the CSP allows no inline
 * script), marks the elements and the taken flows with CSS classes, puts a text badge on active (token count),
 * failed and terminated elements, and shows a clicked element's list entry in the panel beside the diagram. The
 * list's links do the same from the keyboard.
 */
// Typed by ./bpmn-js.d.ts (the package's own typings read as CommonJS here).
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer.js';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import type { ProcessDiagramData } from '../process-diagram.js';

const SELECTED = 'lotse-selected';
/** Below this scale the labels of a BPMN diagram (11px) are too small to read. */
const MIN_READABLE_SCALE = 0.7;

async function start(section: HTMLElement): Promise<void> {
  const view = section.querySelector<HTMLElement>('.process-diagram__view');
  const container = section.querySelector<HTMLElement>('.process-diagram__canvas');
  const panel = section.querySelector<HTMLElement>('.process-diagram__panel');
  const panelBody = section.querySelector<HTMLElement>('.process-diagram__panel-body');
  const data = readData(section);
  if (!view || !container || !panel || !panelBody || !data) return;

  // Shown before the import: bpmn-js measures the container to fit the diagram into it.
  view.hidden = false;
  const viewer = new NavigatedViewer({ container });
  try {
    await viewer.importXML(data.bpmnXml);
  } catch (error) {
    // The list below says it all; a diagram that cannot be drawn is not shown half.
    view.hidden = true;
    console.warn('The process diagram could not be drawn', error);
    return;
  }
  const canvas = viewer.get('canvas');
  const registry = viewer.get('elementRegistry');
  const overlays = viewer.get('overlays');
  const eventBus = viewer.get('eventBus');
  // A large model fitted into the box would be too small to read: then it stays readable and shows where the case
  // stands (its first incident, else its first active element); the viewer pans by dragging.
  if (canvas.zoom('fit-viewport') < MIN_READABLE_SCALE) {
    canvas.zoom(MIN_READABLE_SCALE);
    const current =
      data.elements.find(({ state }) => state === 'incident') ?? data.elements.find(({ state }) => state === 'active');
    if (current && registry.get(current.id)) canvas.scrollToElement(current.id, 120);
  }

  const svg = container.querySelector('svg');
  if (svg) {
    // One image with a name; its content is the list below, in words.
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', section.dataset.svgLabel ?? '');
  }

  const marked = new Set<string>();
  for (const element of data.elements) {
    if (!registry.get(element.id)) continue;
    marked.add(element.id);
    canvas.addMarker(element.id, `lotse-${element.state}`);
    const badge = badgeOf(element, section.dataset);
    // A count or a tick at the shape's corner; a word above the shape, where it covers no label.
    const worded = element.state === 'incident' || element.state === 'terminated';
    const position = worded ? { top: -14, left: 0 } : { bottom: 8, right: 8 };
    if (badge) overlays.add(element.id, 'lotse-state', { position, html: badge });
  }
  for (const flowId of data.takenFlowIds) {
    if (registry.get(flowId)) canvas.addMarker(flowId, 'lotse-taken');
  }

  let selected: string | undefined;
  const show = (elementId: string, from: 'diagram' | 'list') => {
    const item = document.getElementById(`process-diagram-item-${elementId}`);
    if (!item) return;
    if (selected) canvas.removeMarker(selected, SELECTED);
    selected = elementId;
    canvas.addMarker(elementId, SELECTED);
    panelBody.replaceChildren(...contentOf(item));
    if (from === 'list') {
      canvas.scrollToElement(elementId);
      view.scrollIntoView({ block: 'nearest' });
    }
    // Keyboard and screen reader users land on what they asked for.
    panel.focus();
  };

  eventBus.on('element.click', (event) => {
    if (marked.has(event.element.id)) show(event.element.id, 'diagram');
  });
  section.querySelector('.process-diagram__list')?.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest<HTMLElement>('a[data-element-id]') : null;
    const elementId = link?.dataset.elementId;
    if (!elementId || !marked.has(elementId)) return;
    event.preventDefault();
    show(elementId, 'list');
  });
}

function readData(section: HTMLElement): ProcessDiagramData | undefined {
  const text = section.querySelector('script.process-diagram__data')?.textContent;
  if (!text) return undefined;
  const data: unknown = JSON.parse(text);
  return isDiagramData(data) ? data : undefined;
}

/** The server wrote it (admin/process-diagram.ts); checked on the surface only, against a page from elsewhere. */
function isDiagramData(value: unknown): value is ProcessDiagramData {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof Reflect.get(value, 'bpmnXml') === 'string' &&
    Array.isArray(Reflect.get(value, 'elements')) &&
    Array.isArray(Reflect.get(value, 'takenFlowIds'))
  );
}

/** Colour is never the only sign: active elements carry their token count, failed and ended ones a word. */
function badgeOf(element: ProcessDiagramData['elements'][number], texts: DOMStringMap): HTMLElement | undefined {
  const badge = document.createElement('span');
  badge.className = `lotse-badge lotse-badge--${element.state}`;
  if (element.state === 'active') {
    badge.textContent = String(element.tokens);
    badge.title = `${texts.tokensLabel ?? ''}: ${element.tokens}`;
  } else if (element.state === 'incident') {
    badge.textContent = `! ${texts.incidentLabel ?? ''}`;
  } else if (element.state === 'terminated') {
    badge.textContent = `✕ ${texts.terminatedLabel ?? ''}`;
  } else if (element.state === 'completed') {
    badge.textContent = '✓';
  } else {
    return undefined;
  }
  return badge;
}

/**
 * The list entry's content for the panel: a copy without ids (they stay unique on the page), the element's name as
 * text instead of the link to itself; the links to its tasks stay.
 */
function contentOf(item: HTMLElement): Node[] {
  const copy = item.cloneNode(true);
  if (!(copy instanceof HTMLElement)) return [];
  for (const withId of copy.querySelectorAll('[id]')) withId.removeAttribute('id');
  for (const self of copy.querySelectorAll('a[data-element-id]')) {
    const name = document.createElement('strong');
    name.textContent = self.textContent;
    self.replaceWith(name);
  }
  return [...copy.childNodes];
}

for (const section of document.querySelectorAll<HTMLElement>('[data-process-diagram]')) void start(section);
