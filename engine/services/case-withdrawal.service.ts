import { WITHDRAW_MESSAGE, WITHDRAWAL_REASON_VARIABLE, WITHDRAWN_BY_VARIABLE } from '../case/withdrawal.js';
import { actorLabel } from '../case/task-completion.js';
import type { CaseRepository } from '../repositories/case.repository.js';
import type { MessageRepository } from '../repositories/message.repository.js';
import type { CompanyUserSession } from './auth.service.js';
import type { MessageService } from './message.service.js';

/** The longest reason a company may give; it travels as a message variable into the case. */
export const WITHDRAWAL_REASON_MAX_LENGTH = 1000;

/** What the company's case page and the confirmation page need to know about withdrawing the case. */
export interface WithdrawalView {
  caseId: string;
  caseNumber: string;
  subject: string | null;
  /** The case waits for the withdrawal message now: its service models withdrawal and the case has not ended. */
  withdrawable: boolean;
  /** Once withdrawn: the name of the person who withdrew, as it was then, and when. */
  withdrawn?: { by: string; at: Date };
}

export type WithdrawResult =
  /** `duplicate`: the case had been withdrawn already (a double submit); nothing changed. */
  | { ok: true; caseId: string; duplicate: boolean }
  /** The reason is too long; nothing was sent, the input is given back. */
  | { ok: false; reason: 'invalid'; view: WithdrawalView; input: string; error: 'tooLong' }
  /** The service does not model withdrawal, or the case has ended or moved past it. */
  | { ok: false; reason: 'notWithdrawable'; view: WithdrawalView };

export interface CaseWithdrawalService {
  /** undefined (→ 404) unless the case is the user's company's. */
  viewFor(user: CompanyUserSession, caseId: string): Promise<WithdrawalView | undefined>;
  /**
   * Publishes the withdrawal message for the case (message id = the form's token, so a double submit is one
   * message); the case's event sub-process does the rest. undefined (→ 404) for another company's case.
   */
  withdraw(
    user: CompanyUserSession,
    caseId: string,
    input: { reason: unknown; token: string },
  ): Promise<WithdrawResult | undefined>;
}

export interface CaseWithdrawalServiceDeps {
  cases: Pick<CaseRepository, 'detail' | 'events'>;
  messages: Pick<MessageRepository, 'isSubscribed'>;
  publisher: MessageService;
}

export function createCaseWithdrawalService(deps: CaseWithdrawalServiceDeps): CaseWithdrawalService {
  const { cases, messages, publisher } = deps;

  async function viewFor(user: CompanyUserSession, caseId: string): Promise<WithdrawalView | undefined> {
    const detail = await cases.detail(caseId);
    if (!detail || detail.companyId !== user.companyId) return undefined;
    const [withdrawable, events] = await Promise.all([
      // The key is the case number (ADR 0029): a model keyed otherwise offers no button rather than a wrong case.
      detail.status === 'completed' ? false : messages.isSubscribed(caseId, WITHDRAW_MESSAGE, detail.number),
      cases.events(caseId),
    ]);
    const trail = events.find((event) => event.type === 'caseWithdrawn');
    return {
      caseId,
      caseNumber: detail.number,
      subject: detail.subject,
      withdrawable,
      ...(trail && { withdrawn: { by: trail.detail ?? '', at: trail.at } }),
    };
  }

  return {
    viewFor,

    async withdraw(user, caseId, input) {
      const view = await viewFor(user, caseId);
      if (!view) return undefined;
      if (view.withdrawn) return { ok: true, caseId, duplicate: true };
      const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
      if (reason.length > WITHDRAWAL_REASON_MAX_LENGTH) {
        return { ok: false, reason: 'invalid', view, input: reason, error: 'tooLong' };
      }
      if (!view.withdrawable) return { ok: false, reason: 'notWithdrawable', view };
      const published = await publisher.publish({
        name: WITHDRAW_MESSAGE,
        correlationKey: view.caseNumber,
        messageId: input.token,
        variables: { [WITHDRAWAL_REASON_VARIABLE]: reason, [WITHDRAWN_BY_VARIABLE]: user.name },
        actor: actorLabel({ kind: 'applicant', id: user.userId }),
      });
      if (published.duplicate) return { ok: true, caseId, duplicate: true };
      // The subscription closed between our look and the delivery (the case ended meanwhile): nothing was taken.
      if (published.correlatedCaseId !== caseId) return { ok: false, reason: 'notWithdrawable', view };
      return { ok: true, caseId, duplicate: false };
    },
  };
}
