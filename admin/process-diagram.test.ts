import { describe, expect, it } from 'vitest';
import type { CaseDiagram } from '../engine/services/case-diagram.service.js';
import { processDiagramView, scriptSafeJson } from './process-diagram.js';

describe('scriptSafeJson', () => {
  it('cannot end its <script> block or open a comment there, and parses back to the same value', () => {
    // Given BPMN whose documentation a designer wrote with markup in it
    const value = { bpmnXml: '<documentation>Ende: </script><!-- & </SCRIPT > \u2028</documentation>' };

    // When
    const json = scriptSafeJson(value);

    // Then
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('processDiagramView', () => {
  // A case at its task, built by hand: the view's input is the service's output.
  const element = (elementId: string, state: 'completed' | 'active' | 'notReached', tokens = 0) => ({
    elementId,
    name: elementId,
    kind: 'userTask' as const,
    state,
    tokens,
    timesCompleted: state === 'completed' ? 1 : 0,
    incidents: [],
    tasks: [],
  });
  const task = { id: 't-1', elementId: 'Answer', name: 'Answer', status: 'open' as const, assignee: 'jonas@example' };
  const diagram = {
    bpmnXml: '<definitions/>',
    state: {
      elements: [
        element('Start', 'completed'),
        { ...element('Answer', 'active', 1), tasks: [task] },
        element('End', 'notReached'),
      ],
      takenFlowIds: ['Flow_1'],
    },
  } as unknown as CaseDiagram;

  it('gives the script the reached elements only, and the list every element with its open task', () => {
    // When
    const view = processDiagramView(diagram, [{ id: 't-1', assignee: 'Jonas Weber' }]);

    // Then
    expect(JSON.parse(view.json)).toEqual({
      bpmnXml: '<definitions/>',
      elements: [
        { id: 'Start', state: 'completed', tokens: 0 },
        { id: 'Answer', state: 'active', tokens: 1 },
      ],
      takenFlowIds: ['Flow_1'],
    });
    expect(view.elements.map(({ elementId, marked, stateKey }) => `${elementId} ${marked} ${stateKey}`)).toEqual([
      'Start true diagram.state.completed',
      'Answer true diagram.state.active',
      'End false diagram.state.notReached',
    ]);
    // The assignee by name, as the case page's open tasks name them
    expect(view.elements[1]?.tasks).toEqual([
      { id: 't-1', name: 'Answer', assignee: 'Jonas Weber', status: 'open', open: true },
    ]);
  });
});
