/**
 * The one script of form pages, bundled by engine/web/browser-assets.ts. Progressive enhancement only:
 * every page works without it, and the server evaluates conditions and expressions again on submit.
 *
 * - After a failed submit, focus moves to the error summary (on page load only).
 * - While the user types, conditions (`data-hide-if`) show and hide their components, expression fields
 *   (`data-expression`) are computed and texts with FEEL (`data-template`) are rendered again, with the
 *   same FEEL library and rules as the server (forms/live.ts). Nothing is announced and focus never moves.
 */
import { evaluateSnapshot, type ControlKind, type ControlState, type FormSnapshot, type LiveTarget } from '../live.js';

const LIVE = '[data-hide-if], [data-expression], [data-template]';
const ITEM_MARKER = '._item';

function start(): void {
  const summary = document.getElementById('error-summary');
  if (summary) summary.focus();
  for (const form of document.querySelectorAll('form')) {
    if (form.querySelector(LIVE) === null) continue;
    let scheduled = false;
    const update = () => {
      if (scheduled) return;
      scheduled = true;
      requestAnimationFrame(() => {
        scheduled = false;
        refresh(form);
      });
    };
    form.addEventListener('input', update);
    form.addEventListener('change', update);
    // Back/forward: the browser may put earlier input back into the fields without an input event.
    window.addEventListener('pageshow', update);
    refresh(form);
  }
}

const renderedTexts = new WeakMap<Element, string>();

function refresh(form: HTMLFormElement): void {
  try {
    const { snapshot, elements } = snapshotOf(form);
    evaluateSnapshot(snapshot).forEach((outcome, index) => {
      const element = elements[index];
      if (outcome === undefined || element === undefined) return;
      if ('hidden' in outcome) {
        // An expression field shows nothing, whatever its condition says.
        if (element.hidden !== outcome.hidden && !element.hasAttribute('data-expression'))
          element.hidden = outcome.hidden;
      } else {
        // The blocks come from forms/markdown.ts, which escapes all text, as on the server.
        const html = outcome.blocks.join('');
        if (renderedTexts.get(element) !== html) {
          renderedTexts.set(element, html);
          element.innerHTML = html;
        }
      }
    });
  } catch (error) {
    // The page is complete without this script: leave it as the server rendered it.
    console.error('forms-live', error);
  }
}

/** The form's controls and live elements, as forms/live.ts reads them; `elements[i]` belongs to `targets[i]`. */
function snapshotOf(form: HTMLFormElement): { snapshot: FormSnapshot; elements: HTMLElement[] } {
  const controls = controlsIn(form);
  const targets: LiveTarget[] = [];
  const elements: HTMLElement[] = [];
  const conditionIndex = new Map<Element, number>();
  for (const element of form.querySelectorAll<HTMLElement>(LIVE)) {
    const items = itemsAround(element);
    const around = element.parentElement?.closest('[data-hide-if]');
    let parent = around ? conditionIndex.get(around) : undefined;
    const add = (target: LiveTarget) => {
      targets.push(target);
      elements.push(element);
    };
    const hideIf = element.dataset['hideIf'];
    if (hideIf !== undefined) {
      add({
        kind: 'condition',
        expression: hideIf,
        hidden: element.hidden,
        holdsFocus: element.contains(document.activeElement),
        paths: pathsIn(element),
        items,
        parent,
      });
      parent = targets.length - 1;
      conditionIndex.set(element, parent);
    }
    const expression = element.dataset['expression'];
    const path = element.dataset['path'];
    if (expression !== undefined && path !== undefined) add({ kind: 'expression', expression, path, items, parent });
    const template = element.dataset['template'];
    if (template !== undefined) add({ kind: 'template', template, items, parent });
  }
  const markers = [...form.querySelectorAll<HTMLInputElement>('input[type="hidden"]')].filter((input) =>
    input.name.endsWith(ITEM_MARKER),
  );
  return {
    snapshot: {
      controls,
      lists: [...form.querySelectorAll<HTMLElement>('[data-list]')].flatMap((list) => list.dataset['list'] ?? []),
      items: markers.map((input) => input.name.slice(0, -ITEM_MARKER.length)),
      targets,
    },
    elements,
  };
}

/** The data paths of an element's own list item and the ones around it, outermost first. */
function itemsAround(element: Element): string[] {
  const items: string[] = [];
  for (
    let item = element.closest('.form-list__item');
    item !== null;
    item = item.parentElement?.closest('.form-list__item') ?? null
  ) {
    const marker = [...item.children].find(
      (child): child is HTMLInputElement => child instanceof HTMLInputElement && child.name.endsWith(ITEM_MARKER),
    );
    if (marker) items.unshift(marker.name.slice(0, -ITEM_MARKER.length));
  }
  return items;
}

/** Everything a hidden element takes out of the values: its controls, lists and expression fields. */
function pathsIn(element: HTMLElement): string[] {
  const inside = (selector: string) =>
    [element, ...element.querySelectorAll<HTMLElement>(selector)].filter((node) => node.matches(selector));
  return [
    ...controlsIn(element).map((control) => control.path),
    ...inside('[data-list]').flatMap((list) => list.dataset['list'] ?? []),
    ...inside('[data-expression]').flatMap((expression) => expression.dataset['path'] ?? []),
  ];
}

/** The renderer's controls (inside its `.field` wrappers) under `root`; the page's own (`_csrf`, buttons) are not. */
function controlsIn(root: HTMLElement): ControlState[] {
  const controls: ControlState[] = [];
  for (const control of root.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
    'input, select, textarea',
  )) {
    const field = control.closest('.field');
    if (field === null || control.name === '' || control.name.startsWith('_') || control.name.endsWith(ITEM_MARKER))
      continue;
    const state = controlState(control, field);
    if (state !== undefined) controls.push(state);
  }
  return controls;
}

function controlState(
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  field: Element,
): ControlState | undefined {
  const base = { path: control.name, value: control.value, checked: true, valueType: control.dataset['valueType'] };
  if (control instanceof HTMLSelectElement) {
    return { ...base, kind: 'choice', valueType: control.selectedOptions[0]?.dataset['valueType'] };
  }
  if (control instanceof HTMLTextAreaElement) return { ...base, kind: 'text' };
  const kind = inputKind(control, field);
  if (kind === undefined) return undefined;
  if (kind === 'date-part' || kind === 'time-part')
    return { ...base, kind, path: control.name.replace(/\.(date|time)$/, '') };
  if (kind === 'file') return { ...base, kind, checked: !removedFiles(field).has(control.value) };
  return { ...base, kind, checked: control.type === 'checkbox' || control.type === 'radio' ? control.checked : true };
}

function inputKind(input: HTMLInputElement, field: Element): ControlKind | undefined {
  switch (input.type) {
    case 'checkbox':
      return field.classList.contains('field--checklist') ? 'choices' : 'checkbox';
    case 'radio':
      return 'choice';
    case 'hidden':
      return field.classList.contains('field--file') ? 'file' : undefined;
    case 'file':
    case 'submit':
    case 'button':
    case 'reset':
      return undefined;
    case 'time':
      return input.closest('.field__datetime-part') ? 'time-part' : 'time';
    case 'date':
      return input.closest('.field__datetime-part') ? 'date-part' : 'text';
    default:
      return input.classList.contains('field__input--number') ? 'number' : 'text';
  }
}

function removedFiles(field: Element): Set<string> {
  return new Set(
    [...field.querySelectorAll<HTMLInputElement>('input[name="_removeFile"]')]
      .filter((box) => box.checked)
      .map((box) => box.value),
  );
}

start();
