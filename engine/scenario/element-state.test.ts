import { describe, expect, it } from 'vitest';
import { describeSummary, elementInstances, summarize, type AuditRecord } from './element-state.js';

const entered = (elementId: string): AuditRecord => ({ type: 'elementEntered', elementId });
const completed = (elementId: string): AuditRecord => ({ type: 'elementCompleted', elementId });
const terminated = (elementId: string): AuditRecord => ({ type: 'elementTerminated', elementId });

describe('elementInstances', () => {
  it('a waiting user task is active; the start event the token passed through is completed', () => {
    // Given the trail of a case that waits at its first task
    const trail = [entered('Start'), entered('Task_Answer')];
    // When the token waits at Task_Answer
    const instances = elementInstances(trail, ['Task_Answer']);
    // Then
    expect(instances).toEqual([
      { elementId: 'Start', state: 'completed', order: 0 },
      { elementId: 'Task_Answer', state: 'active', order: 1 },
    ]);
  });

  it('tasks and gateways end with their own event; end events complete when the token is gone', () => {
    const trail = [
      entered('Start'),
      entered('Task'),
      { type: 'caseCompleted', elementId: null },
      completed('Task'),
      entered('Gateway'),
      completed('Gateway'),
      entered('End'),
    ];
    const instances = elementInstances(trail, []);
    expect(instances.map((instance) => [instance.elementId, instance.state])).toEqual([
      ['Start', 'completed'],
      ['Task', 'completed'],
      ['Gateway', 'completed'],
      ['End', 'completed'],
    ]);
  });

  it('orders completions by when they ended, not when they began', () => {
    const trail = [entered('A'), entered('B'), completed('B'), completed('A')];
    expect(elementInstances(trail, []).map((instance) => instance.elementId)).toEqual(['B', 'A']);
  });

  it('in a loop, the older visit completed and the newest one is the live token', () => {
    const trail = [entered('Review'), completed('Review'), entered('Gateway'), completed('Gateway'), entered('Review')];
    const review = summarize(elementInstances(trail, ['Review']), 'Review');
    expect(review).toEqual({ active: 1, completed: 1, terminated: 0 });
  });

  it('an interrupted task is terminated', () => {
    const trail = [entered('Task'), entered('Timer'), terminated('Task')];
    const instances = elementInstances(trail, []);
    expect(summarize(instances, 'Task')).toEqual({ active: 0, completed: 0, terminated: 1 });
    expect(summarize(instances, 'Timer')).toEqual({ active: 0, completed: 1, terminated: 0 });
  });

  it('an element with an incident keeps its token: active', () => {
    const trail = [entered('Gateway'), { type: 'incidentRaised', elementId: 'Gateway' }];
    expect(summarize(elementInstances(trail, ['Gateway']), 'Gateway').active).toBe(1);
  });

  it('a token whose entry is not in the trail yet still counts as active', () => {
    expect(elementInstances([], ['Task'])).toEqual([{ elementId: 'Task', state: 'active', order: 0 }]);
  });

  it('ignores a closing event without an entry', () => {
    expect(elementInstances([completed('Ghost')], [])).toEqual([]);
  });
});

describe('describeSummary', () => {
  it.each([
    [{ active: 0, completed: 0, terminated: 0 }, 'not activated'],
    [{ active: 1, completed: 0, terminated: 0 }, 'active'],
    [{ active: 1, completed: 2, terminated: 0 }, 'active, completed 2×'],
    [{ active: 0, completed: 0, terminated: 1 }, 'terminated'],
  ])('%o → %s', (summary, text) => {
    expect(describeSummary(summary)).toBe(text);
  });
});
