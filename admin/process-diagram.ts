import type { CaseDiagram, ElementState } from '../engine/services/case-diagram.service.js';

/** What admin/browser/process-diagram.ts reads from the page's JSON block: the diagram and its marks. */
export interface ProcessDiagramData {
  bpmnXml: string;
  elements: { id: string; state: ElementState; tokens: number }[];
  takenFlowIds: string[];
}

/** A marked element is one the diagram draws in colour and the list links to: reached by the case. */
const MARKED: ReadonlySet<ElementState> = new Set(['incident', 'active', 'completed', 'terminated']);

/**
 * The partial's data (admin/views/partials/process-diagram.hbs): the list of states, which is the page's
 * accessible equivalent of the diagram and all a browser without JavaScript shows, and the JSON the script draws.
 */
export function processDiagramView(
  { bpmnXml, state }: CaseDiagram,
  /** The case page's open tasks with their assignee's name (case-view.service): shown instead of the raw login. */
  openTasks: readonly { id: string; assignee?: string }[] = [],
) {
  const data: ProcessDiagramData = {
    bpmnXml,
    elements: state.elements
      .filter((element) => MARKED.has(element.state))
      .map(({ elementId, state: elementState, tokens }) => ({ id: elementId, state: elementState, tokens })),
    takenFlowIds: state.takenFlowIds,
  };
  return {
    elements: state.elements.map((element) => ({
      ...element,
      marked: MARKED.has(element.state),
      repeated: element.timesCompleted > 1,
      // An element without a name (a gateway, an event) is called by its kind.
      kindKey: `diagram.kind.${element.kind}`,
      stateKey: `diagram.state.${element.state}`,
      tasks: element.tasks.map((task) => ({
        id: task.id,
        name: task.name,
        assignee: openTasks.find((open) => open.id === task.id)?.assignee ?? task.assignee,
        status: task.status,
        open: task.status === 'open',
      })),
    })),
    reachedCount: state.elements.filter((element) => MARKED.has(element.state)).length,
    json: scriptSafeJson(data),
  };
}

/**
 * JSON for a `<script type="application/json">` block, which the browser does not entity-decode: so it is written
 * unescaped (`{{{ }}}`), and every character that could end the block or open a comment there is a JSON escape
 * instead (the BPMN is the service designer's text).
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
