import { Router, type Request, type Response } from 'express';
import type { CompanyAccountService } from '../engine/services/company-account.service.js';
import { MIN_PASSWORD_LENGTH, type FieldProblem } from '../engine/services/staff-rules.js';
import { endSession, formInput, localeOf, pageOf } from '../engine/web/http.js';
import { translate } from '../engine/web/i18n.js';
import type { ViewRenderer } from '../engine/web/views.js';
import { requireApplicant } from './applicant.js';

export interface AccountAccessDeps {
  companyAccounts: CompanyAccountService;
  views: ViewRenderer;
}

/** Which field each problem belongs to, in the page's language. */
const errorsOf = (req: Request, problems: FieldProblem[]) =>
  Object.fromEntries(problems.map((problem) => [problem.field, translate(localeOf(req), problem.messageKey)]));

/** How recent a login at the provider must be to confirm deleting an account without password. */
const FRESH_LOGIN_MINUTES = 5;

const textOf = (value: unknown) => (typeof value === 'string' ? value : '');

/** The request's own origin, for mailed links when PUBLIC_URL is unset (development on one machine). */
const originOf = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

/**
 * Getting into and out of a company account: self-registration with e-mail verification, password reset by
 * link, change of password and deletion of the own account (ADR 0026). Registration and reset answer the same
 * whether or not an address has an account.
 */
export function createAccountAccessRouter({ companyAccounts, views }: AccountAccessDeps): Router {
  const router = Router();
  const t = (req: Request) => (key: string) => translate(localeOf(req), key);
  const render = (req: Request, res: Response, view: string, titleKey: string, data: Record<string, unknown>) =>
    res.send(views.render(`portal/${view}`, pageOf(req, t(req)(titleKey)), data));

  router.get('/register', (req, res) => {
    render(req, res, 'register', 'account.register.title', { values: {}, minPasswordLength: MIN_PASSWORD_LENGTH });
  });

  router.post('/register', async (req, res) => {
    const form = formInput(req);
    // The page's language becomes the language of the user's mails (ADR 0030).
    const outcome = await companyAccounts.register({ ...form, language: localeOf(req) }, t(req), originOf(req), req.ip);
    if (!outcome.ok && 'problems' in outcome) {
      res.status(422);
      render(req, res, 'register', 'account.register.title', {
        values: { companyName: textOf(form.companyName), name: textOf(form.name), email: textOf(form.email) },
        errors: errorsOf(req, outcome.problems),
        hasErrors: true,
        minPasswordLength: MIN_PASSWORD_LENGTH,
      });
      return;
    }
    render(req, res, 'account-notice', 'account.register.title', { notice: 'account.register.sent' });
  });

  // Opening the link only asks: mail scanners open links too, and must not use them up.
  router.get('/register/verify', async (req, res) => {
    const usable = await companyAccounts.verificationLink(req.query.token);
    if (!usable) res.status(404);
    render(req, res, 'register-verify', 'account.verify.title', { token: textOf(req.query.token), invalid: !usable });
  });

  router.post('/register/verify', async (req, res) => {
    const outcome = await companyAccounts.verify(formInput(req).token);
    if (!outcome.ok) res.status(404);
    render(req, res, 'register-verify', 'account.verify.title', { invalid: !outcome.ok, done: outcome.ok });
  });

  router.get('/password/forgot', (req, res) => {
    render(req, res, 'password-forgot', 'account.forgot.title', { email: '' });
  });

  router.post('/password/forgot', async (req, res) => {
    await companyAccounts.requestReset(formInput(req), t(req), originOf(req), req.ip);
    render(req, res, 'account-notice', 'account.forgot.title', { notice: 'account.forgot.sent' });
  });

  router.get('/password/reset', async (req, res) => {
    const account = await companyAccounts.resetLink(req.query.token);
    if (!account) res.status(404);
    render(req, res, 'password-reset', 'account.reset.title', {
      token: textOf(req.query.token),
      account,
      invalid: !account,
      minPasswordLength: MIN_PASSWORD_LENGTH,
    });
  });

  router.post('/password/reset', async (req, res) => {
    const form = formInput(req);
    const outcome = await companyAccounts.resetPassword(form.token, form);
    if (outcome.ok) return render(req, res, 'password-reset', 'account.reset.title', { done: true });
    if ('notFound' in outcome) {
      res.status(404);
      return render(req, res, 'password-reset', 'account.reset.title', { invalid: true });
    }
    res.status(422);
    render(req, res, 'password-reset', 'account.reset.title', {
      token: textOf(form.token),
      account: await companyAccounts.resetLink(form.token),
      errors: errorsOf(req, outcome.problems),
      hasErrors: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
    });
  });

  router.post('/account/password', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    const outcome = await companyAccounts.changePassword(user, formInput(req), req.sessionID);
    if (outcome.ok) return res.redirect(303, '/account?changed=1#change-password');
    if ('notFound' in outcome) return res.redirect(303, '/login');
    res.status(422);
    render(req, res, 'account', 'account.title', {
      user,
      passwordErrors: errorsOf(req, outcome.problems),
      minPasswordLength: MIN_PASSWORD_LENGTH,
    });
  });

  /** A login at the provider this recent confirms a deletion for a user without password (ADR 0028). */
  const freshLogin = (req: Request) => Date.now() - (req.session.signedInAt ?? 0) < FRESH_LOGIN_MINUTES * 60_000;

  router.get('/account/delete', (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    render(req, res, 'account-delete', 'account.delete.title', { user, fresh: freshLogin(req) });
  });

  router.post('/account/delete', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    const outcome = await companyAccounts.deleteAccount(user, formInput(req), freshLogin(req));
    if (outcome.ok) {
      await endSession(req);
      return res.redirect(303, '/account/deleted');
    }
    if ('notFound' in outcome) return res.redirect(303, '/login');
    res.status(422);
    render(req, res, 'account-delete', 'account.delete.title', {
      user,
      fresh: freshLogin(req),
      errors: errorsOf(req, outcome.problems),
      hasErrors: true,
    });
  });

  router.get('/account/deleted', (req, res) => {
    render(req, res, 'account-notice', 'account.delete.title', { notice: 'account.delete.done' });
  });

  return router;
}
