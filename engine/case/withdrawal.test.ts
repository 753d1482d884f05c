import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CaseDriver, compile } from '../interpreter/test-driver.js';
import type { CaseEvent } from '../interpreter/types.js';
import { WITHDRAW_MESSAGE, withWithdrawalTrail } from './withdrawal.js';

const generalInquiry = await compile(
  readFileSync(new URL('../../workflows/catalog/general-inquiry/general-inquiry.bpmn', import.meta.url), 'utf8'),
);

const ANNA = 'applicant:7f0c';

/** The shipped general inquiry, submitted: the answer task is open and the case waits for a withdrawal. */
function submitted(): CaseDriver {
  return new CaseDriver(generalInquiry).start({ caseNumber: 'WF-2026-000042', subject: 'Halle' });
}

/** The message as the case workflow correlates it when the company withdraws on its case page. */
function withdrawal(run: CaseDriver, actor: string | undefined): CaseEvent {
  const subscription = (run.state.subscriptions ?? []).find((open) => open.messageName === WITHDRAW_MESSAGE);
  if (!subscription) throw new Error('the case does not wait for a withdrawal');
  return {
    type: 'correlateMessage',
    at: '2025-03-02T10:00:00.000Z',
    subscriptionId: subscription.id,
    messageName: WITHDRAW_MESSAGE,
    variables: { withdrawalReason: 'Hat sich erledigt.', withdrawnBy: 'Anna Schmidt' },
    ...(actor !== undefined && { actor }),
  };
}

describe('withdrawing a case (the shipped general inquiry)', () => {
  it('waits for the withdrawal message under the case number from the start on', () => {
    const run = submitted();

    expect(run.waitingAt()).toEqual(['Task_Answer']);
    expect(run.state.subscriptions).toEqual([
      expect.objectContaining({ messageName: WITHDRAW_MESSAGE, correlationKey: 'WF-2026-000042' }),
    ]);
  });

  it('cancels the open task, ends the case "Zurückgezogen" and names the company user as the actor', () => {
    // Given the answer task is open
    const run = submitted();
    const task = run.tokenAt('Task_Answer');

    // When the company withdraws
    run.apply(withdrawal(run, ANNA));

    // Then the task is cancelled by that user, the case has ended with the status of the event sub-process
    expect(run.commandsOf('closeTask')).toEqual([
      expect.objectContaining({ tokenId: task.id, outcome: 'cancelled', actor: ANNA }),
    ]);
    expect(run.state.status).toBe('completed');
    expect(run.state.publicStatus).toBe('Zurückgezogen');
    expect(run.state.tokens).toEqual([]);
    expect(run.variables).toMatchObject({ withdrawalReason: 'Hat sich erledigt.', withdrawnBy: 'Anna Schmidt' });
    expect(run.auditTrail()).toEqual(
      expect.arrayContaining([
        'elementTerminated Task_Answer',
        'elementEntered StartEvent_Withdrawn',
        'elementEntered EndEvent_Withdrawn',
        'caseCompleted',
      ]),
    );
    expect(run.audit.every((entry) => entry.actor === ANNA)).toBe(true);
    // And it waits for nothing more: a second withdrawal finds no subscription
    expect(run.state.subscriptions ?? []).toEqual([]);
  });

  it('is the system acting when a message comes without a person', () => {
    const run = submitted();
    run.apply(withdrawal(run, undefined));

    expect(new Set(run.audit.map((entry) => entry.actor))).toEqual(new Set(['system']));
  });

  it('is possible while the call-back is open too, and not after the case ended', () => {
    const called = submitted().completeTask('Task_Answer', { answer: 'Ja.', followUpCall: true });
    expect(called.waitingAt()).toEqual(['Task_FollowUpCall']);
    called.apply(withdrawal(called, ANNA));
    expect(called.state.publicStatus).toBe('Zurückgezogen');

    const answered = submitted().completeTask('Task_Answer', { answer: 'Ja.', followUpCall: false });
    expect(answered.state.status).toBe('completed');
    expect(answered.state.publicStatus).toBe('Beantwortet');
    expect(answered.state.subscriptions ?? []).toEqual([]);
  });
});

describe('withWithdrawalTrail', () => {
  const step = { audit: [{ type: 'caseCompleted' as const, actor: ANNA, at: '2025-03-02T10:00:00.000Z' }] };

  it('puts "caseWithdrawn" by the publisher, with the name as it was, before the step\'s trail', () => {
    const run = submitted();
    const event = withdrawal(run, ANNA);

    expect(withWithdrawalTrail(step, event).audit).toEqual([
      { type: 'caseWithdrawn', actor: ANNA, at: '2025-03-02T10:00:00.000Z', detail: 'Anna Schmidt' },
      step.audit[0],
    ]);
  });

  it('leaves every other step as it is', () => {
    const other: CaseEvent = {
      type: 'correlateMessage',
      at: '2025-03-02T10:00:00.000Z',
      subscriptionId: 's1',
      messageName: 'Nachreichung',
      variables: {},
    };
    expect(withWithdrawalTrail(step, other)).toBe(step);
    expect(withWithdrawalTrail(step, { type: 'fireTimer', at: '2025-03-02T10:00:00.000Z', timerId: 't1' })).toBe(step);
  });
});
