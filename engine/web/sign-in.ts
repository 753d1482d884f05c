import type { Request, Response, Router } from 'express';
import type { SessionPrincipal } from '../services/auth.service.js';
import type { LoginAttempt, LoginOutcome } from '../services/login.service.js';
import { endSession, establishSession, formInput, localeOf, pageOf } from './http.js';
import { translate } from './i18n.js';
import { safeReturnPath } from './return-path.js';
import type { ViewRenderer } from './views.js';

type PrincipalOf<Kind> = Extract<SessionPrincipal, { kind: Kind }>;

/**
 * One signed-in area (the portal for companies, `/staff` for staff): the same login, logout and
 * guard for both, with the area's own paths, page and login check.
 */
export interface SignInArea<Kind extends SessionPrincipal['kind']> {
  kind: Kind;
  /** Where the area's login page is, as the browser sees it. */
  loginPath: string;
  /** Only pages below this are returned to after the login (never another area, never another host). */
  returnBelow: string;
  /** Where a login without a page to return to lands. */
  home: string;
  afterLogout: string;
  view: string;
  titleKey: string;
}

/** The signed-in principal of the area, or undefined after redirecting to its login (which comes back here). */
export function guardOf<Kind extends SessionPrincipal['kind']>(
  area: Pick<SignInArea<Kind>, 'kind' | 'loginPath' | 'returnBelow'>,
) {
  return (req: Request, res: Response): PrincipalOf<Kind> | undefined => {
    const principal = req.session?.principal;
    if (principal?.kind === area.kind) return principal as PrincipalOf<Kind>;
    // A page opened while logged out comes back after the login; a form posted then cannot be replayed.
    const next = req.method === 'GET' ? safeReturnPath(req.originalUrl, area.returnBelow) : undefined;
    res.redirect(303, next ? `${area.loginPath}?next=${encodeURIComponent(next)}` : area.loginPath);
    return undefined;
  };
}

/** `GET`/`POST /login` and `POST /logout` of the area, on the router mounted at the area's root. */
export function addSignInRoutes<Kind extends SessionPrincipal['kind']>(
  router: Router,
  area: SignInArea<Kind>,
  login: (attempt: LoginAttempt) => Promise<LoginOutcome<PrincipalOf<Kind>>>,
  views: ViewRenderer,
  /** More for the login page, given the page to return to (the portal's: the OpenID Connect button). */
  loginPageData: (next: string | undefined) => Record<string, unknown> = () => ({}),
) {
  const page = (req: Request) => pageOf(req, translate(localeOf(req), area.titleKey));

  router.get('/login', (req, res) => {
    const next = safeReturnPath(req.query.next, area.returnBelow);
    res.send(views.render(area.view, page(req), { ...loginPageData(next), next }));
  });

  router.post('/login', async (req, res) => {
    const { email, password, next } = formInput(req);
    const returnTo = safeReturnPath(next, area.returnBelow);
    const outcome = await login({ email, password, address: req.ip });
    if (outcome.kind !== 'ok') {
      // Throttled: 429 with Retry-After, the password unchecked; otherwise one answer for every failure.
      if (outcome.kind === 'throttled') res.set('Retry-After', String(outcome.retryAfterSeconds));
      res.status(outcome.kind === 'throttled' ? 429 : 401).send(
        views.render(area.view, page(req), {
          ...loginPageData(returnTo),
          failed: outcome.kind === 'failed',
          throttled: outcome.kind === 'throttled' && outcome,
          email: typeof email === 'string' ? email : '',
          next: returnTo,
        }),
      );
      return;
    }
    await establishSession(req, outcome.principal);
    res.redirect(303, returnTo ?? area.home);
  });

  router.post('/logout', async (req, res) => {
    await endSession(req);
    res.redirect(303, area.afterLogout);
  });
}
