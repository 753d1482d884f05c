import { describe, expect, it } from 'vitest';
import { initialState } from '../interpreter/interpret.js';
import type { Command } from '../interpreter/types.js';
import { projectionOf } from './projection.js';

const stepWith = (commands: Command[]) => ({ state: { ...initialState(), seq: 3 }, commands, audit: [] });

describe('projectionOf: signal subscriptions', () => {
  it('carries the opened and closed signal subscriptions of a step', () => {
    const projection = projectionOf(
      'case-1',
      stepWith([
        { type: 'openSignalSubscription', subscriptionId: 'sg4', elementId: 'Catch_Go', signalName: 'go' },
        { type: 'closeSignalSubscription', subscriptionId: 'sg2' },
        { type: 'openSubscription', subscriptionId: 's5', elementId: 'Catch_M', messageName: 'm', correlationKey: 'k' },
      ]),
      '2026-12-08T09:00:00.000Z',
    );
    expect(projection.openedSignalSubscriptions).toEqual([
      { subscriptionId: 'sg4', elementId: 'Catch_Go', signalName: 'go' },
    ]);
    expect(projection.closedSignalSubscriptionIds).toEqual(['sg2']);
    expect(projection.openedSubscriptions.map((subscription) => subscription.subscriptionId)).toEqual(['s5']);
  });

  it('leaves the keys out of a step without signals: older steps keep their activity input', () => {
    const projection = projectionOf('case-1', stepWith([]), '2026-12-08T09:00:00.000Z');
    expect('openedSignalSubscriptions' in projection).toBe(false);
    expect('closedSignalSubscriptionIds' in projection).toBe(false);
  });
});
