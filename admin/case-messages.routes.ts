import { Router, type Request } from 'express';
import type { StaffSession } from '../engine/services/auth.service.js';
import type { CaseMessageService, MessageError } from '../engine/services/case-message.service.js';
import { uploadsOf } from '../engine/web/uploads.js';
import { messageThreadView } from '../engine/web/message-thread.js';
import { translate } from '../engine/web/i18n.js';
import { NotFoundError, isUuid, localeOf, newSubmissionToken, pageOf, submissionTokenOf } from '../engine/web/http.js';
import type { ViewRenderer } from '../engine/web/views.js';
import { staffMember } from './staff-guard.js';

export interface CaseMessageRouteDeps {
  caseMessages: CaseMessageService;
  views: ViewRenderer;
}

/** The origin mailed links fall back to when PUBLIC_URL is unset (development): the one the writer uses. */
const originOf = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

/**
 * The thread for the staff case page (`{{> staffCaseMessages}}`), with a fresh form; opening it marks the
 * company's messages read. undefined when the member may not see the case.
 */
export async function staffThread(
  caseMessages: CaseMessageService,
  req: Request,
  member: StaffSession,
  caseId: string,
) {
  const thread = await caseMessages.open(member, caseId);
  return (
    thread &&
    messageThreadView(thread, 'staff', localeOf(req), {
      token: newSubmissionToken(),
      sent: req.query.message === 'sent',
    })
  );
}

/** The thread's messages as entries of the case's timeline (their text stays in the thread). */
export function messageTimeline(thread: ReturnType<typeof messageThreadView> | undefined) {
  return (thread?.items ?? []).map((item) => ({ at: item.createdAt, text: item.heading, note: undefined }));
}

/** `POST /staff/cases/:id/messages`: a caseworker answers the company; `GET`: the thread on a page of its own. */
export function createCaseMessageRouter({ caseMessages, views }: CaseMessageRouteDeps): Router {
  const router = Router();

  const threadPage = async (
    req: Request,
    member: StaffSession,
    caseId: string,
    state: { token: string; value?: string; errors?: MessageError[] },
  ) => {
    const thread = await caseMessages.open(member, caseId);
    if (!thread) throw new NotFoundError();
    const title = translate(localeOf(req), 'messages.pageTitle').replace('{number}', thread.caseNumber);
    return views.render('admin/case-messages', pageOf(req, title), {
      caseId: thread.caseId,
      thread: messageThreadView(thread, 'staff', localeOf(req), state),
    });
  };

  router.get('/cases/:id/messages', async (req, res) => {
    const member = staffMember(req, res);
    if (!member) return;
    if (!isUuid(req.params.id)) throw new NotFoundError();
    res.send(await threadPage(req, member, req.params.id, { token: newSubmissionToken() }));
  });

  router.post('/cases/:id/messages', async (req, res) => {
    const member = staffMember(req, res);
    if (!member) return;
    const token = submissionTokenOf(req);
    if (!isUuid(req.params.id) || !token) throw new NotFoundError();
    const body: unknown = req.body?.body;
    const result = await caseMessages.write(member, req.params.id, { body, token }, uploadsOf(req), originOf(req));
    if (!result) throw new NotFoundError();
    if (result.ok) {
      res.redirect(303, `/staff/cases/${result.caseId}?message=sent#messages`);
      return;
    }
    res
      .status(422)
      .send(await threadPage(req, member, req.params.id, { token, value: result.body, errors: result.errors }));
  });

  return router;
}
