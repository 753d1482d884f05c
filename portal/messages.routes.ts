import { Router, type Request } from 'express';
import type { CompanyUserSession } from '../engine/services/auth.service.js';
import type { CaseMessageService, MessageError } from '../engine/services/case-message.service.js';
import { uploadsOf } from '../engine/files/multipart.js';
import { messageThreadView } from '../engine/web/message-thread.js';
import { NotFoundError, isUuid, localeOf, newSubmissionToken, pageOf, submissionTokenOf } from '../engine/web/http.js';
import type { ViewRenderer } from '../engine/web/views.js';
import { requireApplicant, textFor } from './applicant.js';

export interface MessageRouteDeps {
  caseMessages: CaseMessageService;
  views: ViewRenderer;
}

/** The origin mailed links fall back to when PUBLIC_URL is unset (development): the one the writer uses. */
const originOf = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

/**
 * The thread for the company's case page (`{{> caseMessages}}`), with a fresh form; opening it marks the
 * agency's messages read. undefined when the case is not the company's.
 */
export async function companyThread(
  caseMessages: CaseMessageService,
  req: Request,
  user: CompanyUserSession,
  caseId: string,
) {
  const thread = await caseMessages.open(user, caseId);
  return (
    thread &&
    messageThreadView(thread, 'company', localeOf(req), {
      token: newSubmissionToken(),
      sent: req.query.message === 'sent',
    })
  );
}

/** `POST /cases/:id/messages`: a message of the company to the agency; `GET`: the thread on a page of its own. */
export function createMessageRouter({ caseMessages, views }: MessageRouteDeps): Router {
  const router = Router();

  const threadPage = async (
    req: Request,
    user: CompanyUserSession,
    caseId: string,
    state: { token: string; value?: string; errors?: MessageError[] },
  ) => {
    const thread = await caseMessages.open(user, caseId);
    if (!thread) throw new NotFoundError();
    return views.render(
      'portal/case-messages',
      pageOf(req, textFor(req)('messages.pageTitle', { number: thread.caseNumber })),
      { caseId: thread.caseId, thread: messageThreadView(thread, 'company', localeOf(req), state) },
    );
  };

  router.get('/cases/:id/messages', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    if (!isUuid(req.params.id)) throw new NotFoundError();
    res.send(await threadPage(req, user, req.params.id, { token: newSubmissionToken() }));
  });

  router.post('/cases/:id/messages', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    const token = submissionTokenOf(req);
    if (!isUuid(req.params.id) || !token) throw new NotFoundError();
    const body: unknown = req.body?.body;
    const result = await caseMessages.write(user, req.params.id, { body, token }, uploadsOf(req), originOf(req));
    if (!result) throw new NotFoundError();
    if (result.ok) {
      res.redirect(303, `/cases/${result.caseId}?message=sent#messages`);
      return;
    }
    res
      .status(422)
      .send(await threadPage(req, user, req.params.id, { token, value: result.body, errors: result.errors }));
  });

  return router;
}
