import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { initialState, step } from './interpret.js';
import { CaseDriver, compile } from './test-driver.js';
import type { CaseEvent, CaseState } from './types.js';

const permitGuidance = await compile(readFileSync(new URL('./fixtures/permit-guidance.bpmn', import.meta.url), 'utf8'));

const applicant = { name: 'Muster GmbH', email: 'info@muster.example' };

function submitted(): CaseDriver {
  return new CaseDriver(permitGuidance).start({
    applicant,
    caseNumber: 'GL-2025-0007',
    submittedAt: '2025-03-01T10:00:00+01:00',
  });
}

describe('permit guidance (Genehmigungslotse)', () => {
  it('runs the whole way: Rückfrage with a reminder, statements in parallel, decision letter', () => {
    // Given a submitted application, the completeness check is open with its due date
    const run = submitted();
    expect(run.state.publicStatus).toBe('In Prüfung');
    expect(run.commandsOf('openTask')).toEqual([
      expect.objectContaining({ elementId: 'Task_Check', dueDate: '2025-03-04T10:00:00+01:00' }),
    ]);

    // When documents are missing, the applicant gets a Rückfrage with the reminder and the escalation timers
    run.completeTask('Task_Check', { complete: false, missingDocuments: ['Lageplan'] });
    expect(run.state.publicStatus).toBe('Rückfrage');
    expect(run.commandsOf('openTask')).toEqual([
      expect.objectContaining({ elementId: 'Task_Rueckfrage', candidateGroups: ['applicant'] }),
    ]);
    expect(run.tokenAt('Task_Rueckfrage').variables).toEqual({ requested: ['Lageplan'] });
    expect(run.state.timers?.map(({ elementId, dueAt }) => ({ elementId, dueAt }))).toEqual([
      { elementId: 'Timer_Reminder', dueAt: '2025-03-06T09:00:00.000Z' },
      { elementId: 'Timer_Escalation', dueAt: '2025-03-11T09:00:00.000Z' },
    ]);

    // And after five days the applicant is reminded, the Rückfrage stays open
    run.fireTimer('Timer_Reminder');
    expect(run.commandsOf('runJob')).toEqual([
      expect.objectContaining({ elementId: 'Send_Reminder', taskType: 'email' }),
    ]);
    expect(run.waitingAt()).toEqual(['Send_Reminder', 'Task_Rueckfrage']);
    run.completeJob('Send_Reminder');

    // When the applicant answers on day seven, both timers end and the check runs again
    run.at('2025-03-08T08:00:00.000Z').completeTask('Task_Rueckfrage', { documents: ['lageplan.pdf'] });
    expect(run.commandsOf('cancelTimer')).toHaveLength(2);
    expect(run.state.timers).toEqual([]);
    expect(run.variables).toMatchObject({ documents: ['lageplan.pdf'], rueckfragen: 1 });
    expect(run.waitingAt()).toEqual(['Task_Check']);

    // And when the application is complete, both departments give their statements in parallel
    run.completeTask('Task_Check', { complete: true });
    expect(run.state.publicStatus).toBe('Stellungnahmen');
    expect(run.waitingAt()).toEqual(['Task_Statement_Building', 'Task_Statement_Environment']);
    run.completeTask('Task_Statement_Environment', { statement: 'keine Bedenken' });
    expect(run.waitingAt()).toEqual(['Join_Statements', 'Task_Statement_Building']);
    run.completeTask('Task_Statement_Building', { statement: 'Auflage: Brandschutz' });
    expect(run.waitingAt()).toEqual(['Task_Decide']);
    expect(run.variables).toMatchObject({
      buildingStatement: 'Auflage: Brandschutz',
      environmentStatement: 'keine Bedenken',
    });
    expect(run.variables['statement']).toBeUndefined();

    // Then the decision is sent and the case is decided
    run.completeTask('Task_Decide', { approved: true });
    expect(run.commandsOf('runJob')).toEqual([
      expect.objectContaining({
        elementId: 'Send_Decision',
        retries: 5,
        headers: { to: '=applicant.email', template: 'permit-decision' },
      }),
    ]);
    run.completeJob('Send_Decision');
    expect(run.state).toMatchObject({ status: 'completed', publicStatus: 'Beschieden', tokens: [] });
  });

  it('escalates an unanswered Rückfrage after ten days; the team lead sends it back into the check', () => {
    // Given a Rückfrage nobody answers
    const run = submitted().completeTask('Task_Check', { complete: false, missingDocuments: ['Lageplan'] });
    const rueckfrage = run.tokenAt('Task_Rueckfrage').id;

    // When the reminder fires on day five (and its mail goes out) and the escalation on day ten
    run.fireTimer('Timer_Reminder').completeJob('Send_Reminder');
    expect(run.state.timers?.map((timer) => timer.dueAt)).toEqual([
      '2025-03-11T09:00:00.000Z',
      '2025-03-11T09:00:00.000Z',
    ]);
    run.at('2025-03-11T09:00:00.000Z').apply({
      type: 'fireTimer',
      at: '2025-03-11T09:00:00.000Z',
      timerId: run.state.timers?.find((timer) => timer.elementId === 'Timer_Escalation')?.id ?? '',
    });

    // Then the Rückfrage is withdrawn from the applicant, the reminder stops, the team lead decides
    expect(run.commands).toEqual([
      expect.objectContaining({ type: 'cancelTimer' }),
      { type: 'closeTask', tokenId: rueckfrage, elementId: 'Task_Rueckfrage', actor: 'system', outcome: 'cancelled' },
      expect.objectContaining({ type: 'openTask', elementId: 'Task_Escalate', priority: 80 }),
    ]);
    expect(run.state.timers).toEqual([]);
    expect(run.state.publicStatus).toBe('In Klärung');
    expect(run.audit).toContainEqual(
      expect.objectContaining({ type: 'elementTerminated', elementId: 'Task_Rueckfrage', actor: 'system' }),
    );

    // And when the team lead continues the case, the check starts over
    run.completeTask('Task_Escalate', { continueCase: true });
    expect(run.waitingAt()).toEqual(['Task_Check']);
  });

  it('closes the case when the team lead does not continue it', () => {
    const run = submitted().completeTask('Task_Check', { complete: false });
    run.at('2025-03-11T09:00:00.000Z').apply({
      type: 'fireTimer',
      at: '2025-03-11T09:00:00.000Z',
      timerId: run.state.timers?.find((timer) => timer.elementId === 'Timer_Escalation')?.id ?? '',
    });

    run.completeTask('Task_Escalate', { continueCase: false });

    expect(run.state).toMatchObject({ status: 'completed', publicStatus: 'Eingestellt' });
  });
});

describe('purity over the permit guidance journey', () => {
  /** The events of the first journey, recorded once so each run gets the very same inputs. */
  const events: CaseEvent[] = (() => {
    const run = submitted()
      .completeTask('Task_Check', { complete: false, missingDocuments: ['Lageplan'] })
      .fireTimer('Timer_Reminder')
      .completeJob('Send_Reminder')
      .completeTask('Task_Rueckfrage', { documents: ['lageplan.pdf'] })
      .completeTask('Task_Check', { complete: true })
      .completeTask('Task_Statement_Environment', { statement: 'ok' })
      .completeTask('Task_Statement_Building', { statement: 'ok' })
      .completeTask('Task_Decide', { approved: true })
      .completeJob('Send_Decision');
    expect(run.state.status).toBe('completed');
    return run.events;
  })();

  it('is deterministic: the same events give deep-equal results', () => {
    expect(replay(events)).toEqual(replay(events));
  });

  it('never mutates the state or the event it is given', () => {
    let state: CaseState = deepFreeze(initialState());
    for (const event of events) {
      const stateBefore = structuredClone(state);
      const result = step(permitGuidance, state, deepFreeze(structuredClone(event)));
      expect(state).toEqual(stateBefore);
      state = deepFreeze(result.state);
    }
    expect(state.status).toBe('completed');
  });

  it('keeps the state plain JSON', () => {
    for (const result of replay(events)) {
      expect(JSON.parse(JSON.stringify(result))).toEqual(result);
    }
  });
});

function replay(events: CaseEvent[]) {
  let state = initialState();
  return events.map((event) => {
    const result = step(permitGuidance, state, event);
    state = result.state;
    return result;
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const nested of Object.values(value)) {
      deepFreeze(nested);
    }
    Object.freeze(value);
  }
  return value;
}
