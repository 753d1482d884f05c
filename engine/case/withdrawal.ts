/**
 * Withdrawing a case (ADR 0029): a service allows it by modelling an interrupting event sub-process whose message
 * start event waits for WITHDRAW_MESSAGE with the correlation key `=caseNumber`. The company publishes that message
 * from its case page; the workflow shell adds one trail entry naming who withdrew (pure, replay-safe).
 */
import type { CaseEvent } from '../interpreter/types.js';
import type { ProjectedAuditEntry } from '../activities/types.js';

/** The reserved message name a service's withdrawal event sub-process waits for. */
export const WITHDRAW_MESSAGE = 'lotse.withdraw';

/** The message variables the withdrawal brings into the case (the model may show or mail them). */
export const WITHDRAWAL_REASON_VARIABLE = 'withdrawalReason';
export const WITHDRAWN_BY_VARIABLE = 'withdrawnBy';

/**
 * A step that correlated the withdrawal message starts its trail with "caseWithdrawn" by the publisher; every
 * other step is returned as it is.
 */
export function withWithdrawalTrail<T extends { audit: ProjectedAuditEntry[] }>(result: T, event: CaseEvent): T {
  if (event.type !== 'correlateMessage' || event.messageName !== WITHDRAW_MESSAGE) return result;
  const by = event.variables[WITHDRAWN_BY_VARIABLE];
  return {
    ...result,
    audit: [
      {
        type: 'caseWithdrawn',
        actor: event.actor ?? 'system',
        at: event.at,
        ...(typeof by === 'string' && by !== '' && { detail: by }),
      },
      ...result.audit,
    ],
  };
}
