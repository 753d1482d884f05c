import { Router, type Request, type Response } from 'express';
import {
  type FeedbackProblem,
  type FeedbackValues,
  type LegalPage,
  type LegalPagesService,
} from '../engine/services/legal-pages.service.js';
import { formInput, localeOf, newSubmissionToken, pageOf } from '../engine/web/http.js';
import { translate } from '../engine/web/i18n.js';
import type { ViewRenderer } from '../engine/web/views.js';

export interface LegalDeps {
  legalPages: LegalPagesService;
  views: ViewRenderer;
}

const EMPTY: FeedbackValues = { name: '', email: '', message: '', location: '' };
const FEEDBACK_FIELDS = ['name', 'email', 'location', 'message'] as const;

/**
 * The legal pages, open to everyone and linked in every footer (ADR 0032): `/impressum`, `/datenschutz` and
 * `/barrierefreiheit` with the BITV 2.0 § 7 feedback form, whose `POST /barrierefreiheit` mails the agency's
 * accessibility contact and answers with a confirmation page (`/barrierefreiheit/gesendet`).
 */
export function createLegalRouter({ legalPages, views }: LegalDeps): Router {
  const router = Router();
  const t = (req: Request, key: string) => translate(localeOf(req), key);

  const textPage = (page: Exclude<LegalPage, 'barrierefreiheit'>) => (req: Request, res: Response) => {
    res.send(
      views.render('portal/legal-page', pageOf(req, t(req, `legal.${page}.title`)), {
        // Rendered from the agency's Markdown by legal-markdown.ts, which escapes every character of the file first.
        html: legalPages.html(page, localeOf(req)),
      }),
    );
  };
  router.get('/impressum', textPage('impressum'));
  router.get('/datenschutz', textPage('datenschutz'));

  const statementPage = (
    req: Request,
    res: Response,
    state: { values?: FeedbackValues; problems?: FeedbackProblem[]; limited?: boolean; token?: string } = {},
  ) => {
    const errors = Object.fromEntries(
      (state.problems ?? []).map((problem) => [problem.field, t(req, problem.messageKey)]),
    );
    res.send(
      views.render('portal/legal-accessibility', pageOf(req, t(req, 'legal.barrierefreiheit.title')), {
        html: legalPages.html('barrierefreiheit', localeOf(req)),
        contact: legalPages.contact,
        values: state.values ?? EMPTY,
        errors,
        // In the order of the form, each linking to its field.
        errorList: FEEDBACK_FIELDS.flatMap((field) => (errors[field] ? [{ field, text: errors[field] }] : [])),
        limited: state.limited,
        token: state.token ?? newSubmissionToken(),
      }),
    );
  };

  router.get('/barrierefreiheit', (req, res) => statementPage(req, res));

  router.post('/barrierefreiheit', async (req, res) => {
    const input = formInput(req);
    const sentToken = typeof input.token === 'string' && /^[\w-]{16,64}$/.test(input.token) ? input.token : undefined;
    const token = sentToken ?? newSubmissionToken();
    const outcome = await legalPages.sendFeedback(input, { token, address: req.ip, language: localeOf(req) });
    if (outcome.ok) return res.redirect(303, '/barrierefreiheit/gesendet');
    if ('limited' in outcome) {
      res.status(429);
      return statementPage(req, res, { values: outcome.values, limited: true, token });
    }
    res.status(422);
    return statementPage(req, res, { values: outcome.values, problems: outcome.problems, token });
  });

  router.get('/barrierefreiheit/gesendet', (req, res) => {
    res.send(views.render('portal/legal-feedback-sent', pageOf(req, t(req, 'legal.feedback.sentTitle'))));
  });

  return router;
}
