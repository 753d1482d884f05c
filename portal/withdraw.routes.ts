import { Router, type Request } from 'express';
import {
  WITHDRAWAL_REASON_MAX_LENGTH,
  type CaseWithdrawalService,
  type WithdrawalView,
} from '../engine/services/case-withdrawal.service.js';
import { NotFoundError, isUuid, newSubmissionToken, pageOf, submissionTokenOf } from '../engine/web/http.js';
import type { ViewRenderer } from '../engine/web/views.js';
import { requireApplicant, textFor } from './applicant.js';

export interface WithdrawRouteDeps {
  caseWithdrawals: CaseWithdrawalService;
  views: ViewRenderer;
}

/** `GET /cases/:id/withdraw`: the confirmation page; `POST`: withdraws the case (ADR 0029). */
export function createWithdrawRouter({ caseWithdrawals, views }: WithdrawRouteDeps): Router {
  const router = Router();

  const confirmPage = (
    req: Request,
    view: WithdrawalView,
    state: { token: string; reason?: string; error?: string; notWithdrawable?: boolean },
  ) =>
    views.render('portal/case-withdraw', pageOf(req, textFor(req)('withdraw.pageTitle', { number: view.caseNumber })), {
      view,
      maxLength: WITHDRAWAL_REASON_MAX_LENGTH,
      ...state,
    });

  router.get('/cases/:id/withdraw', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    const view = isUuid(req.params.id) ? await caseWithdrawals.viewFor(user, req.params.id) : undefined;
    if (!view) throw new NotFoundError();
    if (view.withdrawn) {
      res.redirect(303, `/cases/${view.caseId}`);
      return;
    }
    const page = confirmPage(req, view, { token: newSubmissionToken(), notWithdrawable: !view.withdrawable });
    res.status(view.withdrawable ? 200 : 409).send(page);
  });

  router.post('/cases/:id/withdraw', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    const token = submissionTokenOf(req);
    if (!isUuid(req.params.id) || !token) throw new NotFoundError();
    const result = await caseWithdrawals.withdraw(user, req.params.id, { reason: req.body?.reason, token });
    if (!result) throw new NotFoundError();
    if (result.ok) {
      res.redirect(303, `/cases/${result.caseId}?withdrawn=1`);
      return;
    }
    if (result.reason === 'notWithdrawable') {
      // 409: the service models no withdrawal, or the case ended meanwhile; nothing was sent.
      res.status(409).send(confirmPage(req, result.view, { token, notWithdrawable: true }));
      return;
    }
    res.status(422).send(
      confirmPage(req, result.view, {
        token,
        reason: result.input,
        error: textFor(req)('withdraw.reasonTooLong', { max: WITHDRAWAL_REASON_MAX_LENGTH }),
      }),
    );
  });

  return router;
}
