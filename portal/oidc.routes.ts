import { Router, type Request, type Response } from 'express';
import { OIDC_FLOW_MINUTES, type OidcLoginService } from '../engine/services/oidc-login.service.js';
import { establishSession, localeOf, NotFoundError, pageOf } from '../engine/web/http.js';
import { translate } from '../engine/web/i18n.js';
import { safeReturnPath } from '../engine/web/return-path.js';
import type { ViewRenderer } from '../engine/web/views.js';
import { companyArea } from './applicant.js';

export interface OidcDeps {
  oidcLogin: OidcLoginService;
  views: ViewRenderer;
  /** PUBLIC_URL: the callback address registered at the provider; unset, the request's origin. */
  publicUrl?: string;
}

/** The sealed flow lives in a cookie only the callback receives (ADR 0028). */
const FLOW_COOKIE = 'lotse.oidc';
const FLOW_PATH = '/login/oidc';
const CALLBACK_PATH = '/login/oidc/callback';

const STATUS = { badRequest: 400, refused: 403, unavailable: 503 } as const;

/** Login with the company's OpenID Connect account: `GET /login/oidc` (the button) and the provider's callback. */
export function createOidcRouter({ oidcLogin, views, publicUrl }: OidcDeps): Router {
  const router = Router();
  const callbackOf = (req: Request) =>
    `${(publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`).replace(/\/$/, '')}${CALLBACK_PATH}`;

  const problemPage = (req: Request, res: Response, kind: keyof typeof STATUS, problem?: string) => {
    res.status(STATUS[kind]).send(
      views.render('portal/oidc-error', pageOf(req, translate(localeOf(req), 'oidc.error.title')), {
        message: `oidc.error.${problem ?? kind}`,
      }),
    );
  };

  router.get(FLOW_PATH, async (req, res) => {
    if (!oidcLogin.enabled) throw new NotFoundError();
    const next = safeReturnPath(req.query.next, companyArea.returnBelow);
    const start = await oidcLogin.begin({
      redirectUri: callbackOf(req),
      ...(next && { next }),
      reauthenticate: req.query.reauth === '1',
    });
    if (start.kind !== 'redirect') return problemPage(req, res, 'unavailable');
    res.cookie(FLOW_COOKIE, start.flow, {
      httpOnly: true,
      // Lax: the provider sends the browser back with a top-level GET, which carries Lax cookies.
      sameSite: 'lax',
      secure: req.secure,
      path: FLOW_PATH,
      maxAge: OIDC_FLOW_MINUTES * 60_000,
    });
    res.redirect(303, start.url);
  });

  router.get(CALLBACK_PATH, async (req, res) => {
    if (!oidcLogin.enabled) throw new NotFoundError();
    const flow = cookieOf(req, FLOW_COOKIE);
    // One callback per flow: whatever happens now, the flow is used up.
    res.clearCookie(FLOW_COOKIE, { path: FLOW_PATH, httpOnly: true, sameSite: 'lax', secure: req.secure });
    const outcome = await oidcLogin.finish({
      callbackUrl: `${callbackOf(req)}${req.originalUrl.slice(req.path.length)}`,
      redirectUri: callbackOf(req),
      flow,
    });
    if (outcome.kind !== 'ok')
      return problemPage(req, res, outcome.kind, outcome.kind === 'refused' ? outcome.problem : undefined);
    await establishSession(req, outcome.principal);
    res.redirect(303, safeReturnPath(outcome.next, companyArea.returnBelow) ?? companyArea.home);
  });

  return router;
}

/** The value of a request cookie (express-session reads only its own; there is no cookie parser). */
function cookieOf(req: Request, name: string): string | undefined {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return decodeURIComponent(pair.slice(at + 1).trim());
  }
  return undefined;
}
